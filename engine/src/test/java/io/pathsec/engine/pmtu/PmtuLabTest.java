package io.pathsec.engine.pmtu;

import io.pathsec.engine.lab.LabNode;
import io.pathsec.engine.lab.LabOptions;
import io.pathsec.engine.lab.LabTopology;
import io.pathsec.engine.lab.LabTransfer;
import io.pathsec.engine.lab.LabTunnel;
import io.pathsec.engine.lab.ProcessResult;
import io.pathsec.engine.policy.IpsecMode;
import io.pathsec.engine.testsupport.ForgedIcmp;
import io.pathsec.engine.testsupport.RequiresRoot;
import io.pathsec.engine.tunnel.TunnelStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Path MTU end to end with two static-key engines in the lab (E1 — G1 — R1 — R2 — G2 — E2):
 * real routers answering with ICMP, an nftables black hole, real kernel TCP. Each test sets the
 * R1—R2 segment itself and restores it.
 */
@RequiresRoot
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PmtuLabTest {
    private static final long BYTES = 100_000_000L;
    private static final Duration TRANSFER_LIMIT = Duration.ofSeconds(240);
    private static final String RAISE_TIMER = PmtuSettings.PREFIX + "raiseTimer";

    private LabTopology lab;
    private Path work;

    @BeforeAll
    void createLab() throws IOException {
        lab = LabTopology.create(LabOptions.defaults());
        work = Files.createTempDirectory("pathsec-pmtu-test-");
    }

    @BeforeEach
    @AfterEach
    void resetPath() throws IOException {
        System.clearProperty(RAISE_TIMER);
        if (lab != null) {
            LabPath.restore(lab);
        }
    }

    @AfterAll
    void removeLab() throws IOException {
        if (lab != null) {
            lab.close();
        }
        if (work != null) {
            try (Stream<Path> paths = Files.walk(work)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void classicPmtudLearnsThePathMtuFromRouterIcmp() throws Exception {
        lab.setPathMtu(1400);
        try (LabTunnel tunnel = LabTunnel.start(lab, IpsecMode.TUNNEL, "aes256gcm16", false, work)) {
            assertTransfer(tunnel);
            TunnelStatus g1 = awaitStatus(tunnel, LabNode.G1, s -> s.outboundPmtu().plpmtu() == 1400,
                    Duration.ofSeconds(5));
            PmtuStatus pmtu = g1.outboundPmtu();
            assertEquals(1400, pmtu.plpmtu(), "PLPMTU learnt from R1's Fragmentation Needed");
            // AES-GCM-256 in UDP over IPv4: 20 + 8 + 8 + 8 IV + 16 ICV + 2 trailer, padded to 4.
            assertEquals(1338, pmtu.effectiveMtu());
            assertEquals(1400, pmtu.lastBySource().get(PmtuSource.CLASSIC_ICMP).value());
            assertTrue(g1.outerIcmp().accepted() > 0, "accepted outer ICMP counted");
            assertEquals(0, g1.outerIcmp().rejectedTotal(), "genuine ICMP is never rejected: " + g1.outerIcmp());
            assertEquals(1338, g1.tunMtu(), "the TUN MTU follows the effective MTU");
            assertTrue(pmtu.blackHoles().isEmpty(), "no black hole where ICMP arrives");
        }
    }

    @Test
    void classicPmtudWorksOnAnIpv6OuterPathToo() throws Exception {
        lab.setPathMtu(1400);
        try (LabTunnel tunnel = LabTunnel.start(lab, IpsecMode.TRANSPORT, "aes256gcm16", true, work);
             LabTransfer transfer = LabTransfer.start(lab, LabNode.G1, LabNode.G2, lab.outerAddress(LabNode.G2, true),
                     20_000_000L, work)) {
            LabTransfer.Outcome outcome = transfer.await(TRANSFER_LIMIT);
            assertTrue(outcome.verified(), "G1 -> G2 over IPv6 transport mode: " + outcome);
            TunnelStatus g1 = awaitStatus(tunnel, LabNode.G1, s -> s.outboundPmtu().plpmtu() == 1400,
                    Duration.ofSeconds(5));
            assertTrue(g1.outboundPmtu().outerIpv6());
            assertEquals(1400, g1.outboundPmtu().lastBySource().get(PmtuSource.CLASSIC_ICMP).value(),
                    "learnt from R1's ICMPv6 Packet Too Big");
            // The raw ICMPv6 socket sees every error in G1's namespace: R1 also answers other
            // too-big IPv6 packets (NOT_ESP, correctly ignored). None about our ESP may be refused.
            assertEquals(0, g1.outerIcmp().rejectedTotal() - g1.outerIcmp().rejected(IcmpRejection.NOT_ESP),
                    g1.outerIcmp().toString());
        }
    }

    @Test
    void blackHoleIsDetectedAndTheTransferCompletes() throws Exception {
        lab.setPathMtu(1400);
        lab.setIcmpBlackHole(true);
        lab.setDropFragments(true);
        try (LabTunnel tunnel = LabTunnel.start(lab, IpsecMode.TUNNEL, "aes256gcm16", false, work)) {
            assertTransfer(tunnel);
            assertTrue(lab.blackHoleDrops() > 0, "R1 really dropped Fragmentation Needed");
            TunnelStatus g1 = awaitStatus(tunnel, LabNode.G1, s -> !s.outboundPmtu().blackHoles().isEmpty(),
                    Duration.ofSeconds(5));
            PmtuStatus pmtu = g1.outboundPmtu();
            PmtuStatus.BlackHole event = pmtu.blackHoles().get(0);
            assertTrue(event.sa().contains(g1.sas().stream().filter(s -> s.direction().startsWith("out"))
                    .findFirst().orElseThrow().spi()), "the event names the outbound SA: " + event);
            assertEquals(1438, event.vanishedSize(), "the full-size inner packet of a 1500-byte path vanished");
            assertEquals(1500, event.previousPlpmtu());
            assertEquals(1200, event.newPlpmtu(), "fell to the IPv4 BASE_PLPMTU");
            assertEquals(1200, pmtu.plpmtu());
            assertTrue(g1.tunnel().outboundDrops(io.pathsec.engine.policy.DropReason.TOO_BIG) > 0,
                    "senders were told with Packet Too Big");
        }
    }

    @Test
    void followsMtuChangesDownAtOnceAndUpAfterTheRaiseTimer() throws Exception {
        System.setProperty(RAISE_TIMER, "PT6S");
        try (LabTunnel tunnel = LabTunnel.start(lab, IpsecMode.TUNNEL, "aes256gcm16", false, work)) {
            System.clearProperty(RAISE_TIMER);
            try (LabTransfer transfer = LabTransfer.start(lab, LabNode.E1, LabNode.E2,
                    lab.protectedAddress(LabNode.E2, false), 400_000_000L, work)) {
                awaitProgress(transfer, 5_000_000L);
                assertEquals(1500, tunnel.status(LabNode.G1).outboundPmtu().plpmtu());

                lab.setPathMtu(1280);
                long down = System.nanoTime();
                awaitStatus(tunnel, LabNode.G1, s -> s.outboundPmtu().plpmtu() == 1280, Duration.ofSeconds(4));
                double downSeconds = (System.nanoTime() - down) / 1e9;

                lab.setPathMtu(1500);
                long up = System.nanoTime();
                TunnelStatus raised = awaitStatus(tunnel, LabNode.G1, s -> s.outboundPmtu().plpmtu() == 1500,
                        Duration.ofSeconds(15));
                double upSeconds = (System.nanoTime() - up) / 1e9;
                System.out.printf("PMTU followed 1500 -> 1280 in %.1f s (status written each second), "
                        + "back to 1500 in %.1f s (raise timer 6 s)%n", downSeconds, upSeconds);
                assertTrue(raised.outboundPmtu().history().stream().anyMatch(
                        s -> s.source() == PmtuSource.CLASSIC_ICMP && s.value() == 1280 && s.applied()));
                LabTransfer.Outcome outcome = transfer.await(TRANSFER_LIMIT);
                assertTrue(outcome.verified(), "transfer across the MTU changes: " + outcome);
            }
        }
    }

    @Test
    void forgedIcmpFromOffThePathIsIgnoredAndCounted() throws Exception {
        try (LabTunnel tunnel = LabTunnel.start(lab, IpsecMode.TUNNEL, "aes256gcm16", false, work)) {
            assertTransfer(tunnel); // more than the sequence window's worth of packets
            TunnelStatus before = tunnel.status(LabNode.G1);
            String spi = before.sas().stream().filter(s -> s.direction().startsWith("out")).findFirst().orElseThrow()
                    .spi().substring(2);
            String g1 = lab.outerAddress(LabNode.G1, false).getHostAddress();
            String g2 = lab.outerAddress(LabNode.G2, false).getHostAddress();
            List<String[]> forgeries = List.of(
                    new String[] {g1, "68", g1, g2, "4500", "4500", "deadbeef", "5"},   // made-up SPI
                    new String[] {g1, "68", g1, g2, "4500", "4500", spi, "1"},          // stale sequence number
                    new String[] {g1, "68", g1, g2, "4501", "4500", spi, "1"},          // wrong port
                    new String[] {g1, "1300", g1, g2, "4500", "4500", spi, "2"});       // stale, plausible MTU
            for (String[] f : forgeries) {
                List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                        "-cp", System.getProperty("java.class.path"), ForgedIcmp.class.getName()));
                cmd.addAll(List.of(f));
                ProcessResult r = lab.exec(LabNode.R2, cmd.toArray(String[]::new));
                assertTrue(r.succeeded() && r.stdout().contains("sent"), r.describe());
            }
            TunnelStatus after = awaitStatus(tunnel, LabNode.G1,
                    s -> s.outerIcmp().rejectedTotal() >= before.outerIcmp().rejectedTotal() + forgeries.size(),
                    Duration.ofSeconds(5));
            OuterIcmpStats icmp = after.outerIcmp();
            assertEquals(1, icmp.rejected(IcmpRejection.UNKNOWN_SPI), icmp.toString());
            assertEquals(2, icmp.rejected(IcmpRejection.STALE_SEQUENCE), icmp.toString());
            assertEquals(1, icmp.rejected(IcmpRejection.WRONG_PORT), icmp.toString());
            assertEquals(before.outerIcmp().accepted(), icmp.accepted(), "nothing forged was accepted");
            assertEquals(1500, after.outboundPmtu().plpmtu(), "the PLPMTU did not move");
            assertFalse(after.outboundPmtu().history().stream().anyMatch(s -> s.source() == PmtuSource.CLASSIC_ICMP));
        }
    }

    // --- helpers ---------------------------------------------------------------------------

    private void assertTransfer(LabTunnel tunnel) throws Exception {
        try (LabTransfer transfer = LabTransfer.start(lab, LabNode.E1, LabNode.E2,
                lab.protectedAddress(LabNode.E2, false), BYTES, work)) {
            LabTransfer.Outcome outcome = transfer.await(TRANSFER_LIMIT);
            assertTrue(outcome.verified(), "E1 -> E2: sent " + outcome.sent() + ", received " + outcome.received()
                    + "\nG1:\n" + tunnel.logTail(LabNode.G1) + "\nG2:\n" + tunnel.logTail(LabNode.G2));
            assertEquals(BYTES, outcome.received().bytes());
        }
    }

    private static void awaitProgress(LabTransfer transfer, long bytes) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (transfer.bytesSent() < bytes) {
            assertTrue(System.nanoTime() < deadline && !transfer.isFinished(), "transfer made progress");
            Thread.sleep(100); // polling the sender's progress log; bounded by the deadline
        }
    }

    /** Polls an engine's status file (rewritten each second) until {@code done} holds. */
    private static TunnelStatus awaitStatus(LabTunnel tunnel, LabNode gateway, Predicate<TunnelStatus> done,
                                            Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        TunnelStatus s = tunnel.status(gateway);
        while (!done.test(s)) {
            assertTrue(System.nanoTime() < deadline, gateway + " status never satisfied the condition within "
                    + limit.toSeconds() + " s; last: " + s.pmtu() + " " + s.outerIcmp() + "\n" + tunnel.logTail(gateway));
            Thread.sleep(100); // the engine rewrites its status once a second; bounded by the deadline
            s = tunnel.status(gateway);
        }
        assertNotNull(s.outboundPmtu());
        return s;
    }
}
