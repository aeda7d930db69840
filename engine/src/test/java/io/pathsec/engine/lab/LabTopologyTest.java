package io.pathsec.engine.lab;

import io.pathsec.engine.testsupport.RequiresRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The real topology in network namespaces: routing, path MTU, black hole, clamping, loss, cleanup. */
@RequiresRoot
class LabTopologyTest {

    private static final Pattern MTU_1400 = Pattern.compile("mtu ?= ?1400");

    @TempDir
    Path tmp;

    @Test
    void neighboursAndGatewaysReachEachOtherButProtectedSidesNeedATunnel() throws IOException {
        List<String> names;
        try (LabTopology lab = LabTopology.create(LabOptions.defaults())) {
            names = namespaces(lab);
            for (boolean ipv6 : new boolean[] {false, true}) {
                assertPings(lab, LabNode.E1, lab.address(LabNode.G1, LabNode.E1, ipv6).getHostAddress());
                assertPings(lab, LabNode.G1, lab.outerAddress(LabNode.G2, ipv6).getHostAddress());
                assertPings(lab, LabNode.E2, lab.protectedAddress(LabNode.G2, ipv6).getHostAddress());
                ProcessResult noTunnel = ping(lab, LabNode.E1, lab.protectedAddress(LabNode.E2, ipv6).getHostAddress());
                assertFalse(noTunnel.succeeded(), "E1 reached E2 without a tunnel: " + noTunnel.output());
            }
            assertTrue(lab.namespace(LabNode.R1).endsWith("-r1"));
            assertEquals("to-r2", lab.interfaceName(LabNode.R1, LabNode.R2));
            assertEquals("192.0.2.0/24", lab.protectedNetwork(LabNode.G1, false));
        }
        assertGone(names);
    }

    @Test
    void routedProtectedNetworksGiveARawBaseline() throws IOException {
        List<String> names;
        try (LabTopology lab = LabTopology.create(LabOptions.defaults().withRouteProtectedNetworks(true))) {
            names = namespaces(lab);
            assertPings(lab, LabNode.E1, "203.0.113.2");
            assertPings(lab, LabNode.E1, "2001:db8:b::2");
        }
        assertGone(names);
    }

    /**
     * R1 answers an oversized DF packet with Fragmentation Needed (mtu 1400), unless the black
     * hole swallows it. The black hole comes first: once G1 has learned the MTU, its own kernel
     * refuses the big packet and nothing would reach R1.
     */
    @Test
    void pathMtuIsAnnouncedByR1UnlessTheBlackHoleSwallowsIt() throws IOException {
        List<String> names;
        try (LabTopology lab = LabTopology.create(LabOptions.defaults().withPathMtu(1400).withIcmpBlackHole(true))) {
            names = namespaces(lab);
            for (boolean ipv6 : new boolean[] {false, true}) {
                String g2 = lab.outerAddress(LabNode.G2, ipv6).getHostAddress();
                long before = lab.blackHoleDrops();
                ProcessResult silent = bigDfPing(lab, g2);
                assertFalse(silent.succeeded(), silent.output());
                assertFalse(MTU_1400.matcher(silent.output()).find(), "ICMP got through: " + silent.output());
                assertTrue(lab.blackHoleDrops() > before, "black hole counter did not rise");
            }
            lab.setIcmpBlackHole(false);
            for (boolean ipv6 : new boolean[] {false, true}) {
                ProcessResult told = bigDfPing(lab, lab.outerAddress(LabNode.G2, ipv6).getHostAddress());
                assertTrue(MTU_1400.matcher(told.output()).find(), "no mtu=1400 in: " + told.output());
            }
            // Small packets still pass the smaller link.
            assertPings(lab, LabNode.G1, "198.51.100.130");
        }
        assertGone(names);
    }

