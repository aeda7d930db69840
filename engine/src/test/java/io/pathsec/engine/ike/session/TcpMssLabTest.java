package io.pathsec.engine.ike.session;

import io.pathsec.engine.gateway.IkeGatewayService;
import io.pathsec.engine.gateway.IkeGatewayStatus;
import io.pathsec.engine.lab.LabNode;
import io.pathsec.engine.lab.LabOptions;
import io.pathsec.engine.lab.LabTopology;
import io.pathsec.engine.lab.ProcessResult;
import io.pathsec.engine.pmtu.PmtuSource;
import io.pathsec.engine.pmtu.PmtuStatus;
import io.pathsec.engine.pmtu.tcpmss.TcpMssInitiator;
import io.pathsec.engine.pmtu.tcpmss.TcpMssRejection;
import io.pathsec.engine.pmtu.tcpmss.TcpMssResult;
import io.pathsec.engine.pmtu.tcpmss.TcpMssSettings;
import io.pathsec.engine.pmtu.tcpmss.TcpMssStats;
import io.pathsec.engine.testsupport.RequiresRoot;
import io.pathsec.engine.testsupport.StrongSwanPeer;
import io.pathsec.engine.tun.NetnsThread;
import io.pathsec.engine.tunnel.IkeTunnelService;
import io.pathsec.engine.tunnel.IkeTunnelStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The TCP-MSS method PathSec ↔ PathSec in the lab (IkeTunnelService in G1, IkeGatewayService in
 * G2), with R1 clamping the MSS of forwarded SYNs to 1300, real kernel TCP and real nftables:
 * both ends measure path MTU 1340 (1360 over IPv6) and enter it into their SA's PMTU state as TCP_MSS; with
 * 4500/tcp dropped by R1 the tunnel comes up at once and the method gives up quietly; connections
 * from another namespace, naming an unknown IKE SA, or with the right SPIs and a wrong key are
 * refused and counted while the tunnel carries on. Against a stock strongSwan gateway (no PathSec
 * Vendor ID) the method stays silent and the tunnel is up as without it.
 */
@RequiresRoot
class TcpMssLabTest {
    private static final int CLAMP = 1300;
    private static final Duration SETTLE = Duration.ofSeconds(40);
    private static LabTopology lab;

    @TempDir
    Path dir;

    @BeforeAll
    static void topology() throws IOException {
        lab = LabTopology.create(LabOptions.defaults().withMssClamp(CLAMP));
    }

    @AfterAll
    static void teardown() {
        if (lab != null) {
            lab.close();
        }
    }

    private static Map<String, Object> client(boolean tcpMss) {
        return client(tcpMss, false);
    }

