package io.pathsec.engine.pmtu;

import io.pathsec.engine.gateway.IkeGatewayService;
import io.pathsec.engine.gateway.IkeGatewayStatus;
import io.pathsec.engine.ike.session.IkeLabProcess;
import io.pathsec.engine.lab.LabNode;
import io.pathsec.engine.lab.LabOptions;
import io.pathsec.engine.lab.LabTopology;
import io.pathsec.engine.lab.LabTransfer;
import io.pathsec.engine.pmtu.dplpmtud.DplpmtudPhase;
import io.pathsec.engine.testsupport.RequiresRoot;
import io.pathsec.engine.testsupport.StrongSwanPeer;
import io.pathsec.engine.tunnel.IkeTunnelService;
import io.pathsec.engine.tunnel.IkeTunnelStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DPLPMTUD over IKE (RFC 8899 with padded INFORMATIONAL probes) end to end in the lab: a PathSec
 * road-warrior client in G1 against a PathSec gateway or a stock strongSwan 5.9 charon in G2,
 * which answers the probes without knowing what they are; real routers R1—R2 with a settable MTU,
 * ICMP, an nftables black hole, real kernel TCP with SHA-256-checked transfers from G1's virtual
 * address to E2. Timers are short: PROBE_TIMER 1 s, MAX_PROBES 3.
 */
