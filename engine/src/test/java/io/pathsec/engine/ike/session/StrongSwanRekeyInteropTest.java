package io.pathsec.engine.ike.session;

import com.google.gson.Gson;
import io.pathsec.engine.lab.LabNode;
import io.pathsec.engine.lab.LabOptions;
import io.pathsec.engine.lab.LabTopology;
import io.pathsec.engine.lab.LabTransfer;
import io.pathsec.engine.lab.ProcessResult;
import io.pathsec.engine.testsupport.LabResource;
import io.pathsec.engine.testsupport.RequiresRoot;
import io.pathsec.engine.testsupport.StrongSwanPeer;
import io.pathsec.engine.tunnel.IkeTunnelStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rekeying and liveness against strongSwan 5.9 (charon, kernel-libipsec) as the gateway in G2:
 * a verified 100 MB transfer from G1's virtual IP to E2 spans CHILD_SA rekeys initiated by each
 * side and IKE SA rekeys, with nothing lost; and a charon killed with SIGKILL is noticed by DPD.
 */
@RequiresRoot
class StrongSwanRekeyInteropTest {
    private static final Gson GSON = new Gson();
    private static final String E2 = "203.0.113.2";
    /** Shapes the path R1 -> R2 so that 100 MB take about 40 s and span the rekeys. */
    private static final String RATE = "20mbit";

    @RegisterExtension
    static final LabResource LAB = new LabResource(LabOptions.defaults());

    @TempDir
    Path dir;

    private static LabTopology lab() {
        return LAB.topology();
    }

