package io.pathsec.engine.control;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.pathsec.engine.control.api.ControlClient;
import io.pathsec.engine.control.api.ControlEvent;
import io.pathsec.engine.control.api.ControlException;
import io.pathsec.engine.control.api.ErrorCode;
import io.pathsec.engine.control.api.EventType;
import io.pathsec.engine.control.api.GatewayClientChanged;
import io.pathsec.engine.control.api.GatewayClientInfo;
import io.pathsec.engine.control.api.GatewayClientList;
import io.pathsec.engine.control.api.Profile;
import io.pathsec.engine.control.api.ProfileKind;
import io.pathsec.engine.control.api.SaInfo;
import io.pathsec.engine.control.api.TunnelInfo;
import io.pathsec.engine.control.api.TunnelState;
import io.pathsec.engine.lab.LabNode;
import io.pathsec.engine.lab.LabOptions;
import io.pathsec.engine.lab.LabTopology;
import io.pathsec.engine.lab.ProcessResult;
import io.pathsec.engine.policy.AddressRange;
import io.pathsec.engine.testsupport.RequiresRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.pathsec.engine.control.DaemonIkeStrongSwanTest.awaitTrue;
import static io.pathsec.engine.control.DaemonIkeStrongSwanTest.readQuietly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gateway mode of the daemon, end to end: a daemon in the lab's G2 runs an {@code ikev2-gateway}
 * profile; a second daemon in G1 connects an {@code ikev2-psk} profile to it across R1—R2. The
 * gateway's {@code gateway.clients} lists the client with the virtual IP the client got, its SAs
 * and the traffic of a ping to E2; {@code gateway.client} events tell its arrival and departure.
 * A client with a wrong PSK is refused ("authentication failed") while the gateway keeps serving:
 * the right client connects again afterwards.
 */
@RequiresRoot
@Timeout(240)
class DaemonGatewayLabTest {
    private static final String GW = "gw";
    private static final String CLIENT = "office";
    private static final String PSK = "daemon-gateway-psk-0123456789abcdef";
    private static final String POOL = "10.201.0.0/24";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static LabTopology lab;

    @TempDir
    Path dir;
    private Path gwSocket;
    private Path clientSocket;
    private Process gwDaemon;
    private Process clientDaemon;

    @BeforeAll
    static void topology() throws IOException {
        lab = LabTopology.create(LabOptions.defaults());
    }

    @AfterAll
    static void teardown() {
        if (lab != null) {
            lab.close();
        }
    }

    /** A daemon in G2 for the gateway profile and one in G1 for the clients, each on its own socket. */
    @BeforeEach
    void daemons() throws Exception {
        gwSocket = dir.resolve("g2/control.sock");
        clientSocket = dir.resolve("g1/control.sock");
        gwDaemon = startDaemon(LabNode.G2, gwSocket, dir.resolve("g2.log"), dir.resolve("g2-state"));
        clientDaemon = startDaemon(LabNode.G1, clientSocket, dir.resolve("g1.log"), dir.resolve("g1-state"));
    }

    @AfterEach
    void stopDaemons() throws InterruptedException {
        for (Process p : new Process[] {clientDaemon, gwDaemon}) {
            if (p != null) {
                stop(p);
            }
        }
    }

    /** A gateway profile in G2 with our PSK, protecting {@code subnet}, with {@code pool} (may be null). */
    private static JsonObject gatewayConfig(String subnet, String pool) {
        JsonObject config = new JsonObject();
        config.addProperty("listen", lab.outerAddress(LabNode.G2, false).getHostAddress());
        config.addProperty("localId", "gw.pathsec.test");
        config.addProperty("psk", PSK);
        if (pool != null) {
            config.addProperty("pool", pool);
        }
        JsonArray subnets = new JsonArray();
        subnets.add(subnet);
        config.add("protectedSubnets", subnets);
        return config;
    }

