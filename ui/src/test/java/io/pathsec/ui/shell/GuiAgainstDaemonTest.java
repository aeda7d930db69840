package io.pathsec.ui.shell;

import io.pathsec.engine.control.api.IcmpHandling;
import io.pathsec.engine.control.api.LogLine;
import io.pathsec.engine.control.api.ProfileSummary;
import io.pathsec.engine.control.api.TunnelState;
import io.pathsec.ui.GuiOptions;
import io.pathsec.ui.dashboard.SaRow;
import io.pathsec.ui.testsupport.Fx;
import io.pathsec.ui.testsupport.GuiTestDaemon;
import io.pathsec.ui.testsupport.TestProfiles;
import javafx.scene.chart.LineChart;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

import java.util.UUID;
import java.util.prefs.Preferences;

import static io.pathsec.ui.testsupport.Fx.eventually;
import static io.pathsec.ui.testsupport.Fx.eventuallyOff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GUI, headless (Monocle), against a real daemon in this JVM on a temporary socket. Tunnels
 * are in memory (no root needed); everything else is the real control API end to end.
 */
@Timeout(120)
class GuiAgainstDaemonTest {
    private final FxRobot robot = new FxRobot();
    private final Fx fx = new Fx(robot);
    private WindowOnTestDaemon w;
    private GuiTestDaemon d;

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @BeforeEach
    void open() throws Exception {
        w = WindowOnTestDaemon.open(robot);
        d = w.daemon;
    }

    @AfterEach
    void close() throws Exception {
        w.close();
    }

    private java.util.List<String> profileNames() {
        return w.profileNames();
    }