    @Test
    void transferSpansChildAndIkeRekeysOfBothSidesWithoutLoss() throws Exception {
        StrongSwanPeer.Gateway gw = StrongSwanPeer.Gateway.defaults(g2()).withRekeyTimes("40s", "20s");
        Map<String, Object> timers = Map.of("childRekeySeconds", 15, "ikeRekeySeconds", 25, "rekeyJitterSeconds", 1);
        String dev = lab().interfaceName(LabNode.R1, LabNode.R2);
        ProcessResult shaped = lab().exec(LabNode.R1, "tc", "qdisc", "replace", "dev", dev, "root", "tbf", "rate", RATE,
                "burst", "64kb", "latency", "400ms");
        assertTrue(shaped.succeeded(), shaped::describe);
        try (StrongSwanPeer peer = StrongSwanPeer.startGateway(lab().namespace(LabNode.G2), dir.resolve("sw"), gw);
             IkeLabProcess<IkeTunnelStatus> client = client(dir, gw.psk(), timers)) {
            IkeTunnelStatus s = LabClients.awaitSettled(client);
            assertEquals("ESTABLISHED", LabClients.state(s), () -> GSON.toJson(s) + "\n" + client.logTail() + peer.log());
            long started = System.nanoTime();
            try (LabTransfer transfer = LabTransfer.start(lab(), LabNode.G1, LabNode.E2, InetAddress.getByName(E2),
                    100L * 1024 * 1024, dir)) {
                // One CHILD_SA rekey and one IKE SA rekey initiated by strongSwan, while data flows;
                // PathSec's own timers (15 s, 25 s) initiate the others.
                awaitElapsed(started, Duration.ofSeconds(5));
                peer.swanctl("--rekey", "--child", "lan");
                awaitElapsed(started, Duration.ofSeconds(10));
                peer.swanctl("--rekey", "--ike", "rw");
                LabTransfer.Outcome outcome = transfer.await(Duration.ofSeconds(150));
                assertTrue(outcome.verified(), () -> "transfer digests: " + outcome + "\n" + client.logTail());
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            IkeTunnelStatus end = client.status();
            String log = peer.log();
            Files.writeString(dir.resolve("evidence.txt"), GSON.toJson(end) + "\n" + log);
            System.out.println("transfer took " + took.toSeconds() + " s; PathSec status " + GSON.toJson(end));
            printMatching(log, "CREATE_CHILD_SA|rekey|deleting|closing|established");
            assertEquals("ESTABLISHED", end.state, () -> GSON.toJson(end) + client.logTail());
            // strongSwan initiated a CHILD_SA rekey, and answered one of PathSec's.
            assertTrue(count(log, "generating CREATE_CHILD_SA request \\d+ \\[ N\\(REKEY_SA\\)") >= 1, log);
            assertTrue(count(log, "parsed CREATE_CHILD_SA request \\d+ \\[ N\\(REKEY_SA\\)") >= 1, log);
            // IKE SA rekeys: strongSwan's request and PathSec's (SA No KE, no REKEY_SA).
            assertTrue(count(log, "generating CREATE_CHILD_SA request \\d+ \\[ SA No KE \\]") >= 1, log);
            assertTrue(count(log, "parsed CREATE_CHILD_SA request \\d+ \\[ SA No KE \\]") >= 1, log);
            assertTrue(end.childRekeys >= 2 && end.ikeRekeys >= 2, GSON.toJson(end));
            for (String reason : List.of("NO_SA", "AUTHENTICATION", "REPLAY")) {
                assertEquals(0L, end.inboundDrops.getOrDefault(reason, 0L), () -> reason + " drops: " + GSON.toJson(end));
                assertEquals(0L, end.outboundDrops.getOrDefault(reason, 0L), () -> reason + " drops: " + GSON.toJson(end));
            }
            String sas = peer.swanctl("--list-sas");
            assertTrue(sas.contains("ESTABLISHED") && sas.contains("INSTALLED"), sas);
            System.out.println("strongSwan --list-sas after the transfer:\n" + sas);
        } finally {
            lab().exec(LabNode.R1, "tc", "qdisc", "del", "dev", dev, "root");
        }
    }

    @Test
    void deadPeerDetectionNoticesAKilledCharon() throws Exception {
        StrongSwanPeer.Gateway gw = StrongSwanPeer.Gateway.defaults(g2());
        // DPD after 3 s of silence, then 0.5 + 1 + 2 s of retransmissions: dead within 6.5 s.
        int dpdDelay = 3;
        Map<String, Object> timers = Map.of("dpdDelaySeconds", dpdDelay, "retransmitInitialMillis", 500,
                "retransmitSends", 3);
        Duration deadline = Duration.ofMillis(dpdDelay * 1000L + 3500 + 1500); // + 1 s status period + margin
        try (StrongSwanPeer peer = StrongSwanPeer.startGateway(lab().namespace(LabNode.G2), dir.resolve("sw"), gw);
             IkeLabProcess<IkeTunnelStatus> client = client(dir, gw.psk(), timers)) {
            IkeTunnelStatus s = LabClients.awaitSettled(client);
            assertEquals("ESTABLISHED", LabClients.state(s), () -> GSON.toJson(s) + "\n" + client.logTail() + peer.log());
            // Two liveness checks answered by a live strongSwan must leave the tunnel up.
            long checksBefore = informationalRequests(peer.log());
            long checksDeadline = System.nanoTime() + Duration.ofSeconds(4L * dpdDelay).toNanos();
            while (informationalRequests(peer.log()) < checksBefore + 2) {
                assertTrue(System.nanoTime() < checksDeadline, () -> "PathSec sent no liveness checks:\n" + peer.log());
                Thread.sleep(100); // polling charon's log; bounded by the deadline
            }
            assertEquals("ESTABLISHED", client.status().state, client::logTail);
            long killed = System.nanoTime();
            ProcessHandle charon = ProcessHandle.of(peer.pid()).orElseThrow();
            assertTrue(charon.destroyForcibly(), "SIGKILL to charon, PID " + peer.pid()); // SIGKILL, by PID
            charon.onExit().get(5, TimeUnit.SECONDS);
            IkeTunnelStatus dead = client.await(st -> "CLOSED".equals(st.state), deadline.plusSeconds(10));
            Duration noticed = Duration.ofNanos(System.nanoTime() - killed);
            System.out.println("DPD: declared dead " + noticed.toMillis() + " ms after SIGKILL: " + dead.error);
            assertEquals("PEER_UNREACHABLE", dead.reason, () -> GSON.toJson(dead) + client.logTail() + peer.log());
            assertTrue(Pattern.matches("gateway unreachable \\(no answer to liveness checks for \\d+ s\\)", dead.error),
                    dead.error);
            assertTrue(noticed.compareTo(deadline) <= 0, "noticed after " + noticed.toMillis() + " ms, allowed "
                    + deadline.toMillis());
        }
    }

    private static void awaitElapsed(long startNanos, Duration d) throws InterruptedException {
        long left = startNanos + d.toNanos() - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left); // a point in the transfer's timeline, not a race
        }
    }

    private static long count(String log, String regex) {
        return Pattern.compile(regex).matcher(log).results().count();
    }

    private static void printMatching(String log, String regex) {
        Pattern p = Pattern.compile(regex);
        log.lines().filter(l -> p.matcher(l).find()).forEach(l -> System.out.println("charon: " + l));
    }

    private static String g2() {
        return lab().outerAddress(LabNode.G2, false).getHostAddress();
    }

    /** A PathSec client in G1 for strongSwan's gateway in G2, with these timers. */
    private static IkeLabProcess<IkeTunnelStatus> client(Path dir, String psk, Map<String, Object> timers)
            throws IOException {
        Map<String, Object> profile = LabClients.profile(lab(), g2(), psk, "client.pathsec.test", "gw.sw.test");
        profile.putAll(timers);
        return LabClients.start(lab(), dir, profile, "client");
    }

    /** How many INFORMATIONAL requests charon has parsed: our liveness checks (RFC 7296 §1.4). */
    private static long informationalRequests(String charonLog) {
        return charonLog.lines().filter(l -> l.contains("parsed INFORMATIONAL request")).count();
    }
}
