package io.pathsec.engine.ike.session;

import io.pathsec.engine.gateway.IkeGatewayService;
import io.pathsec.engine.gateway.IkeGatewayStatus;
import io.pathsec.engine.lab.LabNode;
import io.pathsec.engine.lab.LabOptions;
import io.pathsec.engine.lab.LabTopology;
import io.pathsec.engine.lab.LabTransfer;
import io.pathsec.engine.lab.ProcessResult;
import io.pathsec.engine.testsupport.RequiresRoot;
import io.pathsec.engine.testsupport.StrongSwanPeer;
import io.pathsec.engine.tunnel.IkeTunnelService;
import io.pathsec.engine.tunnel.IkeTunnelStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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

    /**
     * explicit-sa against strongSwan as the gateway receiving the CREATE_CHILD_SA: its CHILD_SA
     * carries only TCP 5201 and UDP 5001 on E2's network, so the Port Unreachable G1's kernel sends
     * for E2's UDP from port 5001 fits no SA and the PathSec client asks strongSwan for an ICMP
     * CHILD_SA. charon has no child config for ICMP selectors and refuses it; the clean fallback:
     * the waiting error is dropped, later ones are dropped and counted until the retry time, and
     * the IKE SA and the data CHILD_SA carry on.
     */
    @Test
    void explicitSaAgainstAStrongSwanGatewayFallsBackCleanlyWhenItRefusesTheIcmpChildSa() throws Exception {
        String e2Net = lab.protectedNetwork(LabNode.E2, false);
        StrongSwanPeer.Gateway gwConfig = StrongSwanPeer.Gateway.defaults(lab.outerAddress(LabNode.G2, false)
                .getHostAddress()).withLocalTs(e2Net + "[tcp/5201]," + e2Net + "[udp/5001]");
        Map<String, Object> profile = LabClients.profile(lab, gwConfig.localAddress(), gwConfig.psk(),
                "client.pathsec.test", null);
        try (StrongSwanPeer sw = StrongSwanPeer.startGateway(lab.namespace(LabNode.G2), dir.resolve("sw"), gwConfig);
             IkeLabProcess<IkeTunnelStatus> c = IkeLabProcess.start(lab, LabNode.G1,
                     IkeTunnelService.class, profile, dir, "client", IkeTunnelStatus.class,
                     List.of("-Dpathsec.icmp.handling=explicit-sa"))) {
            IkeTunnelStatus s = LabClients.awaitSettled(c);
            assertEquals("ESTABLISHED", LabClients.state(s), () -> c.statusText() + c.logTail() + sw.log());
            assertTrue(s.childSa.contains("[6/5201-5201]") && s.childSa.contains("[17/5001-5001]"),
                    () -> "strongSwan narrowed the CHILD_SA: " + s.childSa);
            Path probe = dir.resolve("icmp_probe.py");
            try (InputStream in = StrongSwanIcmpInteropTest.class.getResourceAsStream("/icmp/icmp_probe.py")) {
                Files.copy(in, probe);
            }
            // E2's UDP from port 5001 to a closed port of the client: its kernel answers Port Unreachable.
            for (int i = 0; i < 2; i++) {
                ProcessResult r = lab.exec(LabNode.E2, "python3", probe.toString(), "udpfrom", "5001", s.virtualIp,
                        Integer.toString(40000 + i));
                assertEquals("timeout", r.stdout().trim(), () -> "the error never reaches E2: " + r.describe());
                IkeTunnelStatus seen = c.await(x -> x.icmpDecisions.getOrDefault("queued", 0L) >= 1,
                        Duration.ofSeconds(5));
                assertTrue(seen.icmpDecisions.getOrDefault("queued", 0L) >= 1, () -> seen.icmpDecisions + c.logTail());
            }
            IkeTunnelStatus after = c.await(x -> x.icmpDecisions.getOrDefault("dropped:icmp-sa-failed", 0L) >= 1,
                    Duration.ofSeconds(5));
            System.out.println("explicit-sa vs strongSwan gateway: client ICMP decisions " + after.icmpDecisions);
            assertEquals(1L, after.icmpDecisions.getOrDefault("queued", 0L), () -> after.icmpDecisions + c.logTail());
            assertTrue(after.icmpDecisions.getOrDefault("dropped:icmp-sa-failed", 0L) >= 1,
                    () -> "after the refusal errors are dropped until the retry time: " + after.icmpDecisions);
            assertTrue(c.log().contains("not negotiated"), c::logTail);
            // charon: "traffic selectors …[icmp] … unacceptable", "failed to establish CHILD_SA, keeping IKE_SA".
            assertTrue(sw.log().contains("[icmp] unacceptable") && sw.log().contains("N(TS_UNACCEPT)"), sw::log);
            assertEquals("ESTABLISHED", LabClients.state(after), "the IKE SA stands");
            try (LabTransfer transfer = LabTransfer.start(lab,
                    LabNode.G1, LabNode.E2, InetAddress.getByName(E2), 1024 * 1024, dir)) {
                LabTransfer.Outcome outcome = transfer.await(Duration.ofSeconds(60));
                assertTrue(outcome.verified(), () -> "the data CHILD_SA still carries TCP 5201: " + outcome);
            }
        }
    }
}
