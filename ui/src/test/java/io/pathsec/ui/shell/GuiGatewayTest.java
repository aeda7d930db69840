package io.pathsec.ui.shell;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.pathsec.engine.control.api.ControlClient;
import io.pathsec.engine.control.api.Profile;
import io.pathsec.engine.control.api.ProfileKind;
import io.pathsec.engine.control.api.TunnelState;
import io.pathsec.engine.lab.LabNode;
import io.pathsec.engine.lab.LabOptions;
import io.pathsec.engine.lab.LabTopology;
import io.pathsec.ui.GuiOptions;
import io.pathsec.ui.gateway.GatewayClientRow;
import io.pathsec.ui.testsupport.Fx;
import io.pathsec.ui.testsupport.RealDaemonMain;
import javafx.scene.control.ComboBox;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

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
 * The Gateway view against real daemons in the lab: the production daemon in G2 runs an
 * {@code ikev2-gateway} profile, another in G1 connects a road warrior to it over IKEv2; the
 * window (on G2's socket) reached with Ctrl+7 lists the client with the virtual IP it got, and
 * empties when the client leaves. Skipped, saying why, when not root.
 */
@Tag("netns")
@Timeout(150)
class GuiGatewayTest {
    private static final String PSK = "gui-gateway-psk-0123456789abcdef";
    private final FxRobot robot = new FxRobot();
    private final Fx fx = new Fx(robot);
    private final Preferences prefs = Preferences.userRoot().node("pathsec-test/" + UUID.randomUUID());
    @TempDir
    Path dir;
    private LabTopology lab;
    private Process gatewayDaemon;
    private Process clientDaemon;
    private Path gatewaySocket;
    private Path clientSocket;

    @BeforeEach
    void labAndDaemons() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "skipped: the lab needs root for its namespaces and TUN devices");
        FxToolkit.registerPrimaryStage();
        lab = LabTopology.create(LabOptions.defaults());
        gatewaySocket = dir.resolve("g2/control.sock");
        clientSocket = dir.resolve("g1/control.sock");
        gatewayDaemon = daemon(LabNode.G2, gatewaySocket, "g2");
        clientDaemon = daemon(LabNode.G1, clientSocket, "g1");
        try (ControlClient c = ControlClient.connect(gatewaySocket)) {
            JsonObject config = new JsonObject();
            config.addProperty("listen", lab.outerAddress(LabNode.G2, false).getHostAddress());
            config.addProperty("localId", "gw.pathsec.test");
            config.addProperty("psk", PSK);
            config.addProperty("pool", "10.201.0.0/24");
            JsonArray subnets = new JsonArray();
            subnets.add(lab.protectedNetwork(LabNode.E2, false));
            config.add("protectedSubnets", subnets);
            c.putProfile(Profile.of("gw", ProfileKind.IKEV2_GATEWAY, config), false);
            assertEquals(TunnelState.CONNECTED, c.connectTunnel("gw").state());
        }
        FxToolkit.setupStage(stage -> PathSecWindow.open(stage, new GuiOptions(gatewaySocket, null, "test"),
                new WindowBounds(prefs)));
    }

    private Process daemon(LabNode node, Path socket, String tag) throws Exception {
        Path log = dir.resolve(tag + ".log");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = lab.start(node, List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                RealDaemonMain.class.getName(), socket.toString(), dir.resolve(tag + "-state").toString()), log);
        eventuallyOff("the daemon in " + node, () -> {
            if (!p.isAlive()) {
                throw new AssertionError("the daemon exited: " + Files.readString(log));
            }
            return Files.exists(socket) && Files.readString(log).contains("listening");
        });
        return p;
    }

    @AfterEach
    void cleanUp() throws Exception {
        FxToolkit.cleanupStages();
        prefs.removeNode();
        for (Process p : new Process[] {clientDaemon, gatewayDaemon}) {
            if (p != null) {
                p.destroy(); // SIGTERM by PID: the daemon takes its tunnels down
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theGatewayViewListsTheConnectedRoadWarriorLive() throws Exception {
        eventually("the gateway profile in the selector", () ->
                ((ComboBox<String>) fx.shown("#profileChoice")).getItems().contains("gw"));
        Fx.run(() -> ((ComboBox<String>) fx.shown("#profileChoice")).setValue("gw"));
        robot.push(KeyCode.SHORTCUT, KeyCode.DIGIT7);
        eventually("the gateway view", () -> fx.text("#gatewaySummary")
                .equals("gw is listening; no road warrior is connected."));

        String vip;
        try (ControlClient c = ControlClient.connect(clientSocket)) {
            JsonObject config = new JsonObject();
            config.addProperty("gateway", lab.outerAddress(LabNode.G2, false).getHostAddress());
            config.addProperty("localId", "alice@pathsec.test");
            config.addProperty("remoteId", "gw.pathsec.test");
            config.addProperty("psk", PSK);
            c.putProfile(Profile.of("office", ProfileKind.IKEV2_PSK, config), false);
            String device = c.connectTunnel("office").device();
            String addr = lab.exec(LabNode.G1, "ip", "-4", "-o", "addr", "show", "dev", device).stdout();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("inet (\\d+\\.\\d+\\.\\d+\\.\\d+)").matcher(addr);
            assertTrue(m.find(), addr);
            vip = m.group(1);

            TableView<GatewayClientRow> table = (TableView<GatewayClientRow>) fx.shown("#gatewayClients");
            eventually("alice in the table", () -> table.getItems().size() == 1
                    && table.getItems().get(0).identity().equals("alice@pathsec.test"));
            GatewayClientRow row = Fx.on(() -> table.getItems().get(0));
            assertEquals(vip, row.virtualIp(), "the virtual IP the client got");
            assertTrue(row.outerAddress().startsWith(lab.outerAddress(LabNode.G1, false).getHostAddress() + ":"),
                    row.outerAddress());
            assertEquals("1 road warrior connected to gw.", fx.text("#gatewaySummary"));
            eventually("the details of the selected road warrior", () -> fx.text("#detailSpis").startsWith("in 0x")
                    && fx.text("#detailAlgorithms").contains("aes256gcm16"));

            // Traffic through the gateway shows up without touching the window.
            assertTrue(lab.exec(LabNode.G1, java.time.Duration.ofSeconds(20), "ping", "-n", "-c", "3", "-i", "0.3",
                    "-W", "2", lab.protectedAddress(LabNode.E2, false).getHostAddress()).succeeded(), "ping to E2");
            eventually("the pings counted", () -> table.getItems().size() == 1
                    && !table.getItems().get(0).received().startsWith("0 pkts"));

            c.disconnectTunnel("office");
        }
        eventually("the road warrior gone", () -> fx.text("#gatewaySummary")
                .equals("gw is listening; no road warrior is connected."));
    }
}
