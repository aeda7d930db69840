package io.pathsec.app;

import io.pathsec.engine.lab.LabNode;
import io.pathsec.engine.lab.LabOptions;
import io.pathsec.engine.lab.LabTopology;
import io.pathsec.engine.policy.IpsecMode;
import io.pathsec.ui.GuiOptions;
import io.pathsec.ui.shell.PathSecWindow;
import io.pathsec.ui.shell.WindowBounds;
import io.pathsec.ui.state.TunnelSnapshot;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Labeled;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.prefs.Preferences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The desktop lab end to end, headless (Monocle): the real topology, the production daemon in
 * G1's namespace holding the lab tunnel, the window on it with the lab panel. The panel's
 * controls change the real routers (checked with nft and ip in their namespaces), and the tunnel's
 * reaction reaches the Path MTU view as events from the daemon. Closing the lab removes the
 * namespaces and ends the daemon by PID.
 */
@Tag("netns")
@Timeout(240)
class LabDesktopWindowTest {
    private static final long WAIT_SECONDS = 30;
    /** Detection needs full-size packets to vanish and the engine to notice: allow for a slow machine. */
    private static final long DETECTION_SECONDS = 90;

    private final FxRobot robot = new FxRobot();
    private final Preferences prefs = Preferences.userRoot().node("pathsec-test/" + UUID.randomUUID());
    @TempDir
    Path work;
    private LabDesktop desktop;
    private PathSecWindow window;

    @BeforeEach
    void labAndWindow() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "skipped: the lab needs root for namespaces and TUN devices");
        FxToolkit.registerPrimaryStage();
        desktop = LabDesktop.start(LabOptions.defaults(), IpsecMode.TUNNEL, "aes256gcm16", false, 4_000_000_000L,
                work, lab -> "test lab");
        FxToolkit.setupStage(stage -> window = PathSecWindow.open(stage,
                new GuiOptions(desktop.socket(), null, "test", desktop.controls()), new WindowBounds(prefs)));
    }

    @AfterEach
    void tearDown() throws Exception {
        FxToolkit.cleanupStages();
        prefs.removeNode();
        if (desktop != null) {
            desktop.close();
        }
    }

    @Test
    void thePanelChangesTheRealPathAndThePmtuViewSeesTheTunnelReact() throws Exception {
        eventually("the lab tunnel connected in the window", () -> {
            TunnelSnapshot t = window.model() == null ? null : window.model().store().selectedProperty().get();
            return t != null && t.connected() && LabDesktop.PROFILE.equals(t.profile());
        });
        eventually("the panel shows the lab's MTU", () -> Integer.valueOf(1500).equals(mtuChoice().getValue()));
        robot.push(KeyCode.SHORTCUT, KeyCode.DIGIT3);

        // Keyboard: Ctrl+L reaches the panel from any view.
        robot.push(KeyCode.SHORTCUT, KeyCode.L);
        eventually("Ctrl+L focuses the panel", () -> mtuChoice().isFocused());

        robot.clickOn(shown("#labTransferButton"));
        eventually("the transfer runs and shows its rate", () -> text("#labTransferStatus").startsWith("E1 → E2:")
                && desktop.controls().transfer().bytesSent() > 0);

        robot.clickOn(shown("#labBlackHole"));
        eventually("the black hole is on", () -> text("#labBlackHoleStatus").startsWith("On:"));
        String r1Rules = exec(LabNode.R1, "nft", "list", "table", "inet", "pathsec_lab");
        assertTrue(r1Rules.contains("frag-needed") && r1Rules.contains("drop"), "R1 drops Fragmentation Needed: " + r1Rules);
        assertTrue(r1Rules.contains("frag-off"), "and fragments: " + r1Rules);
        assertTrue(exec(LabNode.R2, "nft", "list", "table", "inet", "pathsec_lab").contains("packet-too-big"));

        onFx(() -> {
            mtuChoice().getSelectionModel().select(Integer.valueOf(1400)); // a user's pick: fires the action
            return null;
        });
        eventually("the panel says 1400", () -> text("#labMtuStatus").startsWith("1400 bytes cross R1—R2"));
        assertTrue(exec(LabNode.R1, "ip", "link", "show", "dev", "to-r2").contains("mtu 1400"),
                "R1's link to R2 has MTU 1400");
        assertTrue(exec(LabNode.R2, "ip", "link", "show", "dev", "to-r1").contains("mtu 1400"));

        // The tunnel's full-size packets now vanish without ICMP: the daemon must notice and say so.
        eventually(DETECTION_SECONDS, "a black-hole or path-MTU event in the Path MTU view", () -> {
            String banner = window.model().pmtu().bannerProperty().get();
            return banner != null && !banner.isEmpty() || !window.model().pmtu().samples().isEmpty();
        });
        assertFalse(((CheckBox) shown("#labBlackHole")).isDisabled(), "the panel is usable again");
    }

    @Test
    void closingTheLabRemovesItsNamespacesAndEndsTheDaemon() throws Exception {
        LabTopology lab = desktop.topology();
        List<String> names = List.of(LabNode.values()).stream().map(lab::namespace).toList();
        long pid = desktop.daemonPid();
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the daemon runs");
        desktop.close();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the daemon was ended");
        String left = run("ip", "netns", "list");
        for (String name : names) {
            assertFalse(left.contains(name), name + " removed: " + left);
        }
    }

    @SuppressWarnings("unchecked")
    private ComboBox<Integer> mtuChoice() {
        return (ComboBox<Integer>) robot.lookup("#labMtu").query();
    }

    private Node shown(String id) {
        return robot.lookup(id).query();
    }

    private String text(String id) {
        return ((Labeled) robot.lookup(id).query()).getText();
    }

    private String exec(LabNode node, String... command) throws IOException {
        var r = desktop.topology().exec(node, command);
        assertEquals(0, r.exitCode(), String.join(" ", command) + ": " + r.stderr());
        return r.stdout();
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), String.join(" ", command) + " finished");
        return out;
    }

    private static <T> T onFx(Callable<T> c) {
        try {
            return WaitForAsyncUtils.asyncFx(c).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("FX call failed", e);
        }
    }

    private static void eventually(String what, Callable<Boolean> condition) {
        eventually(WAIT_SECONDS, what, condition);
    }

    /** A bounded poll of a condition evaluated on the FX thread. */
    private static void eventually(long seconds, String what, Callable<Boolean> condition) {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> Boolean.TRUE.equals(onFx(condition)));
        } catch (TimeoutException e) {
            fail("timed out after " + seconds + " s waiting for: " + what);
        }
    }
}