    private void fillOffice() {
        fx.setText("#addressesField", "10.77.0.1/32");
        fx.setText("#routesField", "10.78.0.0/24");
        fx.setText("#listenAddressField", "198.51.100.71");
        fx.setText("#peerAddressField", "198.51.100.72");
        fx.setText("#outSpiField", "0x1000");
        fx.setText("#inSpiField", "0x2000");
        fx.setText("#inKeyField", TestProfiles.IN_KEY);
        fx.setText("#localSelectorField", "10.77.0.0/24");
        fx.setText("#remoteSelectorField", "10.78.0.0/24");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aProfileIsCreatedThroughTheFormAfterTwoRejections() throws Exception {
        robot.clickOn("#newButton");
        assertEquals("New profile", fx.text("#formTitle"));
        robot.clickOn("#nameField").write("office");
        fillOffice();
        robot.clickOn("#outKeyField").write("abcd");
        assertTrue(fx.text("#outKeyError").contains("needs a 36-byte key"), fx.text("#outKeyError"));

        // 1. Rejected before leaving the window: the key is too short.
        robot.clickOn("#saveButton");
        eventually("the form-level hint", () -> fx.isShown("#formError"));
        assertTrue(fx.text("#formError").contains("need attention"));
        assertFalse(profileNamesOff().contains("office"));

        // 2. Rejected by the daemon: transport mode cannot protect networks; shown at the policy field.
        fx.setText("#outKeyField", TestProfiles.OUT_KEY);
        assertEquals("", fx.text("#outKeyError"));
        Fx.run(() -> ((ChoiceBox<String>) fx.shown("#modeChoice")).setValue("transport"));
        robot.clickOn("#saveButton");
        eventually("the daemon's verdict at the local selector", () -> fx.text("#localSelectorError")
                .contains("transport mode"));
        assertTrue(fx.text("#formError").contains("did not accept"), fx.text("#formError"));
        assertFalse(profileNamesOff().contains("office"));

        // 3. Accepted.
        Fx.run(() -> ((ChoiceBox<String>) fx.shown("#modeChoice")).setValue("tunnel"));
        robot.clickOn("#saveButton");
        eventually("office in the list", () -> profileNames().contains("office"));
        eventually("the notice", () -> fx.text("#notice").equals("Created office."));
        assertEquals("Edit office", fx.text("#formTitle"));
        assertEquals("", fx.text("#outKeyField"), "the stored key is not shown back");
        assertEquals("tunnel", d.client.getProfile("office").config().get("mode").getAsString());
        assertTrue(d.client.getProfile("office").storedSecrets().contains("sas[0].key"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRoadWarriorProfileIsStoredAsIkev2Psk() throws Exception {
        robot.clickOn("#newButton");
        Fx.run(() -> ((ChoiceBox<io.pathsec.ui.profiles.ProfileKindChoice>) fx.shown("#kindChoice"))
                .setValue(io.pathsec.ui.profiles.ProfileKindChoice.ROAD_WARRIOR));
        eventually("the road-warrior form", () -> fx.isShown("#gatewayField") && !fx.isShown("#outSpiField"));
        robot.clickOn("#rwNameField").write("home");
        fx.setText("#gatewayField", "vpn.example.org");
        fx.setText("#identityField", "alice@example.org");
        robot.clickOn("#pskField").write("short");
        assertTrue(fx.text("#pskError").contains("at least 16"), fx.text("#pskError"));
        fx.setText("#pskField", "correct horse battery staple");
        robot.clickOn("#splitTunnelRadio");
        fx.setText("#splitRoutesField", "10.0.0.0/8");
        robot.clickOn("#saveButton");
        eventually("home in the list", () -> profileNames().contains("home"));
        var stored = d.client.getProfile("home");
        assertEquals(io.pathsec.engine.control.api.ProfileKind.IKEV2_PSK, stored.kind());
        assertEquals("10.0.0.0/8", stored.config().getAsJsonArray("remoteTs").get(0).getAsString());
        assertEquals("@stored", stored.config().get("psk").getAsString());
    }

    private java.util.List<String> profileNamesOff() throws Exception {
        return d.client.listProfiles().profiles().stream().map(ProfileSummary::name).toList();
    }

    @Test
    void aLostDaemonIsToldAndTheWindowReconnects() throws Exception {
        assertFalse(fx.isShown("#reconnectButton"));
        d.stop();
        eventually("the loss in the status line", () -> fx.text("#statusLine").startsWith("Lost contact"));
        assertTrue(fx.isShown("#reconnectButton"));
        d.restart();
        robot.clickOn("#reconnectButton");
        eventually("the profiles again", () -> profileNames().contains("lab")
                && fx.text("#statusLine").startsWith("Connected to the PathSec service"));
    }

    @Test
    void theIcmpOptionIsStoredThroughSettings() throws Exception {
        robot.push(KeyCode.SHORTCUT, KeyCode.DIGIT4);
        eventually("the ICMP view with lab's stored option", () -> fx.text("#icmpMessage").startsWith("Stored for lab"));
        assertTrue(fx.text("#icmpMessage").contains("Discard"));
        robot.clickOn("#icmp-relay-ike");
        robot.clickOn("#icmpApply");
        eventuallyOff("relay-ike stored in the daemon",
                () -> d.client.settings("lab").settings().icmpHandling() == IcmpHandling.RELAY_IKE);
        eventually("the confirmation", () -> fx.text("#icmpMessage").startsWith("Stored for lab: Relay via IKE"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void connectShowsStateSasAndThroughputThenDisconnects() {
        robot.push(KeyCode.SHORTCUT, KeyCode.DIGIT2);
        eventually("the dashboard", () -> fx.text("#stateLabel").equals("Disconnected"));
        robot.clickOn(fx.shown("#connectButton"));
        eventually("connected", () -> fx.text("#stateLabel").equals("Connected"));
        assertEquals("psx1", fx.text("#deviceLabel"));
        eventually("two SAs", () -> ((TableView<SaRow>) fx.shown("#saTable")).getItems().size() == 2);
        assertEquals("0x00001000", Fx.on(() -> ((TableView<SaRow>) fx.shown("#saTable")).getItems().get(0).spi()));
        eventually("a throughput line from the per-second counters", () ->
                ((LineChart<Number, Number>) fx.shown("#throughputChart")).getData().get(0).getData().size() >= 2);
        assertTrue(fx.text("#packetsLabel").startsWith("sent "), fx.text("#packetsLabel"));

        robot.clickOn(fx.shown("#disconnectButton"));
        eventually("disconnected", () -> fx.text("#stateLabel").equals("Disconnected"));
        assertTrue(d.tunnels.up.isEmpty());
    }

    @Test
    void aFailedConnectIsExplainedInWordsWithTheDetailOneClickAway() throws Exception {
        d.tunnels.failWith = "cannot bind 198.51.100.71:4500: Cannot assign requested address";
        robot.clickOn(fx.shown("#connectButton"));
        eventually("the error in words", () -> fx.isShown("#connectionErrorSummary"));
        assertTrue(fx.text("#connectionErrorSummary").contains("does not have the profile's local (listen) address"),
                fx.text("#connectionErrorSummary"));
        assertFalse(fx.isShown("#connectionErrorDetail"));
        robot.clickOn(fx.shown("#connectionErrorDetails"));
        eventually("the detail", () -> fx.isShown("#connectionErrorDetail"));
        assertTrue(fx.text("#connectionErrorDetail").contains("Cannot assign requested address"));
        eventually("the list says failed", () -> Fx.on(() -> robot.lookup("#profileList .list-cell").queryAll().stream()
                .anyMatch(c -> ((javafx.scene.control.Labeled) c).getText() != null
                        && ((javafx.scene.control.Labeled) c).getText().contains("failed"))));
        assertEquals(TunnelState.FAILED, d.client.status().tunnels().get(0).state());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theLogStreamsAndFilters() {
        robot.push(KeyCode.SHORTCUT, KeyCode.DIGIT5);
        eventually("the log view", () -> fx.isShown("#logTable"));
        d.daemon.publishLog(new LogLine("lab", System.currentTimeMillis(), "INFO", "tunnel", "lab up on psx1"));
        d.daemon.publishLog(new LogLine("lab", System.currentTimeMillis(), "WARN", "replay", "replayed packet on 0x2000"));
        eventually("two lines", () -> ((TableView<LogLine>) fx.shown("#logTable")).getItems().size() == 2);
        robot.clickOn("#logFilter").write("replay");
        eventually("one line", () -> ((TableView<LogLine>) fx.shown("#logTable")).getItems().size() == 1);
        assertEquals("1 of 2 lines", fx.text("#logCount"));
    }

    @Test
    void thePmtuViewShowsSamplesABlackHoleAndStoresItsSettings() throws Exception {
        robot.push(KeyCode.SHORTCUT, KeyCode.DIGIT3);
        eventually("the empty state", () -> fx.isShown("#pmtuEmpty"));
        assertFalse(fx.isShown("#pmtuChart"));
        assertFalse(fx.isShown("#blackHoleBanner"));
        eventually("the stored floor", () -> fx.text("#pmtuFloorField").equals("1280"));

        // Samples and a black hole arrive through the daemon's event stream.
        long now = System.currentTimeMillis();
        d.daemon.events().publish(new io.pathsec.engine.control.api.PmtuSampled("lab", now, "0x00001000", "lab-out",
                "CLASSIC_ICMP", 1500, 1438, 1438));
        d.daemon.events().publish(new io.pathsec.engine.control.api.PmtuBlackHole("lab", now + 1000, "0x00001000",
                "lab-out", 1438, 1500, 1400, 1338, "packets of 1438 bytes vanish between G1 and G2; no ICMP received"));
        eventually("the chart", () -> fx.isShown("#pmtuChart") && !fx.isShown("#pmtuEmpty"));
        eventually("the banner", () -> fx.text("#blackHoleBanner").contains("vanish between G1 and G2"));
        assertTrue(fx.text("#pmtuLatest").startsWith("Path MTU 1400 bytes"), fx.text("#pmtuLatest"));
        robot.clickOn("#pmtu-method-tcp-mss");
        fx.setText("#pmtuFloorField", "1350");
        robot.clickOn("#pmtuApply");
        eventuallyOff("TCP-MSS and the floor stored", () -> {
            var s = d.client.settings("lab").settings();
            return s.pmtuFloor() == 1350 && s.pmtuMethods().contains(io.pathsec.engine.control.api.PmtuMethod.TCP_MSS);
        });
    }
}
