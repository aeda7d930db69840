package io.pathsec.ui.shell;

import com.google.gson.JsonObject;
import io.pathsec.engine.control.api.Profile;
import io.pathsec.engine.control.api.ProfileKind;
import io.pathsec.ui.profiles.ProfileKindChoice;
import io.pathsec.ui.testsupport.Fx;
import javafx.scene.control.ChoiceBox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

import static io.pathsec.ui.testsupport.Fx.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway and IKEv2 host-to-host forms and the path MTU settings, headless, against a real daemon in this JVM on a
 * temporary socket: inline messages stop a wrong profile before it is sent, and what is saved is
 * read back through the control API.
 */
@Timeout(120)
class GuiProfileFormsTest {
    private final FxRobot robot = new FxRobot();
    private final Fx fx = new Fx(robot);
    private WindowOnTestDaemon w;

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @BeforeEach
    void open() throws Exception {
        w = WindowOnTestDaemon.open(robot);
    }

    @AfterEach
    void close() throws Exception {
        w.close();
    }

    @SuppressWarnings("unchecked")
    private void newProfileOfKind(ProfileKindChoice kind) {
        robot.clickOn("#newButton");
        Fx.run(() -> ((ChoiceBox<ProfileKindChoice>) fx.shown("#kindChoice")).setValue(kind));
    }

    @Test
    void aGatewayProfileIsMadeInItsFormAfterTheFormRefusedItsMistakes() throws Exception {
        newProfileOfKind(ProfileKindChoice.GATEWAY);
        eventually("the gateway form", () -> fx.isShown("#poolField") && !fx.isShown("#gatewayField")
                && !fx.isShown("#peerAddressField"));
        robot.clickOn("#gwNameField").write("edge");
        fx.setText("#listenField", "vpn.example.org");
        fx.setText("#gwIdentityField", "vpn.example.org");
        fx.setText("#gwPskField", "short");
        fx.setText("#poolField", "2001:db8::/64");
        fx.setText("#protectedSubnetsField", "192.0.2.0/24");
        robot.clickOn("#saveButton");
        eventually("the mistakes named next to their fields", () -> fx.text("#listenError").startsWith("Not an IP")
                && fx.text("#gwPskError").contains("at least 16") && fx.text("#poolError").startsWith("Not an IPv4"));
        assertTrue(fx.text("#formError").contains("need attention"), fx.text("#formError"));
        assertFalse(w.profileNames().contains("edge"), "nothing reached the daemon");

        fx.setText("#listenField", "198.51.100.130");
        fx.setText("#gwPskField", "correct horse battery staple");
        fx.setText("#poolField", "10.201.0.0/24");
        fx.setText("#dnsField", "192.0.2.53");
        // Well formed but unknown to the daemon: its verdict lands next to the field.
        fx.setText("#gwIkeProposalsField", "aes256gcm16-prfsha256-nosuchgroup");
        robot.clickOn("#saveButton");
        eventually("the daemon's verdict at the IKE proposals", () -> !fx.text("#gwIkeProposalsError").isEmpty());
        assertFalse(w.profileNames().contains("edge"), "refused by the daemon");
        fx.setText("#gwIkeProposalsField", "");
        fx.setText("#gwEspProposalsField", "chacha20poly1305");
        robot.clickOn("#saveButton");
        eventually("edge in the list", () -> w.profileNames().contains("edge"));
        Profile stored = w.daemon.client.getProfile("edge");
        assertEquals(ProfileKind.IKEV2_GATEWAY, stored.kind());
        JsonObject c = stored.config();
        assertEquals("198.51.100.130", c.get("listen").getAsString());
        assertEquals("10.201.0.0/24", c.get("pool").getAsString());
        assertEquals("192.0.2.0/24", c.getAsJsonArray("protectedSubnets").get(0).getAsString());
        assertEquals("192.0.2.53", c.getAsJsonArray("dns").get(0).getAsString());
        assertEquals("@stored", c.get("psk").getAsString());
        assertEquals("chacha20poly1305", c.getAsJsonArray("espProposals").get(0).getAsString());
        assertFalse(c.has("ikeProposals"), "empty: the daemon's default");
        eventually("reopened in the gateway form", () -> fx.text("#formTitle").equals("Edit edge")
                && fx.isShown("#poolField"));
    }

    @Test
    void anIkeHostToHostProfileAsksForThePeerAndStoresTransportMode() throws Exception {
        newProfileOfKind(ProfileKindChoice.IKE_HOST_TO_HOST);
        eventually("the IKEv2 host-to-host form: a peer host, no traffic choice", () -> fx.isShown("#gatewayField")
                && !fx.isShown("#splitRoutesField") && !fx.isShown("#fullTunnelRadio")
                && fx.text("#gatewayLabel").equals("Peer host"));
        robot.clickOn("#rwNameField").write("peer-c");
        fx.setText("#gatewayField", "not a host!");
        assertTrue(fx.text("#gatewayError").startsWith("Not a host"), fx.text("#gatewayError"));
        fx.setText("#gatewayField", "198.51.100.140");
        fx.setText("#identityField", "host-a.example.org");
        fx.setText("#remoteIdField", "host-c.example.org");
        fx.setText("#pskField", "correct horse battery staple");
        robot.clickOn("#saveButton");
        eventually("peer-c in the list", () -> w.profileNames().contains("peer-c"));
        Profile stored = w.daemon.client.getProfile("peer-c");
        assertEquals(ProfileKind.IKEV2_PSK, stored.kind());
        assertEquals("transport", stored.config().get("mode").getAsString());
        assertFalse(stored.config().has("remoteTs"));
        eventually("reopened as IKEv2 host to host", () -> fx.text("#formTitle").equals("Edit peer-c")
                && fx.text("#gatewayLabel").equals("Peer host"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void thePmtuSettingsRefuseABadTimerAndStoreTheFixedMtuTimersAndOuterDf() throws Exception {
        robot.push(javafx.scene.input.KeyCode.SHORTCUT, javafx.scene.input.KeyCode.DIGIT3);
        eventually("the stored floor", () -> fx.text("#pmtuFloorField").equals("1280"));
        fx.setText("#pmtuRaiseTimerField", "0");
        robot.clickOn("#pmtuApply");
        eventually("the raise timer's message", () -> fx.text("#pmtuRaiseTimerError").contains("1 and 86400"));
        assertEquals(null, w.daemon.client.settings("lab").settings().pmtuRaiseTimerSeconds(), "nothing stored");

        fx.setText("#pmtuRaiseTimerField", "120");
        fx.setText("#pmtuFixedMtuField", "1400");
        fx.setText("#pmtuProbeTimerField", "5");
        Fx.run(() -> ((ChoiceBox<io.pathsec.engine.control.api.OuterDfBit>) fx.shown("#pmtuOuterDf"))
                .setValue(io.pathsec.engine.control.api.OuterDfBit.CLEAR));
        robot.clickOn("#pmtuApply");
        io.pathsec.ui.testsupport.Fx.eventuallyOff("the settings stored", () -> {
            var s = w.daemon.client.settings("lab").settings();
            return Integer.valueOf(120).equals(s.pmtuRaiseTimerSeconds()) && Integer.valueOf(1400).equals(s.pmtuFixedMtu())
                    && Integer.valueOf(5).equals(s.pmtuProbeTimerSeconds())
                    && s.outerDf() == io.pathsec.engine.control.api.OuterDfBit.CLEAR;
        });
        eventually("the confirmation", () -> fx.text("#pmtuSettingsMessage").contains("fixed at 1400"));
    }
}