    @Test
    void r1ClampsTheMssOfForwardedSyns() throws IOException {
        List<String> names;
        try (LabTopology lab = LabTopology.create(LabOptions.defaults().withMssClamp(1000))) {
            names = namespaces(lab);
            assertEquals("mss 1000", synMssSeenByG2(lab, "198.51.100.130", "v4-clamped"));
            assertEquals("mss 1000", synMssSeenByG2(lab, "2001:db8:3::2", "v6-clamped"));
            lab.setMssClamp(null);
            assertEquals("mss 1460", synMssSeenByG2(lab, "198.51.100.130", "v4-plain"));
        }
        assertGone(names);
    }

    @Test
    void totalLossCutsThePathAndZeroRestoresIt() throws IOException {
        List<String> names;
        try (LabTopology lab = LabTopology.create(LabOptions.defaults())) {
            names = namespaces(lab);
            lab.setLoss(100);
            assertFalse(ping(lab, LabNode.G1, "198.51.100.130").succeeded());
            assertFalse(ping(lab, LabNode.G1, "2001:db8:3::2").succeeded());
            lab.setLoss(0);
            assertPings(lab, LabNode.G1, "198.51.100.130");
            assertPings(lab, LabNode.G1, "2001:db8:3::2");
            assertEquals(0.0, lab.options().lossPercent());
        }
        assertGone(names);
    }

    @Test
    void fragmentsDieOnTheSegmentWhenFiltered() throws IOException {
        List<String> names;
        try (LabTopology lab = LabTopology.create(LabOptions.defaults())) {
            names = namespaces(lab);
            // 3000 bytes without DF: G1 fragments them itself on its 1500-byte link.
            assertTrue(lab.exec(LabNode.G1, "ping", "-n", "-c", "1", "-W", "2", "-M", "dont", "-s", "3000",
                    "198.51.100.130").succeeded());
            lab.setDropFragments(true);
            assertFalse(lab.exec(LabNode.G1, "ping", "-n", "-c", "1", "-W", "1", "-M", "dont", "-s", "3000",
                    "198.51.100.130").succeeded());
            assertFalse(lab.exec(LabNode.G1, "ping", "-n", "-c", "1", "-W", "1", "-s", "3000",
                    "2001:db8:3::2").succeeded());
            assertPings(lab, LabNode.G1, "198.51.100.130");
        }
        assertGone(names);
    }

    @Test
    void delayIsAddedWhereNetemExists() throws IOException {
        List<String> names;
        try (LabTopology lab = LabTopology.create(LabOptions.defaults())) {
            names = namespaces(lab);
            assumeTrue(lab.delaySupported(), "kernel has no sch_netem");
            lab.setDelay(Duration.ofMillis(100));
            ProcessResult result = lab.exec(LabNode.G1, "ping", "-n", "-c", "1", "-W", "2", "198.51.100.130");
            assertTrue(result.stdout().matches("(?s).*time=(1\\d\\d|[2-9]\\d\\d)(\\.\\d+)? ms.*"), result.stdout());
            lab.setDelay(Duration.ZERO);
        }
        assertGone(names);
    }

    @Test
    void closeEndsStartedProcessesByPid() throws IOException {
        List<String> names;
        Process sleeper;
        try (LabTopology lab = LabTopology.create(LabOptions.defaults())) {
            names = namespaces(lab);
            sleeper = lab.start(LabNode.E2, List.of("sleep", "120"), tmp.resolve("sleep.log"));
            assertTrue(sleeper.isAlive());
        }
        assertFalse(sleeper.isAlive(), "started process survived close()");
        assertGone(names);
    }

