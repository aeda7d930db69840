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
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ICMP options over IKEv2, PathSec client (G1, which is E1 too) ↔ PathSec gateway (G2): G2's
 * link towards E2 gets MTU 1300, so G2's kernel, forwarding the client's decrypted TCP to E2 port
 * 5201, answers with Fragmentation Needed from its own address — outside the CHILD_SA's
 * selectors (the client's virtual IP ↔ E2's network), so the option decides how it reaches G1.
 * With implicit, ike-relay and explicit-sa (the first error negotiates the ICMP CHILD_SA and waits
 * for it), G1's kernel learns MTU 1300 for E2; with discard G2 counts the
 * drop and G1's black-hole detection recovers instead (a smaller MTU); the transfer completes
 * in every case. A traceroute before it shows G2's Time Exceeded under the carrying options (and
 * warms both engines' ICMP paths: a relayed error must arrive before G1's black-hole detector,
 * which needs only two retransmissions of the same segment, acts on its own).
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
        exec(LabNode.G2, "sysctl", "-q", "-w", "net.ipv4.icmp_ratelimit=0");
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

    @ParameterizedTest(name = "{0}")
    @CsvSource({"implicit,forwarded,delivered", "ike-relay,relayed,delivered", "explicit-sa,queued,",
            "discard,dropped:discard-option,"})
    void fragNeededFromInsideTheGatewaysNetworkReachesTheClientAsTheOptionSays(String option, String atGateway,
                                                                               String atClient) throws Exception {
        boolean carried = !option.equals("discard");
        List<String> jvm = List.of("-Dpathsec.icmp.handling=" + option);
        try (IkeLabProcess<IkeGatewayStatus> gw = IkeLabProcess.start(lab, LabNode.G2, IkeGatewayService.class,
                PathSecGatewayLabTest.gatewayProfile(lab, 32), dir, "gateway", IkeGatewayStatus.class, jvm);
             IkeLabProcess<IkeTunnelStatus> c = startClient(gw, jvm)) {
            IkeTunnelStatus s = c.await(LabClients::settled, LabClients.SETTLE);
            assertEquals("ESTABLISHED", LabClients.state(s), () -> c.statusText() + c.logTail() + gw.logTail());
            assertTrue(s.speaksPathSec, "both sent the PathSec Vendor ID");
            // A traceroute first: its TTL expires at G2's kernel, whose Time Exceeded (from G2's
            // address, outside the selectors) crosses only where the option carries it; E2's Port
            // Unreachable is within the selectors and always arrives.
            ProcessResult trace = lab.exec(LabNode.G1, "traceroute", "-n", "-q", "1", "-w", "2", "-m", "2", E2);
            System.out.println(option + ": traceroute G1 -> E2\n" + trace.stdout());
            List<String> hops = trace.stdout().lines().skip(1).map(String::trim).toList();
            assertEquals(2, hops.size(), trace::describe);
            assertEquals(carried, !hops.get(0).equals("1  *"), trace.stdout());
            assertTrue(hops.get(1).startsWith("2  " + E2), trace.stdout());
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
            if (carried) {
                assertTrue(mtu.find() && Integer.parseInt(mtu.group(1)) == INSIDE_MTU,
                        () -> "G1 learnt the inside MTU: " + route + c.logTail() + gw.logTail());
                if (option.equals("explicit-sa")) {
                    assertTrue(cs.securityAssociations.stream().anyMatch(x -> x.contains("c-icmp")),
                            () -> "the ICMP CHILD_SA is installed at the client: " + cs.securityAssociations);
                }
                // An error on the explicit ICMP SA fits its selectors: the client has nothing to decide.
                assertTrue(atClient == null || cs.icmpDecisions.getOrDefault(atClient, 0L) >= 1,
                        () -> "client: " + cs.icmpDecisions);
                assertTrue(g.icmpDecisions.getOrDefault(atGateway, 0L) >= 1, () -> "gateway: " + g.icmpDecisions);
            } else {
                assertTrue(g.icmpDecisions.getOrDefault(atGateway, 0L) >= 1,
                        () -> "gateway: " + g.icmpDecisions + gw.logTail());
                // Nothing crossed: G1's own black-hole detection lowered the SA below the inside MTU.
                assertTrue(mtu.find() && Integer.parseInt(mtu.group(1)) < INSIDE_MTU, route);
                assertTrue(cs.icmpDecisions.isEmpty(), () -> "client: " + cs.icmpDecisions);
            }
        }
    }

    private IkeLabProcess<IkeTunnelStatus> startClient(IkeLabProcess<IkeGatewayStatus> gw, List<String> jvm)
            throws Exception {
        assertNotNull(gw.await(x -> "LISTENING".equals(x.state), LabClients.SETTLE), gw::logTail);
        return IkeLabProcess.start(lab, LabNode.G1, IkeTunnelService.class, LabClients.profile(lab,
                lab.outerAddress(LabNode.G2, false).getHostAddress(), PathSecGatewayLabTest.PSK, "client.pathsec.test",
                "gw.pathsec.test"), dir, "client", IkeTunnelStatus.class, jvm);
    }

    private static void exec(LabNode node, String... cmd) throws IOException {
        ProcessResult r = lab.exec(node, cmd);
        assertTrue(r.succeeded(), () -> String.join(" ", cmd) + ": " + r.describe());
    }
}
