package io.pathsec.ui.shell;

import io.pathsec.engine.control.api.PmtuBlackHole;
import io.pathsec.engine.control.api.PmtuSampled;
import io.pathsec.engine.control.api.ProfileKind;
import io.pathsec.engine.control.api.ProfileSummary;
import io.pathsec.ui.GuiOptions;
import io.pathsec.ui.icmp.IcmpEventRow;
import io.pathsec.ui.icmp.OptionOutcome;
import io.pathsec.ui.testsupport.Fx;
import io.pathsec.ui.testsupport.GuiTestDaemon;
import javafx.scene.control.ListView;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import java.util.prefs.Preferences;
import java.util.zip.ZipInputStream;

import static io.pathsec.ui.testsupport.Fx.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The path diagram, the ICMP tables, the .sswan import and the diagnostics export, headless,
 * against a real daemon in this JVM on a temporary socket (in-memory tunnels; no root).
 * The file dialogs are the desktop's own and cannot be driven headless, so the tests hand the
 * chosen file to the same view-model call the dialogs make.
 */
@Timeout(120)
class GuiDiagnosticsViewsTest {
    private final FxRobot robot = new FxRobot();
    private final Fx fx = new Fx(robot);
    private WindowOnTestDaemon w;
    private GuiTestDaemon d;
    private PathSecWindow window;
    @TempDir
    Path dir;

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @BeforeEach
    void open() throws Exception {
        w = WindowOnTestDaemon.open(robot);
        d = w.daemon;
        window = w.window;
    }

    @AfterEach
    void close() throws Exception {
        w.close();
    }

    private List<String> profileNames() {
        return w.profileNames();
    }

    private void publishIcmpAndBlackHole() {
        long now = System.currentTimeMillis();
        d.daemon.events().publish(new PmtuSampled("lab", now, "0x00001000", "lab-out", "CLASSIC_ICMP", 1400, 1338,
                1438));
        d.daemon.events().publish(new PmtuBlackHole("lab", now + 1000, "0x00001000", "lab-out", 1338, 1400, 1280,
                1218, "packets of 1338 bytes vanish between G1 and G2; no ICMP received"));
        d.daemon.events().publish(new PmtuSampled("lab", now + 1000, "0x00001000", "lab-out", "BLACK_HOLE", 1280,
                1218, 1338));
    }

