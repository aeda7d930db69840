package io.pathsec.engine.ike.session;

import io.pathsec.engine.gateway.IkeGatewayService;
import io.pathsec.engine.gateway.IkeGatewayStatus;
import io.pathsec.engine.lab.LabNode;
import io.pathsec.engine.lab.LabOptions;
import io.pathsec.engine.lab.LabTopology;
import io.pathsec.engine.lab.ProcessResult;
import io.pathsec.engine.testsupport.RequiresRoot;
import io.pathsec.engine.testsupport.StrongSwanPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * strongSwan (charon, kernel-libipsec) as the road-warrior client in G1, PathSec's gateway in G2,
 * with the ICMP options the gateway can apply to a peer that is not PathSec: a traceroute from G1
 * to E2 makes G2's kernel send Time Exceeded from its own address, outside the CHILD_SA.
 * ike-relay needs the PathSec Vendor ID, which strongSwan does not send: the gateway falls back to
 * discard and says so once in its log; implicit sends it on the CHILD_SA, where strongSwan drops it.
 */
@RequiresRoot
class StrongSwanIcmpInteropTest {
    private static final String E2 = PathSecGatewayLabTest.E2;

    private static LabTopology lab;

    @TempDir
    Path dir;

    @BeforeAll
    static void topology() throws IOException {
        lab = LabTopology.create(LabOptions.defaults());
        ProcessResult r = lab.exec(LabNode.G2, "sysctl", "-q", "-w", "net.ipv4.icmp_ratelimit=0");
        assertTrue(r.succeeded(), r::describe);
    }

    @AfterAll
    static void teardown() {
        if (lab != null) {
            lab.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ike-relay,dropped:peer-lacks-vendor-id", "implicit,forwarded"})
    void theGatewayAppliesItsOptionToAStrongSwanClient(String option, String atGateway) throws Exception {
        StrongSwanPeer.Client client = StrongSwanPeer.Client.defaults(lab.outerAddress(LabNode.G2, false).getHostAddress(),
                "gw.pathsec.test", PathSecGatewayLabTest.PSK, lab.protectedNetwork(LabNode.E2, false));
        try (IkeLabProcess<IkeGatewayStatus> gw = IkeLabProcess.start(lab, LabNode.G2, IkeGatewayService.class,
                PathSecGatewayLabTest.gatewayProfile(lab, 32), dir, "gateway", IkeGatewayStatus.class,
                List.of("-Dpathsec.icmp.handling=" + option));
             StrongSwanPeer sw = StrongSwanPeer.startClient(lab.namespace(LabNode.G1), dir.resolve("sw"), client)) {
            assertNotNull(gw.await(s -> "LISTENING".equals(s.state), Duration.ofSeconds(30)), gw::logTail);
            sw.initiate();
            IkeGatewayStatus g = gw.await(x -> x.clients.size() == 1, Duration.ofSeconds(5));
            assertEquals(1, g.clients.size(), gw::statusText);
            assertFalse(g.clients.get(0).speaksPathSec, "strongSwan does not send PathSec's Vendor ID");
            ProcessResult trace = lab.exec(LabNode.G1, "traceroute", "-n", "-q", "2", "-w", "2", "-m", "2", E2);
            System.out.println(option + " vs strongSwan: traceroute G1 -> E2\n" + trace.stdout());
            IkeGatewayStatus after = gw.await(x -> x.icmpDecisions.getOrDefault(atGateway, 0L) >= 2,
                    Duration.ofSeconds(5));
            System.out.println(option + " vs strongSwan: gateway ICMP decisions " + after.icmpDecisions);
            assertTrue(after.icmpDecisions.getOrDefault(atGateway, 0L) >= 2, () -> after.icmpDecisions + gw.logTail());
            List<String> hops = trace.stdout().lines().skip(1).map(String::trim).toList();
            assertTrue(hops.get(hops.size() - 1).startsWith("2  " + E2), trace.stdout());
            // Neither reaches strongSwan's side: ike-relay falls back to discard, and charon's
            // libipsec drops what G2 sends on the CHILD_SA outside its selectors (it does not apply
            // the RFC 4301 §6.2 exception for ICMP errors), so implicit needs PathSec at both ends.
            assertEquals("1  * *", hops.get(0), trace.stdout());
            if (option.equals("ike-relay")) {
                long told = gw.log().lines().filter(l -> l.contains("did not send the PathSec Vendor ID")).count();
                assertEquals(1, told, "the fallback is logged once per peer, not per error:\n" + gw.logTail());
            }
        }
    }
}
