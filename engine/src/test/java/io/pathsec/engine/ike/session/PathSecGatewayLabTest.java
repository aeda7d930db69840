package io.pathsec.engine.ike.session;

import io.pathsec.engine.gateway.IkeGatewayService;
import io.pathsec.engine.gateway.IkeGatewayStatus;
import io.pathsec.engine.lab.LabNode;
import io.pathsec.engine.lab.LabOptions;
import io.pathsec.engine.lab.LabTopology;
import io.pathsec.engine.lab.LabTransfer;
import io.pathsec.engine.lab.ProcessResult;
import io.pathsec.engine.policy.AddressRange;
import io.pathsec.engine.testsupport.RequiresRoot;
import io.pathsec.engine.tunnel.IkeTunnelService;
import io.pathsec.engine.tunnel.IkeTunnelStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PathSec ↔ PathSec: IkeGatewayService in G2 (pool 10.201.0.0/24, protecting E2's network),
 * IkeTunnelService clients in G1. One client with cookies demanded from every initiator (RFC 7296
 * §2.6) pings and transfers to E2; five client processes from five source addresses at once,
 * and fifty clients in one process from fifty source addresses (cookies start at 32 half-open
 * SAs), each with its own virtual IP and a ping; a killed client is removed by liveness checks.
 */
@RequiresRoot
class PathSecGatewayLabTest {
    static final String PSK = "pathsec-gw-test-psk-0123456789";
    static final String POOL = "10.201.0.0/24";
    static final String E2 = "203.0.113.2";
    private static final Duration SETTLE = Duration.ofSeconds(40);

    private static LabTopology lab;

    @TempDir
    Path dir;

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

    static Map<String, Object> gatewayProfile(LabTopology lab, int cookieThreshold) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", "gw");
        p.put("listen", lab.outerAddress(LabNode.G2, false).getHostAddress());
        p.put("localId", "gw.pathsec.test");
        p.put("psk", PSK);
        p.put("pool", POOL);
        p.put("protectedSubnets", List.of(lab.protectedNetwork(LabNode.E2, false)));
        p.put("dns", List.of("203.0.113.53"));
        p.put("cookieThreshold", cookieThreshold);
        return p;
    }

    private static Map<String, Object> clientProfile(String name, String local, String id) {
        Map<String, Object> p = LabClients.profile(lab, lab.outerAddress(LabNode.G2, false).getHostAddress(), PSK, id,
                "gw.pathsec.test");
        p.put("name", name);
        p.put("local", local);
        return p;
    }

    @Test
    void pathSecClientGetsAVirtualIpPingsAndTransfersThroughTheGatewayWithCookies() throws Exception {
        try (IkeLabProcess<IkeGatewayStatus> gw = IkeLabProcess.start(lab, LabNode.G2, IkeGatewayService.class,
                gatewayProfile(lab, 0), dir, "gateway", IkeGatewayStatus.class)) {
            assertNotNull(gw.await(s -> "LISTENING".equals(s.state), SETTLE), gw::logTail);
            try (IkeLabProcess<IkeTunnelStatus> client = IkeLabProcess.start(lab, LabNode.G1, IkeTunnelService.class,
                    clientProfile("c", lab.outerAddress(LabNode.G1, false).getHostAddress(), "client.pathsec.test"),
                    dir, "client", IkeTunnelStatus.class)) {
                IkeTunnelStatus s = client.await(LabClients::settled, SETTLE);
                assertEquals("ESTABLISHED", s == null ? null : s.state,
                        () -> client.statusText() + client.logTail() + gw.logTail());
                assertTrue(AddressRange.parse(POOL).contains(InetAddress.getByName(s.virtualIp)), s.virtualIp);
                assertTrue(s.speaksPathSec, "the gateway's Vendor ID was recognised");
                assertEquals("TUNNEL", s.mode);

                IkeGatewayStatus g = gw.await(x -> x.clients.size() == 1, Duration.ofSeconds(5));
                assertEquals(1, g.clients.size(), gw::statusText);
                assertEquals(s.virtualIp, g.clients.get(0).virtualIp);
                assertTrue(g.clients.get(0).speaksPathSec, "the client's Vendor ID was recognised");
                assertTrue(g.cookiesSent >= 1, "cookieThreshold 0: the client had to return a cookie");
                assertTrue(client.log().contains("IKE_SA_INIT to"), client.logTail());

                ProcessResult ping = lab.exec(LabNode.G1, Duration.ofSeconds(20), "ping", "-n", "-c", "3", "-i", "0.3",
                        "-W", "2", E2);
                assertTrue(ping.succeeded(), () -> "ping G1 -> E2: " + ping.stdout() + client.logTail() + gw.logTail()
                        + gw.statusText());
                try (LabTransfer transfer = LabTransfer.start(lab, LabNode.G1, LabNode.E2, InetAddress.getByName(E2),
                        4L * 1024 * 1024, dir)) {
                    LabTransfer.Outcome outcome = transfer.await(Duration.ofSeconds(60));
                    assertTrue(outcome.verified(), () -> "transfer digests: " + outcome);
                }
                System.out.println("gateway status:\n" + gw.statusText() + "\nclient status:\n" + client.statusText());
            }
            IkeGatewayStatus after = gw.await(x -> x.clients.isEmpty() && x.ikeSas == 0, Duration.ofSeconds(10));
            assertTrue(after.clients.isEmpty() && after.ikeSas == 0, () -> "the client's Delete removed it: "
                    + gw.statusText());
        }
    }

    @Test
    void silentClientIsRemovedByLivenessChecks() throws Exception {
        Map<String, Object> profile = gatewayProfile(lab, 32);
        profile.put("dpdDelaySeconds", 2);         // liveness check after 2 s of silence (RFC 7296 §2.4)
        profile.put("retransmitInitialMillis", 500);
        profile.put("retransmitSends", 3);          // 0.5 + 1 + 2 s of retransmissions
        try (IkeLabProcess<IkeGatewayStatus> gw = IkeLabProcess.start(lab, LabNode.G2, IkeGatewayService.class,
                profile, dir, "gateway", IkeGatewayStatus.class)) {
            assertNotNull(gw.await(s -> "LISTENING".equals(s.state), SETTLE), gw::logTail);
            IkeLabProcess<IkeTunnelStatus> client = IkeLabProcess.start(lab, LabNode.G1, IkeTunnelService.class,
                    clientProfile("c", lab.outerAddress(LabNode.G1, false).getHostAddress(), "client.pathsec.test"),
                    dir, "client", IkeTunnelStatus.class);
            try {
                IkeTunnelStatus s = client.await(LabClients::settled, SETTLE);
                assertEquals("ESTABLISHED", s == null ? null : s.state, client::statusText);
                assertEquals(1, gw.await(x -> x.clients.size() == 1, Duration.ofSeconds(5)).clients.size());
                client.kill(); // no Delete: only liveness checks can notice
                long killed = System.nanoTime();
                IkeGatewayStatus g = gw.await(x -> x.clients.isEmpty() && x.ikeSas == 0, Duration.ofSeconds(20));
                long seconds = (System.nanoTime() - killed) / 1_000_000_000L;
                assertTrue(g.clients.isEmpty() && g.ikeSas == 0, () -> "still there: " + gw.statusText());
                assertTrue(gw.log().contains("unreachable"), gw::logTail);
                System.out.println("the gateway removed the killed client after about " + seconds + " s");
            } finally {
                client.close();
            }
        }
    }

    @Test
    void fiveClientsFromFiveSourceAddressesEachGetTheirOwnVirtualIp() throws Exception {
        int n = 5;
        String device = lab.interfaceName(LabNode.G1, LabNode.R1);
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String a = "198.51.100." + (10 + i); // inside G1—R1's 198.51.100.0/26
            exec(LabNode.G1, "ip", "addr", "replace", a + "/26", "dev", device);
            sources.add(a);
        }
        try (IkeLabProcess<IkeGatewayStatus> gw = IkeLabProcess.start(lab, LabNode.G2, IkeGatewayService.class,
                gatewayProfile(lab, 32), dir, "gateway", IkeGatewayStatus.class)) {
            assertNotNull(gw.await(s -> "LISTENING".equals(s.state), SETTLE), gw::logTail);
            List<IkeLabProcess<IkeTunnelStatus>> clients = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    Map<String, Object> p = clientProfile("c" + i, sources.get(i), "client" + i + ".pathsec.test");
                    p.put("tun", "psc" + i);
                    clients.add(IkeLabProcess.start(lab, LabNode.G1, IkeTunnelService.class, p, dir, "client" + i,
                            IkeTunnelStatus.class));
                }
                Set<String> vips = new HashSet<>();
                for (int i = 0; i < n; i++) {
                    IkeLabProcess<IkeTunnelStatus> c = clients.get(i);
                    IkeTunnelStatus s = c.await(LabClients::settled, Duration.ofSeconds(90));
                    assertEquals("ESTABLISHED", s == null ? null : s.state, () -> c.statusText() + c.logTail());
                    assertTrue(vips.add(s.virtualIp), "distinct virtual IPs: " + vips + " + " + s.virtualIp);
                    // Each client replaced the main route to E2's network; its own policy rule
                    // sends what leaves from its virtual IP through its own TUN.
                    exec(LabNode.G1, "ip", "route", "add", lab.protectedNetwork(LabNode.E2, false), "dev", "psc" + i,
                            "table", Integer.toString(100 + i));
                    exec(LabNode.G1, "ip", "rule", "add", "from", s.virtualIp, "table", Integer.toString(100 + i),
                            "priority", Integer.toString(1000 + i));
                }
                IkeGatewayStatus g = gw.await(x -> x.clients.size() == n, Duration.ofSeconds(5));
                assertEquals(n, g.clients.size(), gw::statusText);
                for (int i = 0; i < n; i++) {
                    IkeTunnelStatus s = clients.get(i).status();
                    ProcessResult ping = lab.exec(LabNode.G1, Duration.ofSeconds(20), "ping", "-n", "-c", "2", "-i",
                            "0.3", "-W", "2", "-I", s.virtualIp, E2);
                    int k = i;
                    assertTrue(ping.succeeded(), () -> "ping from " + s.virtualIp + " (client " + k + "): "
                            + ping.stdout() + gw.statusText());
                }
                System.out.println("gateway status with " + n + " clients:\n" + gw.statusText());
            } finally {
                for (IkeLabProcess<IkeTunnelStatus> c : clients) {
                    c.close();
                }
            }
        }
    }

    /** What {@link ManyRoadWarriors} reports. */
    static final class ManyStatus {
        List<String> vips;
        List<String> devices;
        List<String> failures;
    }

    @Test
    void fiftyClientsInOneNamespaceEachGetTheirOwnVirtualIpAndPing() throws Exception {
        int n = 50;
        String device = lab.interfaceName(LabNode.G1, LabNode.R1);
        for (int i = 0; i < n; i++) {
            exec(LabNode.G1, "ip", "addr", "replace", "198.51.100." + (12 + i) + "/26", "dev", device);
        }
        try (IkeLabProcess<IkeGatewayStatus> gw = IkeLabProcess.start(lab, LabNode.G2, IkeGatewayService.class,
                gatewayProfile(lab, 32), dir, "gateway", IkeGatewayStatus.class)) {
            assertNotNull(gw.await(s -> "LISTENING".equals(s.state), SETTLE), gw::logTail);
            Path status = dir.resolve("many.status.json");
            String javaBin = ProcessHandle.current().info().command()
                    .orElse(System.getProperty("java.home") + "/bin/java");
            Process many = lab.start(LabNode.G1, List.of(javaBin, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                    ManyRoadWarriors.class.getName(), lab.outerAddress(LabNode.G2, false).getHostAddress(),
                    "198.51.100.12", Integer.toString(n), PSK, status.toString()), dir.resolve("many.log"));
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
                while (!Files.exists(status) && many.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(200); // polling a file another process writes; bounded by the deadline
                }
                assertTrue(Files.exists(status), () -> "no report: " + tail(dir.resolve("many.log")));
                ManyStatus m = new com.google.gson.Gson().fromJson(Files.readString(status),
                        ManyStatus.class);
                assertEquals(List.of(), m.failures);
                assertEquals(n, new HashSet<>(m.vips).size(), () -> "distinct virtual IPs: " + m.vips);
                IkeGatewayStatus g = gw.await(x -> x.clients.size() == n, Duration.ofSeconds(10));
                assertEquals(n, g.clients.size());
                int failed = 0;
                for (int i = 0; i < n; i++) {
                    exec(LabNode.G1, "ip", "route", "add", lab.protectedNetwork(LabNode.E2, false), "dev",
                            m.devices.get(i), "table", Integer.toString(200 + i));
                    exec(LabNode.G1, "ip", "rule", "add", "from", m.vips.get(i), "table", Integer.toString(200 + i),
                            "priority", Integer.toString(2000 + i));
                    ProcessResult ping = lab.exec(LabNode.G1, Duration.ofSeconds(10), "ping", "-n", "-c", "1", "-W",
                            "2", "-I", m.vips.get(i), E2);
                    failed += ping.succeeded() ? 0 : 1;
                }
                assertEquals(0, failed, "clients whose ping to E2 failed");
                System.out.println(n + " clients in one namespace: virtual IPs " + m.vips + "; gateway cookies sent "
                        + g.cookiesSent);
            } finally {
                many.destroy();
                many.waitFor(30, TimeUnit.SECONDS);
                if (many.isAlive()) {
                    many.destroyForcibly();
                }
            }
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static void exec(LabNode node, String... cmd) throws IOException {
        ProcessResult r = lab.exec(node, cmd);
        assertTrue(r.succeeded(), () -> String.join(" ", cmd) + ": " + r.describe() + r.stdout());
    }
}