    private static Map<String, Object> client(boolean tcpMss, boolean ipv6) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", "mss");
        p.put("local", lab.outerAddress(LabNode.G1, ipv6).getHostAddress());
        p.put("gateway", lab.outerAddress(LabNode.G2, ipv6).getHostAddress());
        p.put("localId", "client.pathsec.test");
        p.put("remoteId", "gw.pathsec.test");
        p.put("psk", PathSecGatewayLabTest.PSK);
        p.put("tcpMss", tcpMss);
        return p;
    }

    private IkeLabProcess<IkeGatewayStatus> gateway() throws Exception {
        return gateway(PathSecGatewayLabTest.gatewayProfile(lab, 32));
    }

    private IkeLabProcess<IkeGatewayStatus> gateway(Map<String, Object> profile) throws Exception {
        IkeLabProcess<IkeGatewayStatus> gw = IkeLabProcess.start(lab, LabNode.G2, IkeGatewayService.class,
                profile, dir, "gateway", IkeGatewayStatus.class);
        assertNotNull(gw.await(s -> "LISTENING".equals(s.state), SETTLE), gw::logTail);
        return gw;
    }

    private static PmtuStatus.Sample tcpMssSample(List<PmtuStatus> pmtu) {
        return pmtu == null || pmtu.isEmpty() ? null : pmtu.get(0).lastBySource().get(PmtuSource.TCP_MSS);
    }

    private static boolean tcpPortListening(int port) throws IOException {
        ProcessResult ss = lab.exec(LabNode.G2, "ss", "-Hltn", "sport = :" + port);
        assertTrue(ss.succeeded(), ss::describe);
        return !ss.stdout().isBlank();
    }

    @Test
    void clampedMssOf1300GivesPathMtu1340OnBothEnds() throws Exception {
        measuresOnBothEnds(false, 1340);
    }

    @Test
    void clampedMssOf1300GivesPathMtu1360OverIpv6() throws Exception {
        measuresOnBothEnds(true, 1360);
    }

    /**
     * Host-to-host transport mode: G2's outer address is routed into the TUN, so only the outer
     * sockets' mark keeps the TCP-MSS connection on the outer path, where R1 clamps it. Through
     * the tunnel it would see the TUN's MTU (1400) and no clamp at all.
     */
    @Test
    void transportModeMeasuresTheOuterPathNotTheTunnel() throws Exception {
        Map<String, Object> host = PathSecGatewayLabTest.gatewayProfile(lab, 32);
        host.remove("pool");
        host.put("protectedSubnets", List.of(lab.outerAddress(LabNode.G2, false).getHostAddress() + "/32"));
        host.put("allowTransportMode", true);
        Map<String, Object> client = client(true, false);
        client.put("mode", "transport");
        measuresOnBothEnds(host, client, 1340);
    }

    private void measuresOnBothEnds(boolean ipv6, int expected) throws Exception {
        Map<String, Object> gateway = PathSecGatewayLabTest.gatewayProfile(lab, 32);
        gateway.put("listen", lab.outerAddress(LabNode.G2, ipv6).getHostAddress());
        measuresOnBothEnds(gateway, client(true, ipv6), expected);
    }

    private void measuresOnBothEnds(Map<String, Object> gateway, Map<String, Object> client, int expected)
            throws Exception {
        try (IkeLabProcess<IkeGatewayStatus> gw = gateway(gateway);
             IkeLabProcess<IkeTunnelStatus> c = IkeLabProcess.start(lab, LabNode.G1, IkeTunnelService.class,
                     client, dir, "client", IkeTunnelStatus.class)) {
            IkeTunnelStatus s = c.await(x -> x.tcpMss != null || "FAILED".equals(x.state), SETTLE);
            assertNotNull(s, c::logTail);
            assertEquals("ESTABLISHED", s.state, c::statusText);
            // R1 clamps SYNs both ways, so each end must see 1300: a connection that left through
            // the tunnel would show the TUN's MSS on one side at least.
            assertEquals("path MTU " + expected + " (MSS observed here " + CLAMP + ", by the peer " + CLAMP + ")",
                    s.tcpMss, () -> c.logTail() + gw.logTail());
            assertEquals(1, s.tcpMssCounts.measured());
            IkeTunnelStatus withPmtu = c.await(x -> tcpMssSample(x.pmtu) != null, Duration.ofSeconds(5));
            PmtuStatus clientSa = withPmtu.pmtu.get(0);
            assertEquals(expected, clientSa.lastBySource().get(PmtuSource.TCP_MSS).value(), c::statusText);
            assertEquals(expected, clientSa.plpmtu(), "applied to the outbound SA: " + c.statusText());
            assertTrue(clientSa.history().stream().anyMatch(h -> h.source() == PmtuSource.TCP_MSS && h.applied()));

            IkeGatewayStatus g = gw.await(x -> x.clients.size() == 1 && tcpMssSample(x.clients.get(0).pmtu) != null,
                    Duration.ofSeconds(10));
            assertEquals(1, g.clients.size(), gw::statusText);
            PmtuStatus gatewaySa = g.clients.get(0).pmtu.get(0);
            assertEquals(expected, gatewaySa.lastBySource().get(PmtuSource.TCP_MSS).value(), gw::statusText);
            assertEquals(expected, gatewaySa.plpmtu(), gw::statusText);
            assertEquals(1, g.tcpMss.measured(), gw::statusText);
            assertTrue(g.tcpMss.rejected().isEmpty(), gw::statusText);
            assertTrue(!tcpPortListening(TcpMssSettings.DEFAULT_PORT), "no IKE SA waits: 4500/tcp is closed again");
            System.out.println("TCP-MSS with R1 clamping to " + CLAMP + " (" + s.mode + ", " + gateway.get("listen")
                    + "): client " + s.tcpMss + "; gateway SA PLPMTU "
                    + gatewaySa.plpmtu() + ", effective inner MTU " + gatewaySa.effectiveMtu());
        }
    }

    /**
     * A stock strongSwan 5.9 gateway sends no PathSec Vendor ID: a client with the method on
     * stays silent — no SYN to 4500/tcp leaves, nothing is counted, no TCP_MSS value — and the
     * tunnel comes up and carries traffic as without it.
     */
    @Test
    void againstStrongSwanTheMethodStaysSilentAndTheTunnelIsUpAtOnce() throws Exception {
        String table = "pathsec_tcpmss_count";
        forwardedToPortOnR1(table, "counter");
        String g2 = lab.outerAddress(LabNode.G2, false).getHostAddress();
        StrongSwanPeer.Gateway sw = StrongSwanPeer.Gateway.defaults(g2);
        Map<String, Object> profile = client(true);
        profile.put("remoteId", sw.gatewayId());
        profile.put("psk", sw.psk());
        try (StrongSwanPeer gw = StrongSwanPeer.startGateway(lab.namespace(LabNode.G2), dir.resolve("sw"), sw);
             IkeLabProcess<IkeTunnelStatus> c = IkeLabProcess.start(lab, LabNode.G1, IkeTunnelService.class,
                     profile, dir, "client", IkeTunnelStatus.class)) {
            IkeTunnelStatus up = c.await(x -> !"CONNECTING".equals(x.state), SETTLE);
            assertEquals("ESTABLISHED", up == null ? null : up.state, () -> c.logTail() + gw.log());
            ProcessResult ping = lab.exec(LabNode.G1, Duration.ofSeconds(20), "ping", "-n", "-c", "3", "-i", "0.3",
                    "-W", "2", PathSecGatewayLabTest.E2);
            assertTrue(ping.succeeded(), () -> "traffic flows: " + ping.stdout() + c.logTail());
            IkeTunnelStatus s = c.status();
            assertNull(s.tcpMss, "no outcome: the method never ran");
            assertEquals(0, s.tcpMssCounts.measured());
            assertTrue(s.tcpMssCounts.rejected().isEmpty(), String.valueOf(s.tcpMssCounts));
            assertNull(tcpMssSample(s.pmtu), "no TCP_MSS value entered the PMTU state");
            assertEquals(0, nftDrops(table), "not one SYN to " + TcpMssSettings.DEFAULT_PORT + "/tcp crossed R1");
            List<String> lines = c.log().lines().filter(l -> l.contains("TCP-MSS")).toList();
            assertEquals(1, lines.size(), () -> "one log line: " + lines);
            assertTrue(lines.get(0).contains("Vendor ID") && lines.get(0).contains(" INFO "), lines.get(0));
        } finally {
            nft("delete table inet " + table + "\n");
        }
    }

    @Test
    void blockedPortLeavesTheTunnelUpAndFailsQuietly() throws Exception {
        String table = "pathsec_tcpmss_test";
        forwardedToPortOnR1(table, "counter drop");
        try (IkeLabProcess<IkeGatewayStatus> gw = gateway();
             IkeLabProcess<IkeTunnelStatus> c = IkeLabProcess.start(lab, LabNode.G1, IkeTunnelService.class,
                     client(true), dir, "client", IkeTunnelStatus.class)) {
            IkeTunnelStatus up = c.await(x -> !"CONNECTING".equals(x.state), SETTLE);
            assertEquals("ESTABLISHED", up == null ? null : up.state, c::logTail);
            assertNull(up.tcpMss, "the tunnel is up while the TCP-MSS connection still waits for its SYN-ACK");
            ProcessResult ping = lab.exec(LabNode.G1, Duration.ofSeconds(20), "ping", "-n", "-c", "2", "-i", "0.3",
                    "-W", "2", PathSecGatewayLabTest.E2);
            assertTrue(ping.succeeded(), () -> "traffic flows meanwhile: " + ping.stdout() + c.logTail());

            IkeTunnelStatus s = c.await(x -> x.tcpMss != null, Duration.ofSeconds(15));
            assertTrue(s.tcpMss.contains("UNREACHABLE"), s.tcpMss);
            assertEquals(1, s.tcpMssCounts.rejected(TcpMssRejection.UNREACHABLE));
            assertNull(tcpMssSample(s.pmtu), "no TCP_MSS value entered the PMTU state");
            assertEquals(1500, s.pmtu.get(0).plpmtu());
            List<String> lines = c.log().lines().filter(l -> l.contains("TCP-MSS")).toList();
            assertEquals(1, lines.size(), () -> "one log line: " + lines);
            assertTrue(lines.get(0).contains(" INFO "), lines.get(0));
            assertTrue(nftDrops(table) >= 1, "R1 dropped the SYNs");
            assertEquals("ESTABLISHED", c.status().state);
        } finally {
            nft("delete table inet " + table + "\n");
        }
    }

    @Test
    void hijackAttemptsAreRefusedAndCounted() throws Exception {
        try (IkeLabProcess<IkeGatewayStatus> gw = gateway();
             IkeLabProcess<IkeTunnelStatus> c = IkeLabProcess.start(lab, LabNode.G1, IkeTunnelService.class,
                     client(false), dir, "client", IkeTunnelStatus.class)) {
            // The client does not use the method, so the gateway waits for it (its listen window):
            // the attackers find the port open.
            IkeTunnelStatus s = c.await(x -> !"CONNECTING".equals(x.state), SETTLE);
            assertEquals("ESTABLISHED", s == null ? null : s.state, c::logTail);
            long[] spis = ikeSpis(c.log());
            InetAddress g1 = lab.outerAddress(LabNode.G1, false);
            InetAddress r2 = lab.address(LabNode.R2, LabNode.G2, false);
            byte[] wrongKey = new byte[32];
            new SecureRandom().nextBytes(wrongKey);

            TcpMssResult fromR2 = attack(LabNode.R2, r2, spis[0], spis[1], wrongKey);
            TcpMssResult unknownSa = attack(LabNode.G1, g1, spis[0] ^ 1, spis[1], wrongKey);
            TcpMssResult wrongKeyRealSa = attack(LabNode.G1, g1, spis[0], spis[1], wrongKey);
            for (TcpMssResult r : List.of(fromR2, unknownSa, wrongKeyRealSa)) {
                assertEquals(TcpMssRejection.CLOSED_EARLY, assertInstanceOf(TcpMssResult.Failed.class, r).reason(),
                        "the gateway hangs up without an answer: " + r);
            }
            IkeGatewayStatus g = gw.await(x -> x.tcpMss != null && x.tcpMss.rejected().size() == 3,
                    Duration.ofSeconds(5));
            assertEquals(1, g.tcpMss.rejected(TcpMssRejection.UNEXPECTED_PEER), gw::statusText);
            assertEquals(1, g.tcpMss.rejected(TcpMssRejection.UNKNOWN_IKE_SA), gw::statusText);
            assertEquals(1, g.tcpMss.rejected(TcpMssRejection.BAD_MAC), gw::statusText);
            assertEquals(0, g.tcpMss.measured());
            assertNull(tcpMssSample(g.clients.get(0).pmtu), "nothing entered the PMTU state: " + gw.statusText());
            ProcessResult ping = lab.exec(LabNode.G1, Duration.ofSeconds(20), "ping", "-n", "-c", "2", "-i", "0.3",
                    "-W", "2", PathSecGatewayLabTest.E2);
            assertTrue(ping.succeeded(), () -> "the tunnel carries on: " + ping.stdout());
            System.out.println("refused TCP-MSS connections at the gateway: " + g.tcpMss.rejected());
        }
    }

    /** An initiator with {@code key} for the IKE SA {@code spiI/spiR}, run from inside {@code node}. */
    private static TcpMssResult attack(LabNode node, InetAddress local, long spiI, long spiR, byte[] key)
            throws Exception {
        CompletableFuture<TcpMssResult> done = new CompletableFuture<>();
        Optional<TcpMssInitiator> run = NetnsThread.call(lab.namespace(node), () -> TcpMssInitiator.afterIkeAuth(
                TcpMssSettings.on(TcpMssSettings.DEFAULT_PORT), true,
                (label, length) -> Optional.of(new IkeSaExtensionKey(spiI, spiR, key)), local,
                lab.outerAddress(LabNode.G2, false), 0, new TcpMssStats(), done::complete));
        assertTrue(run.isPresent());
        return done.get(10, TimeUnit.SECONDS);
    }

    /** SPIi and SPIr of the client's IKE SA, from its log ("IKE_SA_INIT to … (SPIi …", "IKE_SA_INIT done: SPIr …"). */
    private static long[] ikeSpis(String log) {
        Matcher i = Pattern.compile("\\(SPIi ([0-9a-f]{16})").matcher(log);
        Matcher r = Pattern.compile("IKE_SA_INIT done: SPIr ([0-9a-f]{16})").matcher(log);
        assertTrue(i.find() && r.find(), log);
        return new long[] {Long.parseUnsignedLong(i.group(1), 16), Long.parseUnsignedLong(r.group(1), 16)};
    }

    /** An nftables table on R1 whose one rule applies {@code verdict} to forwarded TCP to the method's port. */
    private static void forwardedToPortOnR1(String table, String verdict) throws IOException {
        nft("add table inet " + table + "\n"
                + "add chain inet " + table + " port { type filter hook forward priority filter; policy accept; }\n"
                + "add rule inet " + table + " port tcp dport " + TcpMssSettings.DEFAULT_PORT + " " + verdict + "\n");
    }

    private static void nft(String script) throws IOException {
        Path file = java.nio.file.Files.createTempFile("tcpmss", ".nft");
        try {
            java.nio.file.Files.writeString(file, script);
            ProcessResult r = lab.exec(LabNode.R1, "nft", "-f", file.toString());
            assertTrue(r.succeeded(), r::describe);
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    private static long nftDrops(String table) throws IOException {
        ProcessResult r = lab.exec(LabNode.R1, "nft", "list", "table", "inet", table);
        Matcher m = Pattern.compile("packets (\\d+)").matcher(r.stdout());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