@RequiresRoot
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DplpmtudLabTest {
    private static final String PSK = "dplpmtud-lab-psk-0123456789abcdef";
    private static final String E2 = "203.0.113.2";
    private static final long BYTES = 30_000_000L;
    private static final Duration SETTLE = Duration.ofSeconds(40);
    private static final Duration TRANSFER_LIMIT = Duration.ofSeconds(180);

    /** Who answers the probes in G2. */
    enum Peer {
        PATHSEC, STRONGSWAN
    }

    private LabTopology lab;

    @TempDir
    Path dir;

    @BeforeAll
    void createLab() throws IOException {
        lab = LabTopology.create(LabOptions.defaults());
    }

    @BeforeEach
    @AfterEach
    void resetPath() throws IOException {
        if (lab != null) {
            LabPath.restore(lab);
        }
    }

    @AfterAll
    void removeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    static Stream<Arguments> peersAndFamilies() {
        return Stream.of(Arguments.of(Peer.PATHSEC, false), Arguments.of(Peer.STRONGSWAN, false),
                Arguments.of(Peer.PATHSEC, true), Arguments.of(Peer.STRONGSWAN, true));
    }

    @ParameterizedTest(name = "{0}, IPv6 outer {1}")
    @MethodSource("peersAndFamilies")
    void convergesWithinEightOctetsOfA1400PathAndTheTransferMatches(Peer peer, boolean ipv6) throws Exception {
        lab.setPathMtu(1400);
        try (AutoCloseable gw = startGateway(peer, ipv6);
             IkeLabProcess<IkeTunnelStatus> client = startClient(peer, ipv6, Map.of())) {
            assertEstablished(client, gw);
            assertTransfer(client);
            IkeTunnelStatus s = await(client, c -> searchComplete(c) && within(c.pmtu.get(0).plpmtu(), 1400),
                    Duration.ofSeconds(60));
            PmtuStatus pmtu = s.pmtu.get(0);
            assertEquals(ipv6, pmtu.outerIpv6());
            int confirmed = pmtu.lastBySource().get(PmtuSource.DPLPMTUD).value();
            assertTrue(within(confirmed, 1400), "DPLPMTUD confirmed " + confirmed + ", within 8 octets of 1400");
            assertTrue(s.dplpmtud.probesAcknowledged() >= 2, s.dplpmtud.toString());
            // R2 answers the too-big probe with Fragmentation Needed / Packet Too Big quoting it: validated
            // as our probe, it concludes it with the router's 1400, which is then confirmed exactly (a
            // CBC suite could only build probes in 16-octet steps; the lab's suites are AEAD).
            PmtuStatus.Sample icmp = pmtu.lastBySource().get(PmtuSource.CLASSIC_ICMP);
            assertNotNull(icmp, "the ICMP quoting the probe was used: " + pmtu);
            assertEquals(1400, icmp.value());
            assertEquals(1400, confirmed, "confirmed exactly the MTU the router reported");
            assertTrue(s.outerIcmp.accepted() > 0, String.valueOf(s.outerIcmp));
            String towardsClient = "";
            if (gw instanceof IkeLabProcess<?> process) {
                // The PathSec gateway probes its client too, over the same IKE SA the other way.
                @SuppressWarnings("unchecked")
                IkeLabProcess<IkeGatewayStatus> g = (IkeLabProcess<IkeGatewayStatus>) process;
                IkeGatewayStatus gs = g.await(x -> x.clients.size() == 1 && !x.clients.get(0).pmtu.isEmpty()
                        && x.clients.get(0).pmtu.get(0).lastBySource().containsKey(PmtuSource.DPLPMTUD)
                        && within(x.clients.get(0).pmtu.get(0).plpmtu(), 1400), Duration.ofSeconds(60));
                PmtuStatus back = gs.clients.get(0).pmtu.get(0);
                assertTrue(within(back.plpmtu(), 1400), g::statusText);
                towardsClient = ", gateway towards the client " + back.plpmtu();
            }
            System.out.printf("%s, IPv6 %s: PLPMTU %d, DPLPMTUD confirmed %d%s; probes %s%n", peer, ipv6,
                    pmtu.plpmtu(), confirmed, towardsClient, s.dplpmtud);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Peer.class)
    void aBlackHoleOpeningLaterIsFoundNamedAndRecovered(Peer peer) throws Exception {
        try (AutoCloseable gw = startGateway(peer, false);
             IkeLabProcess<IkeTunnelStatus> client = startClient(peer, false,
                     Map.of("confirmationTimerSeconds", 4))) {
            assertEstablished(client, gw);
            IkeTunnelStatus before = await(client, c -> searchComplete(c) && c.pmtu.get(0).plpmtu() == 1500,
                    Duration.ofSeconds(30));
            assertEquals(1500, before.pmtu.get(0).plpmtu(), client::logTail);

            lab.setPathMtu(1400);
            lab.setIcmpBlackHole(true);
            lab.setDropFragments(true);
            long opened = System.nanoTime();
            // Idle tunnel: only the confirmation probe can notice.
            IkeTunnelStatus hole = await(client, c -> !c.pmtu.get(0).blackHoles().isEmpty(), Duration.ofSeconds(30));
            double seconds = (System.nanoTime() - opened) / 1e9;
            PmtuStatus.BlackHole event = hole.pmtu.get(0).blackHoles().get(0);
            String outSpi = hole.childSa.replaceAll(".*out 0x([0-9a-f]+).*", "$1");
            assertTrue(event.sa().contains(outSpi), "the event names the outbound SA: " + event + " / " + hole.childSa);
            assertEquals(1500, event.previousPlpmtu());
            assertEquals(1200, event.newPlpmtu(), "fell to the IPv4 BASE_PLPMTU at once");
            assertEquals(1, hole.dplpmtud.blackHoles(), "found by the DPLPMTUD confirmation probe");

            IkeTunnelStatus recovered = await(client, c -> searchComplete(c) && within(c.pmtu.get(0).plpmtu(), 1400),
                    Duration.ofSeconds(60));
            assertTrue(within(recovered.pmtu.get(0).plpmtu(), 1400), client::statusText);
            assertTrue(lab.blackHoleDrops() > 0, "R1 really dropped Fragmentation Needed");
            assertTransfer(client);
            System.out.printf("%s: black hole found %.1f s after it opened (confirmation timer 4 s), "
                    + "searched up to %d%n", peer, seconds, recovered.pmtu.get(0).plpmtu());
        }
    }

    /**
     * A black hole opening under a running transfer: the sender's first retransmission of a
     * full-size segment makes the detector ask for a check; the check's probe of the PLPMTU is lost
     * while its small completion is answered and the peer has gone silent, so the black hole is
     * found by the check (not by the confirmation timer, set to ten minutes here, nor by the
     * detector's own rule of a second timeout), and the segment is answered with Packet Too Big
     * so that the transfer goes on at the new size and completes intact.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Peer.class)
    void aBlackHoleUnderATransferIsFoundByTheCheckAtTheFirstRetransmission(Peer peer) throws Exception {
        try (AutoCloseable gw = startGateway(peer, false);
             IkeLabProcess<IkeTunnelStatus> client = startClient(peer, false,
                     Map.of("confirmationTimerSeconds", 600))) {
            assertEstablished(client, gw);
            await(client, c -> searchComplete(c) && c.pmtu.get(0).plpmtu() == 1500, Duration.ofSeconds(30));
            try (LabTransfer transfer = LabTransfer.start(lab, LabNode.G1, LabNode.E2, InetAddress.getByName(E2),
                    200_000_000L, dir)) {
                awaitProgress(transfer, 5_000_000L);
                IkeTunnelStatus before = await(client, c -> c.dplpmtud != null, Duration.ofSeconds(5));
                assertTrue(before.pmtu.get(0).blackHoles().isEmpty(), () -> "no false alarm under the transfer (losses"
                        + " of another kind are refuted by the check): " + before.dplpmtud + "\n" + client.logTail());
                lab.setIcmpBlackHole(true); // first: no Fragmentation Needed may slip out before it
                lab.setDropFragments(true);
                lab.setPathMtu(1280);
                long opened = System.nanoTime();
                IkeTunnelStatus hole = await(client, c -> !c.pmtu.get(0).blackHoles().isEmpty(), Duration.ofSeconds(20));
                double seconds = (System.nanoTime() - opened) / 1e9;
                long sentAtHole = transfer.bytesSent();
                PmtuStatus.BlackHole event = hole.pmtu.get(0).blackHoles().get(0);
                assertEquals(1500, event.previousPlpmtu());
                assertEquals(1200, event.newPlpmtu());
                assertTrue(hole.dplpmtud.blackHoleChecks() >= 1, "the detector asked for a check: " + hole.dplpmtud);
                assertEquals(1, hole.dplpmtud.blackHoles(), () -> "found by the check's probe: " + hole.dplpmtud
                        + "\n" + client.logTail());
                awaitProgress(transfer, sentAtHole + 20_000_000L);
                LabTransfer.Outcome outcome = transfer.await(TRANSFER_LIMIT);
                assertTrue(outcome.verified(), () -> "transfer across the black hole: " + outcome + client.logTail());
                assertTrue(lab.blackHoleDrops() > 0, "R1 really dropped Fragmentation Needed");
                System.out.printf("%s: black hole under a transfer found by the check %.2f s after it opened; %s%n",
                        peer, seconds, hole.dplpmtud);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Peer.class)
    void followsAnMtuChangeMidTransferDownAtOnceAndUpAfterTheRaiseTimer(Peer peer) throws Exception {
        try (AutoCloseable gw = startGateway(peer, false);
             IkeLabProcess<IkeTunnelStatus> client = startClient(peer, false,
                     Map.of("raiseTimerSeconds", 8, "confirmationTimerSeconds", 3))) {
            assertEstablished(client, gw);
            await(client, c -> searchComplete(c) && c.pmtu.get(0).plpmtu() == 1500, Duration.ofSeconds(30));
            try (LabTransfer transfer = LabTransfer.start(lab, LabNode.G1, LabNode.E2, InetAddress.getByName(E2),
                    300_000_000L, dir)) {
                awaitProgress(transfer, 5_000_000L);
                lab.setPathMtu(1280);
                long down = System.nanoTime();
                // Down at once by ICMP about full-size ESP packets; if a false alarm of the TCP detector
                // (strongSwan's gateway drops packets under load) made the sender shrink before, no
                // full-size packet and so no ICMP comes, and the 3 s confirmation probe finds it.
                await(client, c -> c.pmtu.get(0).plpmtu() <= 1280, Duration.ofSeconds(12));
                double downSeconds = (System.nanoTime() - down) / 1e9;
                IkeTunnelStatus low = await(client, c -> searchComplete(c) && within(c.pmtu.get(0).plpmtu(), 1280),
                        Duration.ofSeconds(30));
                assertTrue(within(low.pmtu.get(0).lastBySource().get(PmtuSource.DPLPMTUD).value(), 1280),
                        "DPLPMTUD confirmed the new path MTU: " + low.pmtu.get(0));
                // A fast path may have carried all of it by now: the raise is then watched under a second one.
                // (Its outcome is read before the second one reuses the same log files.)
                LabTransfer.Outcome early = transfer.isFinished() ? transfer.await(TRANSFER_LIMIT) : null;
                LabTransfer raising = early != null ? secondTransfer() : null;
                lab.setPathMtu(1500);
                long up = System.nanoTime();
                IkeTunnelStatus raised = await(client, c -> c.pmtu.get(0).plpmtu() == 1500, Duration.ofSeconds(20));
                double upSeconds = (System.nanoTime() - up) / 1e9;
                assertEquals(1500, raised.pmtu.get(0).lastBySource().get(PmtuSource.DPLPMTUD).value(),
                        "raised by a DPLPMTUD probe of 1500 after PMTU_RAISE_TIMER");
                if (raised.pmtu.get(0).blackHoles().isEmpty()) {
                    // Without a (false) black-hole alarm in between, only the raise timer searches upwards;
                    // after one (strongSwan's gateway drops packets under load), the search that follows may.
                    assertTrue(upSeconds >= 8 - 2 - 1, "not before the raise timer (8 s after 1280 was confirmed)");
                }
                LabTransfer.Outcome outcome = early != null ? early : transfer.await(TRANSFER_LIMIT);
                assertTrue(outcome.verified(), "transfer across the MTU changes: " + outcome);
                if (raising != null) {
                    try (raising) {
                        LabTransfer.Outcome second = raising.await(TRANSFER_LIMIT);
                        assertTrue(second.verified(), "transfer across the raise: " + second);
                    }
                }
                System.out.printf("%s: 1500 -> 1280 followed in %.1f s, back to 1500 in %.1f s (raise timer 8 s)%n",
                        peer, downSeconds, upSeconds);
            }
        }
    }

    // --- helpers ---------------------------------------------------------------------------

    /** A second transfer, started and flowing. */
    private LabTransfer secondTransfer() throws Exception {
        LabTransfer second = LabTransfer.start(lab, LabNode.G1, LabNode.E2, InetAddress.getByName(E2), 300_000_000L, dir);
        awaitProgress(second, 5_000_000L);
        return second;
    }

    private static boolean within(int plpmtu, int path) {
        return plpmtu <= path && plpmtu >= path - 8;
    }

    private static boolean searchComplete(IkeTunnelStatus s) {
        return s.dplpmtud != null && s.dplpmtud.phase() == DplpmtudPhase.SEARCH_COMPLETE && !s.pmtu.isEmpty();
    }

    private String outer(LabNode node, boolean ipv6) {
        return lab.outerAddress(node, ipv6).getHostAddress();
    }

    private AutoCloseable startGateway(Peer peer, boolean ipv6) throws IOException, InterruptedException {
        if (peer == Peer.STRONGSWAN) {
            StrongSwanPeer.Gateway gw = StrongSwanPeer.Gateway.defaults(outer(LabNode.G2, ipv6));
            return StrongSwanPeer.startGateway(lab.namespace(LabNode.G2), dir.resolve("sw"), gw);
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", "gw");
        p.put("listen", outer(LabNode.G2, ipv6));
        p.put("localId", "gw.pathsec.test");
        p.put("psk", PSK);
        p.put("pool", "10.201.0.0/24");
        p.put("protectedSubnets", List.of(lab.protectedNetwork(LabNode.E2, false)));
        p.put("pmtu", Map.of("probeTimerSeconds", 1, "maxProbes", 3)); // the gateway probes its client too
        IkeLabProcess<IkeGatewayStatus> gw = IkeLabProcess.start(lab, LabNode.G2, IkeGatewayService.class, p, dir,
                "gateway", IkeGatewayStatus.class);
        IkeGatewayStatus s = gw.await(x -> "LISTENING".equals(x.state), SETTLE);
        assertNotNull(s, gw::logTail);
        return gw;
    }

    private IkeLabProcess<IkeTunnelStatus> startClient(Peer peer, boolean ipv6, Map<String, Object> pmtu)
            throws IOException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", "dp");
        p.put("local", outer(LabNode.G1, ipv6));
        p.put("gateway", outer(LabNode.G2, ipv6));
        p.put("localId", "client.pathsec.test");
        p.put("remoteId", peer == Peer.STRONGSWAN ? "gw.sw.test" : "gw.pathsec.test");
        p.put("psk", peer == Peer.STRONGSWAN ? StrongSwanPeer.Gateway.defaults("").psk() : PSK);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("probeTimerSeconds", 1);
        m.put("maxProbes", 3);
        m.putAll(pmtu);
        p.put("pmtu", m);
        return IkeLabProcess.start(lab, LabNode.G1, IkeTunnelService.class, p, dir, "client", IkeTunnelStatus.class);
    }

    private static void assertEstablished(IkeLabProcess<IkeTunnelStatus> client, AutoCloseable gw) throws Exception {
        IkeTunnelStatus s = client.await(c -> List.of("ESTABLISHED", "FAILED", "CLOSED").contains(c.state), SETTLE);
        assertEquals("ESTABLISHED", s == null ? null : s.state, () -> client.statusText() + client.logTail()
                + (gw instanceof StrongSwanPeer sw ? sw.log() : gw instanceof IkeLabProcess<?> g ? g.logTail() : ""));
    }

    private void assertTransfer(IkeLabProcess<IkeTunnelStatus> client) throws Exception {
        try (LabTransfer transfer = LabTransfer.start(lab, LabNode.G1, LabNode.E2, InetAddress.getByName(E2), BYTES,
                dir)) {
            LabTransfer.Outcome outcome = transfer.await(TRANSFER_LIMIT);
            assertTrue(outcome.verified(), () -> "G1 -> E2 SHA-256: " + outcome + "\n" + client.logTail());
            assertEquals(BYTES, outcome.received().bytes());
        }
    }

    private static IkeTunnelStatus await(IkeLabProcess<IkeTunnelStatus> client, Predicate<IkeTunnelStatus> done,
                                         Duration limit) throws Exception {
        IkeTunnelStatus s = client.await(c -> c.pmtu != null && !c.pmtu.isEmpty() && done.test(c), limit);
        assertTrue(s != null && s.pmtu != null && !s.pmtu.isEmpty() && done.test(s), () -> "not within "
                + limit.toSeconds() + " s: " + client.statusText() + "\n" + client.logTail());
        return s;
    }

    private static void awaitProgress(LabTransfer transfer, long bytes) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (transfer.bytesSent() < bytes) {
            assertTrue(System.nanoTime() < deadline && !transfer.isFinished(), "transfer made progress");
            Thread.sleep(100); // polling the sender's progress log; bounded by the deadline
        }
    }
}
