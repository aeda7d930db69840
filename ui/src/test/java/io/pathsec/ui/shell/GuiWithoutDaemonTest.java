package io.pathsec.ui.shell;

import io.pathsec.ui.GuiOptions;
import io.pathsec.ui.testsupport.Fx;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

import java.nio.file.Path;
import java.util.UUID;
import java.util.prefs.Preferences;

import static io.pathsec.ui.testsupport.Fx.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The window before (or without) a daemon: the message, and the remembered size. */
@Timeout(60)
class GuiWithoutDaemonTest {
    private final FxRobot robot = new FxRobot();
    private final Fx fx = new Fx(robot);
    private final Preferences prefs = Preferences.userRoot().node("pathsec-test/" + UUID.randomUUID());
    @TempDir
    Path dir;

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @AfterEach
    void close() throws Exception {
        FxToolkit.cleanupStages();
        prefs.removeNode();
    }

    private Stage open() throws Exception {
        return FxToolkit.setupStage(stage -> PathSecWindow.open(stage,
                new GuiOptions(dir.resolve("nothing.sock"), null, "test"), new WindowBounds(prefs)));
    }

    @Test
    void noDaemonIsToldInWordsWithAWayToRetry() throws Exception {
        open();
        eventually("the message", () -> fx.text("#windowMessage").startsWith("The PathSec service is not running"));
        assertTrue(fx.isShown("#retryButton"));
        robot.clickOn("#retryButton");
        eventually("the same message again", () -> fx.text("#windowMessage").startsWith("The PathSec service is not"));
    }

    @Test
    void theWindowRemembersItsSize() throws Exception {
        Stage stage = open();
        assertEquals(1280, Fx.on(stage::getWidth), 0.5, "the default fits 1280x800");
        Fx.run(() -> {
            stage.setWidth(1100);
            stage.setHeight(700);
        });
        FxToolkit.cleanupStages(); // hides the window: the size is saved
        assertEquals(1100, prefs.getDouble("width", 0), 0.5);
        Stage again = open();
        assertEquals(1100, Fx.on(again::getWidth), 0.5);
        assertEquals(700, Fx.on(again::getHeight), 0.5);
    }
}
