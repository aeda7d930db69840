package io.pathsec.engine.icmp;

import io.pathsec.engine.config.StaticConfig;
import io.pathsec.engine.lab.LabNode;
import io.pathsec.engine.lab.LabOptions;
import io.pathsec.engine.lab.LabTopology;
import io.pathsec.engine.lab.LabTransfer;
import io.pathsec.engine.lab.LabTunnel;
import io.pathsec.engine.lab.ProcessResult;
import io.pathsec.engine.policy.AddressRange;
import io.pathsec.engine.policy.DropReason;
import io.pathsec.engine.policy.IpsecMode;
import io.pathsec.engine.policy.PolicyAction;
import io.pathsec.engine.policy.PortRange;
import io.pathsec.engine.policy.Selector;
import io.pathsec.engine.testsupport.RequiresRoot;
import io.pathsec.engine.tunnel.TunnelStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ICMP options between two PathSec gateways with static keys in the lab (E1 — G1 — R1 — R2 —
 * G2 — E2), with narrow selectors: the SA carries only TCP 5201 and UDP 5001 between E1's and
 * E2's networks, so no ICMP error fits it and the option decides (docs/icmp.md, outcome table).
 * Static keys have no IKE, so here only discard and implicit carry anything; explicit-sa and
 * ike-relay need IKE and are tested there.
 *
 * <p>G2's own link towards E2 plays the router inside G2's network: its MTU is lowered so G2's
 * kernel, forwarding the decrypted packets, sends Fragmentation Needed to E1; and a TTL that
 * ends at G2 gets a Time Exceeded from it.
 */
