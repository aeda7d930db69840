package io.pathsec.engine.tunnel;

import io.pathsec.engine.config.StaticConfigLoader;
import io.pathsec.engine.diag.WiresharkEspSaFile;
import io.pathsec.engine.lab.LabNode;
import io.pathsec.engine.lab.LabOptions;
import io.pathsec.engine.lab.LabTopology;
import io.pathsec.engine.lab.LabTransfer;
import io.pathsec.engine.lab.LabTunnel;
import io.pathsec.engine.lab.ProcessResult;
import io.pathsec.engine.policy.DropReason;
import io.pathsec.engine.policy.IpsecMode;
import io.pathsec.engine.testsupport.RequiresRoot;
import io.pathsec.engine.testsupport.UdpReplay;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two PathSec engines with static keys in the lab (E1 — G1 — R1 — R2 — G2 — E2), carrying real
 * kernel TCP: what arrives must be byte for byte what was sent, for every cipher, both modes,
 * IPv4 and IPv6 inside; forged traffic must be counted and never delivered.
 */
@RequiresRoot
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StaticTunnelLabTest {
    private static final long BYTES = 200_000_000L;
    private static final Duration TRANSFER_LIMIT = Duration.ofSeconds(240);

    private LabTopology lab;
    private Path work;

    @BeforeAll
    void createLab() throws IOException {
        lab = LabTopology.create(LabOptions.defaults());
        work = Files.createTempDirectory("pathsec-test-");
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

    @ParameterizedTest(name = "tunnel mode, {0}")
    @ValueSource(strings = {"aes128gcm16", "aes256gcm16", "chacha20poly1305", "aes128-sha256", "aes256-sha256"})
    void tunnelModeCarries200MegabytesEachWay(String transform) throws Exception {
        try (LabTunnel tunnel = LabTunnel.start(lab, IpsecMode.TUNNEL, transform, false, work)) {
            assertTransfer(tunnel, LabNode.E1, LabNode.E2, lab.protectedAddress(LabNode.E2, false));
            assertTransfer(tunnel, LabNode.E2, LabNode.E1, lab.protectedAddress(LabNode.E1, false));
            assertNoDrops(tunnel);
        }
    }

    @Test
    void tunnelModeCarriesIpv6Inside() throws Exception {
        try (LabTunnel tunnel = LabTunnel.start(lab, IpsecMode.TUNNEL, "aes256gcm16", false, work)) {
            assertTransfer(tunnel, LabNode.E1, LabNode.E2, lab.protectedAddress(LabNode.E2, true));
            assertTransfer(tunnel, LabNode.E2, LabNode.E1, lab.protectedAddress(LabNode.E1, true));
            assertNoDrops(tunnel);
        }
    }

    @ParameterizedTest(name = "transport mode, {0}, IPv6 {1}")
    @CsvSource({"aes128gcm16,false", "aes256gcm16,false", "chacha20poly1305,false", "aes128-sha256,false",
            "aes256-sha256,false", "aes128gcm16,true", "aes256gcm16,true", "chacha20poly1305,true",
            "aes128-sha256,true", "aes256-sha256,true"})
    void transportModeCarriesHostToHostTraffic(String transform, boolean ipv6) throws Exception {
        try (LabTunnel tunnel = LabTunnel.start(lab, IpsecMode.TRANSPORT, transform, ipv6, work)) {
            assertTransfer(tunnel, LabNode.G1, LabNode.G2, lab.outerAddress(LabNode.G2, ipv6));
            assertTransfer(tunnel, LabNode.G2, LabNode.G1, lab.outerAddress(LabNode.G1, ipv6));
            assertNoDrops(tunnel);
            // The traffic really went through ESP: G2 decrypted what G1 sent.
            assertTrue(tunnel.status(LabNode.G2).tunnel().receivedBytes() >= BYTES,
                    "G2 delivered at least the transfer's bytes from ESP");
        }
    }

    @Test
    void replayedAndTamperedPacketsAreCountedAndNeverDelivered() throws Exception {
        try (LabTunnel tunnel = LabTunnel.start(lab, IpsecMode.TUNNEL, "aes256gcm16", false, work)) {
            Path pcap = captureEspTowardsG2(30, () -> lab.exec(LabNode.E1, "ping", "-c", "30", "-i", "0.02",
                    "-W", "2", lab.protectedAddress(LabNode.E2, false).getHostAddress()));
            TunnelStatus before = awaitStable(tunnel, LabNode.G2);
            replayFromR1(pcap, "replay");
            replayFromR1(pcap, "tamper");
            TunnelStatus after = awaitDrops(tunnel, before, 30, 30);
            assertEquals(before.inboundDrops(DropReason.REPLAY) + 30, after.inboundDrops(DropReason.REPLAY),
                    "each replayed packet counted once as a replay");
            assertEquals(before.inboundDrops(DropReason.AUTHENTICATION) + 30,
                    after.inboundDrops(DropReason.AUTHENTICATION), "each tampered packet failed its ICV");
            assertEquals(before.tunnel().receivedPackets(), after.tunnel().receivedPackets(),
                    "nothing forged reached E2");
        }
    }

    @ParameterizedTest(name = "tshark decrypts {0}")
    @ValueSource(strings = {"aes256gcm16", "aes128-sha256"})
    void wiresharkDecryptsTheCapturedEspWithTheStaticKeys(String transform) throws Exception {
        try (LabTunnel tunnel = LabTunnel.start(lab, IpsecMode.TUNNEL, transform, false, work)) {
            Path pcap = captureEspTowardsG2(20, () -> {
                try (LabTransfer t = LabTransfer.start(lab, LabNode.E1, LabNode.E2,
                        lab.protectedAddress(LabNode.E2, false), 2_000_000, work)) {
                    assertTrue(t.await(TRANSFER_LIMIT).verified());
                }
                return null;
            });
            Path config = work.resolve("wireshark-" + transform);
            Files.createDirectories(config.resolve("wireshark"));
            Files.write(config.resolve("wireshark/esp_sa"), WiresharkEspSaFile.lines(
                    StaticConfigLoader.load(tunnel.configFile(LabNode.G1)).config()
                            .securityAssociations(Clock.systemUTC())), StandardCharsets.UTF_8);
            ProcessBuilder pb = new ProcessBuilder("tshark", "-r", pcap.toString(),
                    "-o", "esp.enable_encryption_decode:TRUE", "-Y", "tcp.port == " + LabTransfer.PORT,
                    "-T", "fields", "-e", "ip.src", "-e", "tcp.dstport")
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("XDG_CONFIG_HOME", config.toString());
            Process tshark = pb.start();
            tshark.getOutputStream().close();
            String out = new String(tshark.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(tshark.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "tshark finished");
            assertTrue(out.contains(lab.protectedAddress(LabNode.E1, false).getHostAddress() + "\t" + LabTransfer.PORT),
                    "tshark decoded inner TCP from E1 to port " + LabTransfer.PORT + " (got: " + out + ")");
        }
    }

    // --- helpers ---------------------------------------------------------------------------

    private void assertTransfer(LabTunnel tunnel, LabNode from, LabNode to, InetAddress address) throws Exception {
        try (LabTransfer transfer = LabTransfer.start(lab, from, to, address, BYTES, work)) {
            LabTransfer.Outcome outcome = transfer.await(TRANSFER_LIMIT);
            assertTrue(outcome.verified(), from + " -> " + to + ": sent " + outcome.sent() + ", received "
                    + outcome.received() + "\nG1:\n" + tunnel.logTail(LabNode.G1) + "\nG2:\n" + tunnel.logTail(LabNode.G2));
            assertEquals(BYTES, outcome.received().bytes());
        }
    }

    private static void assertNoDrops(LabTunnel tunnel) throws IOException {
        for (LabNode g : List.of(LabNode.G1, LabNode.G2)) {
            TunnelStatus s = tunnel.status(g);
            for (DropReason r : List.of(DropReason.REPLAY, DropReason.AUTHENTICATION, DropReason.MALFORMED,
                    DropReason.SELECTOR_MISMATCH, DropReason.NO_SA)) {
                assertEquals(0, s.inboundDrops(r), g + " dropped inbound packets as " + r);
            }
        }
    }

    interface Traffic {
        Object run() throws Exception;
    }

    /** Captures ESP datagrams G1 -> G2 on R1's link towards R2 while {@code traffic} runs. */
    private Path captureEspTowardsG2(int count, Traffic traffic) throws Exception {
        Path pcap = work.resolve("esp-" + System.nanoTime() + ".pcap");
        Path log = work.resolve("tcpdump-" + System.nanoTime() + ".log");
        String g2 = lab.outerAddress(LabNode.G2, false).getHostAddress();
        Process tcpdump = lab.start(LabNode.R1, List.of("tcpdump", "-i", lab.interfaceName(LabNode.R1, LabNode.R2),
                "-U", "-n", "-c", Integer.toString(count), "-w", pcap.toString(),
                "udp port 4500 and dst host " + g2), log);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.readString(log).contains("listening on")) {
            assertTrue(System.nanoTime() < deadline && tcpdump.isAlive(), "tcpdump started: " + Files.readString(log));
            Thread.sleep(20); // polling tcpdump's log; bounded by the deadline
        }
        traffic.run();
        assertTrue(tcpdump.waitFor(20, java.util.concurrent.TimeUnit.SECONDS), "tcpdump captured " + count + " packets");
        return pcap;
    }

    private void replayFromR1(Path pcap, String how) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), UdpReplay.class.getName(), pcap.toString(),
                lab.outerAddress(LabNode.G2, false).getHostAddress(), "4500", how));
        ProcessResult r = lab.exec(LabNode.R1, cmd.toArray(String[]::new));
        assertTrue(r.succeeded(), r.describe());
    }

    /** Waits until the engine has written a status after traffic stopped. */
    private static TunnelStatus awaitStable(LabTunnel tunnel, LabNode g) throws Exception {
        TunnelStatus last = tunnel.status(g);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Thread.sleep(1100); // the engine rewrites its status once a second
            TunnelStatus now = tunnel.status(g);
            if (now.tunnel().receivedPackets() == last.tunnel().receivedPackets()) {
                return now;
            }
            last = now;
        }
        return last;
    }

    private static TunnelStatus awaitDrops(LabTunnel tunnel, TunnelStatus before, int replays, int forged)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        TunnelStatus now = tunnel.status(LabNode.G2);
        while (System.nanoTime() < deadline
                && (now.inboundDrops(DropReason.REPLAY) < before.inboundDrops(DropReason.REPLAY) + replays
                || now.inboundDrops(DropReason.AUTHENTICATION) < before.inboundDrops(DropReason.AUTHENTICATION) + forged)) {
            Thread.sleep(200); // the engine rewrites its status once a second; bounded by the deadline
            now = tunnel.status(LabNode.G2);
        }
        Thread.sleep(1100); // one more status period: a late extra drop or delivery would show now
        return tunnel.status(LabNode.G2);
    }
}
