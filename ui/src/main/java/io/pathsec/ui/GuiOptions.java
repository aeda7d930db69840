package io.pathsec.ui;

import io.pathsec.ui.lab.LabControls;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How the GUI starts.
 *
 * @param socket the daemon's control socket
 * @param screenshotDir when set, the GUI renders each main view to {@code <view>.png} there and exits
 * @param version shown in the title and sent in {@code hello}
 * @param lab in {@code pathsec lab}, the lab's path and transfer, shown as the lab panel; else null
 */
public record GuiOptions(Path socket, Path screenshotDir, String version, LabControls lab) {
    public GuiOptions {
        Objects.requireNonNull(socket, "socket");
        version = version == null ? "dev" : version;
    }

    /** The window on a daemon, without a lab. */
    public GuiOptions(Path socket, Path screenshotDir, String version) {
        this(socket, screenshotDir, version, null);
    }
}