    @Test
    void thePathDiagramShowsTheHopsMtusTheIcmpSourceAndTheBlackHole() {
        robot.push(KeyCode.SHORTCUT, KeyCode.DIGIT6);
        eventually("the path view, nothing measured", () -> fx.text("#mtu-E1-G1").equals("not measured yet"));
        assertFalse(fx.isShown("#pathBlackHole"));
        assertTrue(fx.isShown("#node-G1") && fx.isShown("#node-R2") && fx.isShown("#tunnelBar"));

        publishIcmpAndBlackHole();
        eventually("the ICMP source on R1—R2", () -> fx.text("#icmp-R1-R2").contains("Fragmentation Needed from a router"));
        assertTrue(fx.text("#icmp-R1-R2").endsWith("MTU 1400"), fx.text("#icmp-R1-R2"));
        eventually("the inner MTU after the black hole", () -> fx.text("#mtu-E1-G1").equals("inner MTU 1218"));
        assertEquals("MTU ≥ 1280", fx.text("#mtu-R1-R2"));
        assertEquals("MTU unknown", fx.text("#mtu-G2-E2"));
        assertTrue(fx.text("#pathBlackHole").contains("packets of 1338 bytes vanished with no ICMP; now using 1280"),
                fx.text("#pathBlackHole"));
        assertTrue(fx.text("#pathTunnel").contains("path MTU 1280 bytes, inner MTU 1218 (BLACK_HOLE"),
                fx.text("#pathTunnel"));

        d.daemon.events().publish(io.pathsec.ui.icmp.IcmpDecisions.portUnreachable("lab", System.currentTimeMillis(),
                io.pathsec.engine.control.api.IcmpOrigin.PEER_GATEWAY, io.pathsec.engine.control.api.IcmpOutcome.DELIVERED,
                "lab-in 0x00002000", null));
        eventually("the peer gateway's error on R2—G2", () -> fx.text("#icmp-R2-G2")
                .contains("port-unreachable from peer gateway G2"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theIcmpViewListsTheErrorAndMarksTheChosenOptionsOutcomes() {
        robot.push(KeyCode.SHORTCUT, KeyCode.DIGIT4);
        eventually("lab's stored option", () -> fx.text("#icmpMessage").startsWith("Stored for lab"));
        TableView<OptionOutcome> outcomes = (TableView<OptionOutcome>) fx.shown("#icmpOutcomes");
        assertEquals(3, Fx.on(() -> outcomes.getItems().size()));
        eventually("discard's column marked", () -> chosenColumn(outcomes).equals("Discard"));
        robot.clickOn("#icmp-implicit");
        eventually("implicit's column marked", () -> chosenColumn(outcomes).equals("Implicit"));

        TableView<IcmpEventRow> events = (TableView<IcmpEventRow>) fx.shown("#icmpEvents");
        assertEquals(0, Fx.on(() -> events.getItems().size()));
        publishIcmpAndBlackHole();
        eventually("one ICMP error (the black hole is none)", () -> events.getItems().size() == 1);
        IcmpEventRow row = Fx.on(() -> events.getItems().get(0));
        assertEquals("fragmentation needed / packet too big, MTU 1400", row.message());
        assertEquals("ESP of SA 0x00001000", row.quotedFlow());

        // The engine's decision on a Port Unreachable (icmp.decision) comes through the same stream.
        d.daemon.events().publish(io.pathsec.ui.icmp.IcmpDecisions.portUnreachable("lab", System.currentTimeMillis(),
                io.pathsec.engine.control.api.IcmpOrigin.END_NODE, io.pathsec.engine.control.api.IcmpOutcome.FORWARDED,
                "lab-out 0x00001000", null));
        eventually("the decision on top", () -> events.getItems().size() == 2);
        IcmpEventRow decision = Fx.on(() -> events.getItems().get(0));
        assertEquals("udp 10.1.0.10:40000 -> 10.2.0.10:5001", decision.quotedFlow());
        assertEquals("forwarded on SA lab-out 0x00001000, option Implicit", decision.decision());
    }

    private static String chosenColumn(TableView<?> table) {
        return table.getColumns().stream().filter(c -> c.getStyleClass().contains("chosen"))
                .map(TableColumn::getText).findFirst().orElse("");
    }

    @Test
    void aSswanFileIsImportedWithItsKeyAndARefusedTypeIsExplained() throws Exception {
        Path file = dir.resolve("berlin.sswan");
        Files.writeString(file, """
                {"uuid": "9f6c6ad6-5b3e-4f57-8a11-7b1c1b7d2f01", "name": "Office VPN (Berlin)", "type": "ikev2-psk",
                 "remote": {"addr": "vpn.example.org", "cert": "MIIBszCCAVmgAwIBAgIUQ1dGZXN0"},
                 "local": {"id": "alice@example.org"}, "split-tunneling": {"subnets": "10.10.0.0/16"}}
                """);
        Fx.run(() -> window.model().profiles().importSswan(file, "correct horse battery staple"));
        eventually("the imported profile in the list", () -> profileNames().contains("Office-VPN-Berlin"));
        eventually("its form", () -> fx.text("#formTitle").equals("Edit Office-VPN-Berlin"));
        assertEquals("vpn.example.org", fx.text("#gatewayField"));
        assertEquals("alice@example.org", fx.text("#identityField"));
        assertTrue(fx.text("#notice").startsWith("Imported Office-VPN-Berlin from berlin.sswan."), fx.text("#notice"));
        assertTrue(fx.text("#notice").contains("remote.cert ignored"), fx.text("#notice"));
        var stored = d.client.getProfile("Office-VPN-Berlin");
        assertEquals(ProfileKind.IKEV2_PSK, stored.kind());
        assertEquals("@stored", stored.config().get("psk").getAsString());

        Path eap = dir.resolve("eap.sswan");
        Files.writeString(eap, Files.readString(file).replace("\"ikev2-psk\"", "\"ikev2-eap\""));
        Fx.run(() -> window.model().profiles().importSswan(eap, "correct horse battery staple"));
        eventually("the refusal", () -> fx.text("#formError").contains("\"ikev2-eap\""));
        assertTrue(fx.text("#formError").startsWith("Not imported:"), fx.text("#formError"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aHostToHostProfileIsMadeInItsOwnFormAndTheDaemonStoresTransportModeBetweenTheEndpoints() throws Exception {
        robot.clickOn("#newButton");
        Fx.run(() -> ((javafx.scene.control.ChoiceBox<io.pathsec.ui.profiles.ProfileKindChoice>) fx.shown("#kindChoice"))
                .setValue(io.pathsec.ui.profiles.ProfileKindChoice.HOST_TO_HOST));
        eventually("the host-to-host form: endpoints and keys, no networks",
                () -> fx.isShown("#peerAddressField") && !fx.isShown("#localSelectorField")
                        && !fx.isShown("#modeChoice") && !fx.isShown("#routesField"));
        robot.clickOn("#nameField").write("peer-b");
        fx.setText("#listenAddressField", "198.51.100.71");
        fx.setText("#peerAddressField", "2001:db8::72");
        assertTrue(fx.text("#peerAddressError").startsWith("Use the same address family"), fx.text("#peerAddressError"));
        fx.setText("#peerAddressField", "198.51.100.72");
        assertEquals("", fx.text("#peerAddressError"));
        fx.setText("#outSpiField", "0x1000");
        fx.setText("#inSpiField", "0x2000");
        fx.setText("#outKeyField", io.pathsec.ui.testsupport.TestProfiles.OUT_KEY);
        fx.setText("#inKeyField", io.pathsec.ui.testsupport.TestProfiles.IN_KEY);
        robot.clickOn("#saveButton");
        eventually("peer-b in the list", () -> profileNames().contains("peer-b"));
        var config = d.client.getProfile("peer-b").config();
        assertEquals("transport", config.get("mode").getAsString());
        var policy = config.getAsJsonArray("policies").get(0).getAsJsonObject();
        assertEquals("198.51.100.71", policy.get("local").getAsString());
        assertEquals("198.51.100.72", policy.get("remote").getAsString());
        eventually("reopened in the host-to-host form", () -> fx.text("#formTitle").equals("Edit peer-b")
                && !fx.isShown("#localSelectorField"));
    }

    @Test
    void diagnosticsAreExportedToTheChosenFileReadableByTheUserOnly() throws Exception {
        robot.push(KeyCode.SHORTCUT, KeyCode.DIGIT5);
        eventually("the log view", () -> fx.isShown("#exportDiagnostics"));
        Path file = dir.resolve("lab-diag.zip");
        Fx.run(() -> window.model().diagnostics().export(file));
        eventually("the confirmation", () -> fx.text("#exportMessage").startsWith("Wrote lab-diag.zip"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        java.util.Set<String> entries = new java.util.TreeSet<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            for (var e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                entries.add(e.getName());
            }
        }
        assertTrue(entries.containsAll(List.of("README.txt", "status.json", "profile.json", "events.jsonl")),
                entries.toString());
    }
}