@RequiresRoot
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IcmpOptionsLabTest {
    private static final int INSIDE_MTU = 1300;
    private static final Duration AWAIT = Duration.ofSeconds(20);

    private LabTopology lab;
    private Path work;
    private Path probe;
    private String e2;

    @BeforeAll
    void createLab() throws IOException {
        lab = LabTopology.create(LabOptions.defaults());
        work = Files.createTempDirectory("pathsec-icmp-");
        probe = work.resolve("icmp_probe.py");
        try (InputStream in = IcmpOptionsLabTest.class.getResourceAsStream("/icmp/icmp_probe.py")) {
            Files.copy(in, probe);
        }
        e2 = lab.protectedAddress(LabNode.E2, false).getHostAddress();
        // Every ICMP error the test causes must be sent; the kernel's rate limit would thin them by timing.
        for (LabNode node : List.of(LabNode.G1, LabNode.G2, LabNode.E2)) {
            exec(node, "sysctl", "-q", "-w", "net.ipv4.icmp_ratelimit=0");
        }
    }

    @AfterAll
    void removeLab() throws IOException {
        if (lab != null) {
            lab.close();
        }
        System.clearProperty("pathsec.icmp.handling");
        if (work != null) {
            try (var paths = Files.walk(work)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @AfterEach
    void restore() throws IOException {
        System.clearProperty("pathsec.icmp.handling");
        exec(LabNode.G2, "ip", "link", "set", lab.interfaceName(LabNode.G2, LabNode.E2), "mtu", "1500");
        exec(LabNode.E1, "ip", "route", "flush", "cache");
    }

    /** Only TCP 5201 and UDP 5001 (either end) between the two protected IPv4 networks. */
    private StaticConfig narrow(LabNode gateway, StaticConfig generated) {
        LabNode local = gateway == LabNode.G1 ? LabNode.E1 : LabNode.E2;
        LabNode remote = gateway == LabNode.G1 ? LabNode.E2 : LabNode.E1;
        Selector between = Selector.between(AddressRange.parse(lab.protectedNetwork(local, false)),
                AddressRange.parse(lab.protectedNetwork(remote, false)));
        List<StaticConfig.StaticPolicy> policies = List.of(
                new StaticConfig.StaticPolicy("tcp-5201-out", between.withProtocol(6, PortRange.ANY,
                        new PortRange(5201, 5201)), PolicyAction.PROTECT),
                new StaticConfig.StaticPolicy("tcp-5201-in", between.withProtocol(6, new PortRange(5201, 5201),
                        PortRange.ANY), PolicyAction.PROTECT),
                new StaticConfig.StaticPolicy("udp-5001-out", between.withProtocol(17, PortRange.ANY,
                        new PortRange(5001, 5001)), PolicyAction.PROTECT),
                new StaticConfig.StaticPolicy("udp-5001-in", between.withProtocol(17, new PortRange(5001, 5001),
                        PortRange.ANY), PolicyAction.PROTECT));
        return new StaticConfig(generated.name(), generated.tun(), generated.listen(), generated.peer(),
                generated.mode(), generated.sas(), policies, generated.tfcPadding(), generated.workers());
    }

    private LabTunnel tunnel(String option) throws IOException {
        System.setProperty("pathsec.icmp.handling", option);
        return LabTunnel.start(lab, IpsecMode.TUNNEL, "aes256gcm16", false, work, this::narrow);
    }

    @ParameterizedTest(name = "{0}: E1's socket sees {1}")
    @CsvSource({"discard,timeout", "implicit,refused", "explicit-sa,timeout", "ike-relay,timeout"})
    void portUnreachableFromE2ReachesE1OnlyWhereTheOptionCarriesIt(String option, String expected) throws Exception {
        try (LabTunnel t = tunnel(option)) {
            String seen = exec(LabNode.E1, "python3", probe.toString(), "udp", e2, "5001").stdout().trim();
            assertEquals(expected, seen, () -> "UDP to E2:5001 (closed) under " + option + "\n" + t.logTail(LabNode.G2));
            TunnelStatus g2 = t.status(LabNode.G2);
            if (expected.equals("refused")) {
                assertEquals(0, g2.tunnel().outboundDrops(DropReason.ICMP_NOT_CARRIED));
            } else {
                TunnelStatus s = awaitStatus(t, LabNode.G2, x -> x.tunnel().outboundDrops(DropReason.ICMP_NOT_CARRIED) >= 1);
                assertEquals(1, s.tunnel().outboundDrops(DropReason.ICMP_NOT_CARRIED), t.logTail(LabNode.G2));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"discard", "implicit", "explicit-sa", "ike-relay"})
    void aForgedErrorQuotingAFlowThatNeverCrossedIsRejectedAndCounted(String option) throws Exception {
        try (LabTunnel t = tunnel(option)) {
            String e1 = lab.protectedAddress(LabNode.E1, false).getHostAddress();
            // E2 claims that E1's UDP datagram to its port 5999 was refused; the SA carries no UDP 5999.
            ProcessResult forged = exec(LabNode.E2, "python3", probe.toString(), "forge", e1, e1, "40000", e2, "5999");
            assertTrue(forged.stdout().startsWith("sent"), forged::describe);
            TunnelStatus s = awaitStatus(t, LabNode.G2, x -> x.tunnel().outboundDrops(DropReason.ICMP_REJECTED) >= 1);
            assertEquals(1, s.tunnel().outboundDrops(DropReason.ICMP_REJECTED), t.logTail(LabNode.G2));
            assertEquals(0, t.status(LabNode.G1).tunnel().receivedPackets(), "nothing crossed to G1");
            assertTrue(t.logTail(LabNode.G2).contains("never crossed an SA"), t.logTail(LabNode.G2));
        }
    }

    @ParameterizedTest(name = "{0}: inside hops shown {1}")
    @CsvSource({"discard,false", "implicit,true"})
    void tracerouteShowsTheInsideHopsOnlyWhereTheOptionCarriesTimeExceeded(String option, boolean shown)
            throws Exception {
        try (LabTunnel t = tunnel(option)) {
            // UDP to port 5001 (fits the SA): hop 1 is G1 (no tunnel), hop 2 is G2's kernel
            // forwarding out of the TUN (Time Exceeded must cross), hop 3 is E2 (Port Unreachable).
            ProcessResult trace = exec(LabNode.E1, "traceroute", "-n", "-U", "-p", "5001", "-q", "1", "-w", "2",
                    "-m", "3", e2);
            System.out.println(option + ": traceroute E1 -> E2 udp/5001\n" + trace.stdout());
            List<String> hops = trace.stdout().lines().skip(1).map(String::trim).toList();
            assertEquals(3, hops.size(), trace::describe);
            assertTrue(hops.get(0).startsWith("1  " + lab.protectedAddress(LabNode.G1, false).getHostAddress()),
                    trace.stdout());
            if (shown) {
                assertTrue(hops.get(1).matches("2  \\d+\\.\\d+\\.\\d+\\.\\d+ .*"), trace.stdout());
                assertTrue(hops.get(2).startsWith("3  " + e2), trace.stdout());
            } else {
                assertEquals("2  *", hops.get(1), trace.stdout());
                assertEquals("3  *", hops.get(2), trace.stdout());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"implicit,1300", "discard,0"})
    void fragNeededFromInsideG2sNetworkLowersE1sPmtuOrThePmtuLogicRecovers(String option, int expectedPmtu)
            throws Exception {
        try (LabTunnel t = tunnel(option)) {
            exec(LabNode.G2, "ip", "link", "set", lab.interfaceName(LabNode.G2, LabNode.E2), "mtu",
                    Integer.toString(INSIDE_MTU));
            try (LabTransfer transfer = LabTransfer.start(lab, LabNode.E1, LabNode.E2, InetAddress.getByName(e2),
                    4L * 1024 * 1024, work)) {
                LabTransfer.Outcome outcome = transfer.await(Duration.ofSeconds(60));
                assertTrue(outcome.verified(), () -> option + ": transfer " + outcome + "\n" + t.logTail(LabNode.G1)
                        + "\n" + t.logTail(LabNode.G2));
            }
            String route = exec(LabNode.E1, "ip", "-4", "route", "get", e2).stdout();
            Matcher mtu = Pattern.compile("mtu (\\d+)").matcher(route);
            TunnelStatus g2 = t.status(LabNode.G2);
            System.out.println(option + ": E1 " + route.trim() + "; G1 PMTU " + t.status(LabNode.G1).outboundPmtu());
            if (expectedPmtu > 0) {
                assertTrue(mtu.find() && Integer.parseInt(mtu.group(1)) == expectedPmtu,
                        () -> "E1 learnt the inside MTU from G2's Frag Needed: " + route);
                assertEquals(0, g2.tunnel().outboundDrops(DropReason.ICMP_NOT_CARRIED));
            } else {
                // Discarded at G2; G1's black-hole detection lowered the SA, and G1 told E1 a
                // smaller MTU than the inside link's.
                assertTrue(g2.tunnel().outboundDrops(DropReason.ICMP_NOT_CARRIED) >= 1, t.logTail(LabNode.G2));
                TunnelStatus g1 = t.status(LabNode.G1);
                assertTrue(g1.outboundPmtu().blackHoles().size() >= 1, () -> "G1 saw a black hole: " + g1.outboundPmtu());
                assertTrue(mtu.find() && Integer.parseInt(mtu.group(1)) < INSIDE_MTU, route);
            }
        }
    }

    private TunnelStatus awaitStatus(LabTunnel t, LabNode gateway, Predicate<TunnelStatus> done)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        TunnelStatus s = t.status(gateway);
        while (!done.test(s) && System.nanoTime() < deadline) {
            Thread.sleep(200); // the engine rewrites its status file each second; bounded by the deadline
            s = t.status(gateway);
        }
        return s;
    }

    private ProcessResult exec(LabNode node, String... command) throws IOException {
        ProcessResult r = lab.exec(node, command);
        if (!r.succeeded() && !command[0].equals("traceroute")) {
            throw new IOException(String.join(" ", command) + " in " + node + ": " + r.describe());
        }
        return r;
    }
}