    @Test
    void roadWarriorIsListedWithItsVirtualIpAndAWrongPskIsRefusedWhileTheGatewayServes() throws Exception {
        String gatewayAddress = lab.outerAddress(LabNode.G2, false).getHostAddress();
        String clientOuter = lab.outerAddress(LabNode.G1, false).getHostAddress();
        String e2 = lab.protectedAddress(LabNode.E2, false).getHostAddress();
        List<ControlEvent> events = new CopyOnWriteArrayList<>();
        try (ControlClient watcher = ControlClient.connect(gwSocket); ControlClient gw = ControlClient.connect(gwSocket);
             ControlClient c = ControlClient.connect(clientSocket)) {
            watcher.subscribe(List.of(EventType.GATEWAY_CLIENT), GW, events::add);
            JsonObject gwConfig = gatewayConfig(lab.protectedNetwork(LabNode.E2, false), POOL);
            gw.putProfile(Profile.of(GW, ProfileKind.IKEV2_GATEWAY, gwConfig), false);
            assertEquals("@stored", gw.getProfile(GW).config().get("psk").getAsString(), "the PSK is write-only");
            TunnelInfo listening = gw.connectTunnel(GW);
            assertEquals(TunnelState.CONNECTED, listening.state(), listening::toString);
            assertTrue(gw.gatewayClients(GW).clients().isEmpty(), "no client yet");

            c.putProfile(Profile.of(CLIENT, ProfileKind.IKEV2_PSK, clientConfig(gatewayAddress, "alice@pathsec.test",
                    PSK)), false);
            TunnelInfo up = c.connectTunnel(CLIENT);
            assertEquals(TunnelState.CONNECTED, up.state(), () -> up + readQuietly(dir.resolve("g2.log")));
            String vip = virtualIp(up.device());
            assertTrue(AddressRange.parse(POOL).contains(InetAddress.getByName(vip)), vip);

            GatewayClientInfo alice = onlyClient(gw.gatewayClients(GW));
            assertEquals("alice@pathsec.test", alice.identity());
            assertEquals(vip, alice.virtualIp(), "the gateway lists the virtual IP the client got");
            assertTrue(alice.outerAddress().startsWith(clientOuter + ":"), alice.outerAddress());
            assertEquals("tunnel", alice.mode());
            assertEquals(2, alice.sas().size(), alice::toString);
            assertTrue(alice.sas().stream().allMatch(sa -> sa.transform().equals("aes256gcm16")), alice::toString);
            assertEquals(List.of("inbound", "outbound"), alice.sas().stream().map(SaInfo::direction).sorted().toList());
            awaitTrue(() -> connectedEvents(events).contains(vip), WAIT, () -> "events: " + events);

            // Traffic from G1 to E2 crosses the gateway's SAs of this client, counted each way.
            ProcessResult ping = lab.exec(LabNode.G1, Duration.ofSeconds(20), "ping", "-n", "-c", "3", "-i", "0.3",
                    "-W", "2", e2);
            assertTrue(ping.succeeded(), () -> "ping G1 -> E2 through the gateway: " + ping.describe());
            GatewayClientInfo counted = onlyClient(gw.gatewayClients(GW));
            assertTrue(counted.receivedPackets() >= 3 && counted.sentPackets() >= 3, counted::toString);
            assertTrue(counted.receivedBytes() > 0 && counted.sentBytes() > 0, counted::toString);
            assertFalse(counted.pmtu().isEmpty(), () -> "the PMTU of the SA towards the client: " + counted);
            System.out.println("gateway.clients: " + counted);

            c.disconnectTunnel(CLIENT);
            awaitTrue(() -> events.stream().anyMatch(e -> e instanceof GatewayClientChanged g
                    && g.change().equals(GatewayClientChanged.LEFT) && vip.equals(g.virtualIp())), WAIT,
                    () -> "left event: " + events);
            assertTrue(gw.gatewayClients(GW).clients().isEmpty(), "the client left");

            // A client with the wrong PSK is refused; the gateway keeps serving.
            c.putProfile(Profile.of("mallory", ProfileKind.IKEV2_PSK, clientConfig(gatewayAddress,
                    "mallory@pathsec.test", "not-the-gateway-psk-0123456789")), false);
            ControlException refused = assertThrows(ControlException.class, () -> c.connectTunnel("mallory"));
            assertEquals(ErrorCode.TUNNEL_FAILED, refused.code());
            assertTrue(refused.getMessage().contains("authentication failed"), refused::getMessage);
            assertTrue(gw.gatewayClients(GW).clients().isEmpty(), "mallory is not listed");
            assertEquals(TunnelState.CONNECTED, gw.status().tunnels().get(0).state(), "the gateway still runs");

            TunnelInfo again = c.connectTunnel(CLIENT);
            assertEquals(TunnelState.CONNECTED, again.state(), again::toString);
            assertEquals("alice@pathsec.test", onlyClient(gw.gatewayClients(GW)).identity());

            ControlException notGateway = assertThrows(ControlException.class, () -> c.gatewayClients(CLIENT));
            assertEquals(ErrorCode.BAD_REQUEST, notGateway.code(), notGateway::getMessage);
            gw.disconnectTunnel(GW);
            ControlException stopped = assertThrows(ControlException.class, () -> gw.gatewayClients(GW));
            assertEquals(ErrorCode.NOT_FOUND, stopped.code(), stopped::getMessage);
            assertFalse(readQuietly(dir.resolve("g2.log")).contains(PSK), "no PSK in the gateway daemon's log");
        }
    }