    @Test
    void staleNamespacesOfADeadJvmAreRemovedAndLiveOnesKept() throws IOException, InterruptedException {
        long deadPid = deadPid();
        String stale = LabNames.namespace(deadPid, 0, LabNode.G1);
        String staleToo = LabNames.namespace(deadPid, 0, LabNode.R2);
        String live = LabNames.namespace(ProcessHandle.current().pid(), 9999, LabNode.E1);
        Process leftover = null;
        try {
            for (String name : List.of(stale, staleToo, live)) {
                ExternalCommand.runChecked(List.of("ip", "netns", "add", name), null, ExternalCommand.DEFAULT_TIMEOUT);
            }
            // A process the dead run left behind inside its namespace.
            leftover = new ProcessBuilder("ip", "netns", "exec", stale, "sleep", "120").start();
            Process running = leftover;
            awaitTrue(() -> pidsIn(stale).contains(running.pid()), "sleep inside " + stale);

            List<String> removed = LabTopology.cleanStale();

            assertTrue(removed.containsAll(List.of(stale, staleToo)), removed.toString());
            assertGone(List.of(stale, staleToo));
            assertFalse(leftover.isAlive(), "process inside the stale namespace survived");
            assertTrue(Netns.exists(live), "the live JVM's namespace was removed");
        } finally {
            if (leftover != null) {
                OwnedProcesses.end(leftover.toHandle(), Duration.ofSeconds(2));
            }
            for (String name : List.of(stale, staleToo, live)) {
                Netns.existing(name).destroy();
            }
        }
        assertGone(List.of(live));
    }

    // ---- helpers -----------------------------------------------------------------------------

    /**
     * Watches G2's link towards R2 with tcpdump while G1 opens a TCP connection to a closed port;
     * the SYN crosses R1 (and its clamp) either way, and G2 answers with a reset.
     */
    private String synMssSeenByG2(LabTopology lab, String g2, String label) throws IOException {
        Path log = tmp.resolve("tcpdump-" + label + ".log");
        Process tcpdump = lab.start(LabNode.G2, List.of("tcpdump", "-l", "-n", "-c", "1", "-i",
                lab.interfaceName(LabNode.G2, LabNode.R2), "tcp", "dst", "port", "5201"), log);
        awaitTrue(() -> read(log).contains("listening on"), "tcpdump ready: " + log);
        lab.exec(LabNode.G1, Duration.ofSeconds(5), "bash", "-c", "exec 3<>/dev/tcp/" + g2 + "/5201");
        awaitTrue(() -> read(log).contains("Flags [S]"), "SYN captured");
        String line = read(log).lines().filter(l -> l.contains("Flags [S]")).findFirst().orElseThrow();
        java.util.regex.Matcher mss = Pattern.compile("mss \\d+").matcher(line);
        assertTrue(mss.find(), line);
        OwnedProcesses.end(tcpdump.toHandle(), Duration.ofSeconds(2));
        return mss.group();
    }

    private static ProcessResult bigDfPing(LabTopology lab, String target) throws IOException {
        // 1400 bytes of payload plus 28 (IPv4) or 48 (IPv6) header bytes do not fit 1400.
        return lab.exec(LabNode.G1, "ping", "-n", "-c", "1", "-W", "1", "-M", "do", "-s", "1400", target);
    }

    private static ProcessResult ping(LabTopology lab, LabNode from, String target) throws IOException {
        return lab.exec(from, "ping", "-n", "-c", "1", "-W", "1", target);
    }

    private static void assertPings(LabTopology lab, LabNode from, String target) throws IOException {
        ProcessResult result = lab.exec(from, "ping", "-n", "-c", "1", "-W", "2", target);
        assertTrue(result.succeeded(), from + " -> " + target + ": " + result.output());
    }

    private static List<String> namespaces(LabTopology lab) {
        List<String> names = new ArrayList<>();
        for (LabNode node : LabNode.values()) {
            names.add(lab.namespace(node));
        }
        return names;
    }

    private static void assertGone(List<String> names) throws IOException {
        List<String> present = Netns.list();
        for (String name : names) {
            assertFalse(present.contains(name) || Netns.exists(name), name + " still exists");
        }
    }

    private static List<Long> pidsIn(String namespace) {
        try {
            return Netns.existing(namespace).pids();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** A PID that belonged to a process which has exited. */
    private static long deadPid() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        assertFalse(ProcessHandle.of(process.pid()).isPresent());
        return process.pid();
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Polls {@code condition} every 20 ms for at most 5 s (and 250 rounds). */
    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (int round = 0; round < 250 && System.nanoTime() < deadline; round++) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
        if (!condition.getAsBoolean()) {
            fail("timed out waiting for " + what);
        }
    }
}
