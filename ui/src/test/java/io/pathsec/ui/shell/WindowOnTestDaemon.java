package io.pathsec.ui.shell;

import io.pathsec.engine.control.api.ProfileSummary;
import io.pathsec.ui.GuiOptions;
import io.pathsec.ui.testsupport.GuiTestDaemon;
import javafx.scene.control.ListView;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

import java.util.List;
import java.util.UUID;
import java.util.prefs.Preferences;

import static io.pathsec.ui.testsupport.Fx.eventually;

/**
 * The window of a GUI test against a real daemon: a {@link GuiTestDaemon} holding the static
 * profile "lab", the window opened on its socket with its own preferences node, and everything
 * removed again by {@link #close()}. Call {@code FxToolkit.registerPrimaryStage()} first.
 */
final class WindowOnTestDaemon implements AutoCloseable {
    final GuiTestDaemon daemon;
    final PathSecWindow window;
    private final FxRobot robot;
    private final Preferences prefs;

    private WindowOnTestDaemon(GuiTestDaemon daemon, PathSecWindow window, FxRobot robot, Preferences prefs) {
        this.daemon = daemon;
        this.window = window;
        this.robot = robot;
        this.prefs = prefs;
    }

    /** Opens the window and waits until it lists "lab". */
    static WindowOnTestDaemon open(FxRobot robot) throws Exception {
        GuiTestDaemon d = new GuiTestDaemon();
        d.addStaticKey("lab", "psx1");
        Preferences prefs = Preferences.userRoot().node("pathsec-test/" + UUID.randomUUID());
        PathSecWindow[] opened = new PathSecWindow[1];
        FxToolkit.setupStage(stage -> opened[0] = PathSecWindow.open(stage, new GuiOptions(d.socket, null, "test"),
                new WindowBounds(prefs)));
        WindowOnTestDaemon w = new WindowOnTestDaemon(d, opened[0], robot, prefs);
        eventually("the profile list showing lab", () -> w.profileNames().contains("lab"));
        return w;
    }

    /** The names in the Profiles view's list (empty while it is not shown). */
    @SuppressWarnings("unchecked")
    List<String> profileNames() {
        return robot.lookup("#profileList").tryQuery()
                .map(n -> ((ListView<ProfileSummary>) n).getItems().stream().map(ProfileSummary::name).toList())
                .orElse(List.of());
    }

    @Override
    public void close() throws Exception {
        FxToolkit.cleanupStages();
        daemon.close();
        prefs.removeNode();
    }
}