    /**
     * Host to host: the gateway daemon allows transport mode and protects only its own address;
     * the client daemon's profile asks for {@code "mode": "transport"} (RFC 7296 §1.3.1). The
     * gateway lists the client in transport mode without a virtual IP, and a ping from G1 to G2's
     * outer address goes through the client's SAs.
     */
    @Test
    void hostToHostTransportModeClientIsListedWithoutAVirtualIp() throws Exception {
        String g2 = lab.outerAddress(LabNode.G2, false).getHostAddress();
        try (ControlClient gw = ControlClient.connect(gwSocket); ControlClient c = ControlClient.connect(clientSocket)) {
            JsonObject gwConfig = gatewayConfig(g2 + "/32", null);
            gwConfig.addProperty("allowTransportMode", true);
            gw.putProfile(Profile.of("h2", ProfileKind.IKEV2_GATEWAY, gwConfig), false);
            assertEquals(TunnelState.CONNECTED, gw.connectTunnel("h2").state());

            JsonObject config = clientConfig(g2, "h1@pathsec.test", PSK);
            config.addProperty("mode", "transport");
            c.putProfile(Profile.of("h1", ProfileKind.IKEV2_PSK, config), false);
            TunnelInfo up = c.connectTunnel("h1");
            assertEquals(TunnelState.CONNECTED, up.state(), up::toString);
            assertTrue(c.securityAssociations("h1").sas().stream().allMatch(sa -> sa.mode().equals("transport")),
                    "the client's SAs are in transport mode");

            GatewayClientInfo h1 = onlyClient(gw.gatewayClients("h2"));
            assertEquals("transport", h1.mode(), h1::toString);
            assertEquals(null, h1.virtualIp(), "host to host: no virtual address");
            ProcessResult ping = lab.exec(LabNode.G1, Duration.ofSeconds(20), "ping", "-n", "-c", "3", "-i", "0.3",
                    "-W", "2", g2);
            assertTrue(ping.succeeded(), ping::describe);
            GatewayClientInfo counted = onlyClient(gw.gatewayClients("h2"));
            assertTrue(counted.receivedPackets() >= 3 && counted.sentPackets() >= 3, counted::toString);
        }
    }

    private static List<String> connectedEvents(List<ControlEvent> events) {
        return events.stream().filter(e -> e instanceof GatewayClientChanged g
                && g.change().equals(GatewayClientChanged.CONNECTED)).map(e -> ((GatewayClientChanged) e).virtualIp())
                .toList();
    }

    private static GatewayClientInfo onlyClient(GatewayClientList list) {
        assertEquals(1, list.clients().size(), list::toString);
        return list.clients().get(0);
    }

    private static JsonObject clientConfig(String gateway, String localId, String psk) {
        JsonObject config = new JsonObject();
        config.addProperty("gateway", gateway);
        config.addProperty("localId", localId);
        config.addProperty("remoteId", "gw.pathsec.test");
        config.addProperty("psk", psk);
        return config;
    }

    private Process startDaemon(LabNode node, Path socket, Path log, Path state) throws Exception {
        Files.createFile(log);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = lab.start(node, List.of(java, "-cp", System.getProperty("java.class.path"),
                ControlDaemonService.class.getName(), socket.toString(), state.toString()), log);
        awaitTrue(() -> readQuietly(log).contains("ready "), WAIT, () -> "daemon in " + node + ": " + readQuietly(log));
        return p;
    }

    private String virtualIp(String device) throws IOException {
        ProcessResult addr = lab.exec(LabNode.G1, "ip", "-4", "-o", "addr", "show", "dev", device);
        Matcher m = Pattern.compile("inet (\\d+\\.\\d+\\.\\d+\\.\\d+)").matcher(addr.stdout());
        assertTrue(m.find(), () -> "no IPv4 address on " + device + ": " + addr.describe());
        return m.group(1);
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy(); // SIGTERM by PID: the daemon takes its tunnels down
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
