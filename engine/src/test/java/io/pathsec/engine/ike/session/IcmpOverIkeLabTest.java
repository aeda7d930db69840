package io.pathsec.engine.ike.session;

import io.pathsec.engine.gateway.IkeGatewayService;
import io.pathsec.engine.gateway.IkeGatewayStatus;
import io.pathsec.engine.lab.LabNode;
import io.pathsec.engine.lab.LabOptions;
import io.pathsec.engine.lab.LabTopology;
import io.pathsec.engine.lab.LabTransfer;
import io.pathsec.engine.lab.ProcessResult;
import io.pathsec.engine.testsupport.RequiresRoot;
import io.pathsec.engine.tunnel.IkeTunnelService;
import io.pathsec.engine.tunnel.IkeTunnelStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ICMP options over IKEv2, PathSec client (G1, which is E1 too) ↔ PathSec gateway (G2), with
 * narrow selectors: the gateway's profile offers only TCP 5201 and UDP 5001 on E2's network
 * ({@code trafficSelectors}), so the CHILD_SA carries the client's virtual IP ↔ E2's network for
 * those two only and no ICMP error fits it; the option decides (docs/icmp.md, outcome table).
 * In one session per option:
 * <ul>
 * <li>a ping to E2 is not carried at all (the narrowed selectors are enforced);
 * <li>a traceroute over UDP 5001 shows hop 1 (G2's Time Exceeded, from G2's own address) and
 *     hop 2 (E2's Port Unreachable) only where the option carries ICMP errors;
 * <li>a UDP datagram to E2's closed port 5001 gets ECONNREFUSED where the option carries E2's Port
 *     Unreachable, and times out under discard;
 * <li>an error E2 forges about UDP port 5999 (never crossed) is rejected by G2 and counted under
 *     every option;
 * <li>G2's link towards E2 gets MTU 1300, so G2's kernel answers the client's TCP to 5201 with
 *     Fragmentation Needed from its own address: with implicit, ike-relay and explicit-sa G1's
 *     kernel learns MTU 1300; with discard G1's black-hole detection recovers instead (a smaller
 *     MTU); the transfer completes in every case. (The traceroute before it also warms both
 *     engines' ICMP paths: a relayed error must arrive before G1's black-hole detector, which
 *     needs only two retransmissions of the same segment, acts on its own.)
 * </ul>
 */
@RequiresRoot
class IcmpOverIkeLabTest {
    private static final String E2 = PathSecGatewayLabTest.E2;
    private static final int INSIDE_MTU = 1300;

    private static LabTopology lab;

    @TempDir
    Path dir;

    @BeforeAll
    static void topology() throws IOException {
        lab = LabTopology.create(LabOptions.defaults());
        // Every ICMP error the test causes must be sent; the kernel's rate limit would thin them by timing.
        for (LabNode node : List.of(LabNode.G2, LabNode.E2)) {
            exec(node, "sysctl", "-q", "-w", "net.ipv4.icmp_ratelimit=0");
        }
    }

    @AfterAll
    static void teardown() {
        if (lab != null) {
            lab.close();
        }
    }

    @AfterEach
    void restore() throws IOException {
        exec(LabNode.G2, "ip", "link", "set", lab.interfaceName(LabNode.G2, LabNode.E2), "mtu", "1500");
        exec(LabNode.G1, "ip", "route", "flush", "cache");
    }

