package io.pathsec.ui.shell;

import io.pathsec.engine.control.api.ControlClient;
import io.pathsec.engine.control.api.Profile;
import io.pathsec.engine.control.api.ProfileKind;
import io.pathsec.engine.control.api.ProfileSummary;
import io.pathsec.ui.GuiOptions;
import io.pathsec.ui.testsupport.Fx;
import io.pathsec.ui.testsupport.RealDaemonMain;
import io.pathsec.ui.testsupport.TestProfiles;
import javafx.scene.chart.LineChart;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;

import static io.pathsec.ui.testsupport.Fx.eventually;
import static io.pathsec.ui.testsupport.Fx.eventuallyOff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Connect and disconnect a static-key tunnel for real: the production daemon runs as root in its
 * own network namespace (real TUN device, routes and ESP socket there), the GUI in this JVM talks
 * to it through the socket file. Skipped, saying why, when not root.
 */
@Tag("netns")
@Timeout(120)
class GuiRealTunnelTest {
    private static final long COMMAND_SECONDS = 10;

    private final FxRobot robot = new FxRobot();
    private final Fx fx = new Fx(robot);
    private final Preferences prefs = Preferences.userRoot().node("pathsec-test/" + UUID.randomUUID());
    private final String netns = "psgui-" + ProcessHandle.current().pid();
    @TempDir
    Path dir;
    private Process daemon;

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + ": still running after " + COMMAND_SECONDS + " s");
        }
        String out = new String(p.getInputStream().readAllBytes());
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out);
        }
        return out;
    }

    @BeforeEach
    void namespaceAndDaemon() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "skipped: a real tunnel needs root for the namespace and the TUN device");
        FxToolkit.registerPrimaryStage();
        run("ip", "netns", "add", netns);
        run("ip", "-n", netns, "link", "set", "lo", "up");
        // The profile's outer address; the peer need not exist, static keys need no handshake.
        run("ip", "-n", netns, "addr", "add", "198.51.100.71/32", "dev", "lo");
        Path socket = dir.resolve("run/control.sock");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        daemon = new ProcessBuilder("ip", "netns", "exec", netns, java.toString(), "-cp",
                System.getProperty("java.class.path"), RealDaemonMain.class.getName(), socket.toString(),
                dir.resolve("state").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("daemon.log").toFile()).start();
        eventuallyOff("the daemon's socket", () -> {
            if (!daemon.isAlive()) {
                throw new AssertionError("the daemon exited: " + Files.readString(dir.resolve("daemon.log")));
            }
            return Files.exists(socket) && Files.readString(dir.resolve("daemon.log")).contains("listening");
        });
        try (ControlClient c = ControlClient.connect(socket)) {
            c.putProfile(Profile.of("real", ProfileKind.STATIC_KEY, TestProfiles.staticKey("real", "psgui0",
                    "198.51.100.71", "198.51.100.72", "10.77.0.0/24", "10.78.0.0/24")), false);
        }
        FxToolkit.setupStage(stage -> PathSecWindow.open(stage, new GuiOptions(socket, null, "test"),
                new WindowBounds(prefs)));
    }

    @AfterEach
    void cleanUp() throws Exception {
        FxToolkit.cleanupStages();
        prefs.removeNode();
        if (daemon != null) {
            daemon.destroy(); // SIGTERM: the daemon takes its tunnels down
            if (!daemon.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
                daemon.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS);
            }
        }
        if ("root".equals(System.getProperty("user.name"))) {
            try {
                run("ip", "netns", "delete", netns);
            } catch (IOException ignored) {
                // never created (an earlier step failed)
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aStaticKeyTunnelComesUpAndGoesDownFromTheWindow() throws Exception {
        eventually("the profile list", () -> robot.lookup("#profileList").tryQuery()
                .map(n -> ((ListView<ProfileSummary>) n).getItems().stream().map(ProfileSummary::name).toList())
                .orElse(List.of()).contains("real"));
        robot.push(KeyCode.SHORTCUT, KeyCode.DIGIT2);
        eventually("the dashboard", () -> fx.text("#stateLabel").equals("Disconnected"));
        robot.clickOn(fx.shown("#connectButton"));
        eventually("connected", () -> fx.text("#stateLabel").equals("Connected"));
        assertEquals("psgui0", fx.text("#deviceLabel"));
        assertTrue(run("ip", "-n", netns, "link", "show", "psgui0").contains("psgui0"), "a real TUN device");
        eventually("per-second counters on the chart", () ->
                ((LineChart<Number, Number>) fx.shown("#throughputChart")).getData().get(0).getData().size() >= 2);
        robot.clickOn(fx.shown("#disconnectButton"));
        eventually("disconnected", () -> fx.text("#stateLabel").equals("Disconnected"));
        eventuallyOff("the device gone", () -> {
            try {
                run("ip", "-n", netns, "link", "show", "psgui0");
                return false;
            } catch (IOException gone) {
                return true;
            }
        });
    }
}
