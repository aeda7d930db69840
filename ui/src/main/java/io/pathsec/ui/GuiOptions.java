package io.pathsec.ui;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How the GUI starts.
 *
 * @param socket the daemon's control socket
 * @param screenshotDir when set, the GUI renders each main view to {@code <view>.png} there and exits
 * @param version shown in the title and sent in {@code hello}
 */
public record GuiOptions(Path socket, Path screenshotDir, String version) {
    public GuiOptions {
        Objects.requireNonNull(socket, "socket");
        version = version == null ? "dev" : version;
    }
}