    /** The lab gateway offering only TCP 5201 and UDP 5001 on E2's network. */
    static Map<String, Object> narrowGatewayProfile(LabTopology lab) {
        Map<String, Object> p = PathSecGatewayLabTest.gatewayProfile(lab, 32);
        String e2Net = lab.protectedNetwork(LabNode.E2, false);
        p.put("trafficSelectors", List.of(e2Net + " tcp 5201", e2Net + " udp 5001"));
        return p;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"implicit,forwarded,delivered", "ike-relay,relayed,delivered", "explicit-sa,queued,delivered",
            "discard,dropped:discard-option,"})
    void withNarrowSelectorsEachScenarioReachesTheClientAsTheOptionSays(String option, String atGateway,
                                                                       String atClient) throws Exception {
        boolean carried = !option.equals("discard");
        List<String> jvm = List.of("-Dpathsec.icmp.handling=" + option);
        try (IkeLabProcess<IkeGatewayStatus> gw = IkeLabProcess.start(lab, LabNode.G2, IkeGatewayService.class,
                narrowGatewayProfile(lab), dir, "gateway", IkeGatewayStatus.class, jvm);
             IkeLabProcess<IkeTunnelStatus> c = startClient(gw, jvm)) {
            IkeTunnelStatus s = c.await(LabClients::settled, LabClients.SETTLE);
            assertEquals("ESTABLISHED", LabClients.state(s), () -> c.statusText() + c.logTail() + gw.logTail());
            assertTrue(s.speaksPathSec, "both sent the PathSec Vendor ID");
            assertTrue(s.childSa.contains("[6/5201-5201]") && s.childSa.contains("[17/5001-5001]"),
                    () -> "the CHILD_SA was narrowed to TCP 5201 and UDP 5001: " + s.childSa);
            ProcessResult ping = lab.exec(LabNode.G1, "ping", "-n", "-c", "1", "-W", "1", E2);
            assertTrue(!ping.succeeded(), () -> "ICMP echo is outside the narrowed selectors: " + ping.describe());

            tracerouteShowsTheInsideHopsOnlyWhenCarried(option, carried);
            portUnreachableReachesTheSocketOnlyWhenCarried(option, carried);
            forgedErrorIsRejectedAndCounted(option, gw, s.virtualIp);
            fragNeededLowersThePmtuOrThePmtuLogicRecovers(option, carried, atGateway, atClient, gw, c);
        }
    }

    private void tracerouteShowsTheInsideHopsOnlyWhenCarried(String option, boolean carried) throws IOException {
        // UDP 5001 fits the SA: hop 1's TTL expires at G2's kernel (Time Exceeded from G2's own
        // address), hop 2 is E2's Port Unreachable; neither fits the narrowed selectors.
        ProcessResult trace = lab.exec(LabNode.G1, "traceroute", "-n", "-U", "-p", "5001", "-q", "1", "-w", "2",
                "-m", "2", E2);
        System.out.println(option + ": traceroute G1 -> E2 udp/5001\n" + trace.stdout());
        List<String> hops = trace.stdout().lines().skip(1).map(String::trim).toList();
        assertEquals(2, hops.size(), trace::describe);
        assertEquals(carried, !hops.get(0).equals("1  *"), trace.stdout());
        assertEquals(carried, hops.get(1).startsWith("2  " + E2), trace.stdout());
    }

    private void portUnreachableReachesTheSocketOnlyWhenCarried(String option, boolean carried) throws IOException {
        String seen = exec(LabNode.G1, "python3", probe().toString(), "udp", E2, "5001").stdout().trim();
        assertEquals(carried ? "refused" : "timeout", seen, () -> "UDP to E2:5001 (closed) under " + option);
    }

    private void forgedErrorIsRejectedAndCounted(String option, IkeLabProcess<IkeGatewayStatus> gw, String vip)
            throws Exception {
        String key = "dropped:no-sa-for-quoted-flow";
        long before = gw.await(x -> true, Duration.ofSeconds(1)).icmpDecisions.getOrDefault(key, 0L);
        // E2 claims that the client's UDP datagram to its port 5999 was refused; the SA carries no UDP 5999.
        ProcessResult forged = exec(LabNode.E2, "python3", probe().toString(), "forge", vip, vip, "40000", E2, "5999");
        assertTrue(forged.stdout().startsWith("sent"), forged::describe);
        IkeGatewayStatus g = gw.await(x -> x.icmpDecisions.getOrDefault(key, 0L) > before, Duration.ofSeconds(5));
        assertEquals(before + 1, g.icmpDecisions.getOrDefault(key, 0L), () -> option + ": " + g.icmpDecisions);
    }

    private void fragNeededLowersThePmtuOrThePmtuLogicRecovers(String option, boolean carried, String atGateway,
                                                               String atClient, IkeLabProcess<IkeGatewayStatus> gw,
                                                               IkeLabProcess<IkeTunnelStatus> c) throws Exception {
        exec(LabNode.G2, "ip", "link", "set", lab.interfaceName(LabNode.G2, LabNode.E2), "mtu",
                Integer.toString(INSIDE_MTU));
        try (LabTransfer transfer = LabTransfer.start(lab, LabNode.G1, LabNode.E2, InetAddress.getByName(E2),
                2L * 1024 * 1024, dir)) {
            LabTransfer.Outcome outcome = transfer.await(Duration.ofSeconds(60));
            assertTrue(outcome.verified(), () -> option + ": " + outcome + c.logTail() + gw.logTail());
        }
        String route = lab.exec(LabNode.G1, "ip", "-4", "route", "get", E2).stdout();
        Matcher mtu = Pattern.compile("mtu (\\d+)").matcher(route);
        // Status files are rewritten each second: wait (bounded) for the counts to show.
        IkeGatewayStatus g = gw.await(x -> x.icmpDecisions.getOrDefault(atGateway, 0L) >= 1, Duration.ofSeconds(5));
        IkeTunnelStatus cs = c.await(x -> atClient == null || x.icmpDecisions.getOrDefault(atClient, 0L) >= 1,
                Duration.ofSeconds(5));
        System.out.println(option + ": G1 " + route.trim() + "; gateway " + g.icmpDecisions + "; client "
                + cs.icmpDecisions);
        if (System.getProperty("icmp.debug") != null) {
            System.out.println(gw.log() + "\n----client----\n" + c.log());
        }
        assertTrue(g.icmpDecisions.getOrDefault(atGateway, 0L) >= 1, () -> "gateway: " + g.icmpDecisions + gw.logTail());
        if (carried) {
            assertTrue(mtu.find() && Integer.parseInt(mtu.group(1)) == INSIDE_MTU,
                    () -> "G1 learnt the inside MTU: " + route + c.logTail() + gw.logTail());
            if (option.equals("explicit-sa")) {
                assertTrue(cs.securityAssociations.stream().anyMatch(x -> x.contains("c-icmp")),
                        () -> "the ICMP CHILD_SA is installed at the client: " + cs.securityAssociations);
            }
            // Every carried error is checked at the client against the SA of its quote (RFC 4301 §6.2).
            assertTrue(atClient == null || cs.icmpDecisions.getOrDefault(atClient, 0L) >= 1,
                    () -> "client: " + cs.icmpDecisions);
        } else {
            // Nothing crossed: G1's own black-hole detection lowered the SA below the inside MTU.
            assertTrue(mtu.find() && Integer.parseInt(mtu.group(1)) < INSIDE_MTU, route);
            assertTrue(cs.icmpDecisions.isEmpty(), () -> "client: " + cs.icmpDecisions);
            // The draft §4 hint: the dropped Frag Needed made G2's DPLPMTUD confirm its PLPMTU at once.
            assertTrue(gw.log().contains("DPLPMTUD probe sent to confirm the PLPMTU"), gw::logTail);
        }
    }

    /** The ICMP test helper script (test resources), copied where the lab's namespaces can run it. */
    private Path probe() throws IOException {
        Path p = dir.resolve("icmp_probe.py");
        if (!Files.exists(p)) {
            try (InputStream in = IcmpOverIkeLabTest.class.getResourceAsStream("/icmp/icmp_probe.py")) {
                Files.copy(in, p);
            }
        }
        return p;
    }

    private IkeLabProcess<IkeTunnelStatus> startClient(IkeLabProcess<IkeGatewayStatus> gw, List<String> jvm)
            throws Exception {
        assertNotNull(gw.await(x -> "LISTENING".equals(x.state), LabClients.SETTLE), gw::logTail);
        return IkeLabProcess.start(lab, LabNode.G1, IkeTunnelService.class, LabClients.profile(lab,
                lab.outerAddress(LabNode.G2, false).getHostAddress(), PathSecGatewayLabTest.PSK, "client.pathsec.test",
                "gw.pathsec.test"), dir, "client", IkeTunnelStatus.class, jvm);
    }

    private static ProcessResult exec(LabNode node, String... cmd) throws IOException {
        ProcessResult r = lab.exec(node, cmd);
        assertTrue(r.succeeded(), () -> String.join(" ", cmd) + ": " + r.describe());
        return r;
    }
}
