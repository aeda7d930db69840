package io.pathsec.engine.ike.session;

import io.pathsec.engine.gateway.IkeGatewayService;
import io.pathsec.engine.gateway.IkeGatewayStatus;
import io.pathsec.engine.lab.LabNode;
import io.pathsec.engine.lab.LabOptions;
import io.pathsec.engine.lab.LabTopology;
import io.pathsec.engine.lab.LabTransfer;
import io.pathsec.engine.lab.ProcessResult;
import io.pathsec.engine.policy.AddressRange;
import io.pathsec.engine.testsupport.LabResource;
import io.pathsec.engine.testsupport.RequiresRoot;
import io.pathsec.engine.testsupport.StrongSwanPeer;
import io.pathsec.engine.tunnel.IkeTunnelStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * IPv6 virtual addresses (RFC 7296 §2.19, INTERNAL_IP6_ADDRESS) with strongSwan 5.9 both ways,
 * over the IPv4 outer path: each client gets an IPv4 and an IPv6 address from the gateway's two
 * pools, installs them, and reaches E2's IPv6 address through the tunnel (ping and a verified
 * TCP transfer over IPv6 from the PathSec client).
 */
@RequiresRoot
class StrongSwanIpv6InteropTest {
    private static final String POOL6 = "2001:db8:c::/112";

    @RegisterExtension
    static final LabResource LAB = new LabResource(LabOptions.defaults());

    @TempDir
    Path dir;

    private static LabTopology lab() {
        return LAB.topology();
    }

    private static String g2() {
        return lab().outerAddress(LabNode.G2, false).getHostAddress();
    }

    private static String e2v6() {
        return lab().protectedAddress(LabNode.E2, true).getHostAddress();
    }

    /** E2's IPv4 and IPv6 networks, as both peers write them. */
    private static List<String> e2Networks() {
        return List.of(lab().protectedNetwork(LabNode.E2, false), lab().protectedNetwork(LabNode.E2, true));
    }

    @Test
    void pathSecClientGetsAnIpv6AddressFromStrongSwanAndTransfersOverIt() throws Exception {
        StrongSwanPeer.Gateway gw = StrongSwanPeer.Gateway.defaults(g2()).withPool6(POOL6)
                .withLocalTs(String.join(",", e2Networks()));
        Map<String, Object> profile = LabClients.profile(lab(), g2(), gw.psk(), "client.pathsec.test", "gw.sw.test");
        profile.put("ipv6", true);
        try (StrongSwanPeer peer = StrongSwanPeer.startGateway(lab().namespace(LabNode.G2), dir.resolve("sw"), gw);
             IkeLabProcess<IkeTunnelStatus> client = LabClients.start(lab(), dir, profile, "client")) {
            IkeTunnelStatus s = LabClients.awaitSettled(client);
            assertEquals("ESTABLISHED", LabClients.state(s), () -> client.statusText() + client.logTail() + peer.log());
            assertNotNull(s.virtualIp6, client::statusText);
            assertTrue(AddressRange.parse(POOL6).contains(InetAddress.getByName(s.virtualIp6)), s.virtualIp6);
            String log = peer.log();
            assertTrue(log.contains("assigning virtual IP " + s.virtualIp6), log);
            ProcessResult addr = lab().exec(LabNode.G1, "ip", "-6", "addr", "show", "dev", s.device);
            assertTrue(addr.stdout().contains(s.virtualIp6), addr::stdout);

            ping6(e2v6(), client.logTail() + log);
            try (LabTransfer transfer = LabTransfer.start(lab(), LabNode.G1, LabNode.E2, InetAddress.getByName(e2v6()),
                    4L * 1024 * 1024, dir)) {
                LabTransfer.Outcome outcome = transfer.await(Duration.ofSeconds(60));
                assertTrue(outcome.verified(), () -> "IPv6 transfer digests: " + outcome + client.logTail());
            }
            String sas = peer.swanctl("--list-sas");
            assertTrue(sas.contains(s.virtualIp6), sas);
            System.out.println("strongSwan gateway, PathSec client with " + s.virtualIp + " and " + s.virtualIp6
                    + ":\n" + sas);
        }
    }

    @Test
    void strongSwanClientGetsAnIpv6AddressFromPathSecAndPingsOverIt() throws Exception {
        Map<String, Object> gwProfile = PathSecGatewayLabTest.gatewayProfile(lab(), 32);
        gwProfile.put("pool6", POOL6);
        gwProfile.put("protectedSubnets", e2Networks());
        StrongSwanPeer.Client c = StrongSwanPeer.Client.defaults(g2(), "gw.pathsec.test", PathSecGatewayLabTest.PSK,
                String.join(",", e2Networks())).withVips("0.0.0.0,::");
        try (IkeLabProcess<IkeGatewayStatus> gw = IkeLabProcess.start(lab(), LabNode.G2, IkeGatewayService.class,
                gwProfile, dir, "gateway", IkeGatewayStatus.class);
             StrongSwanPeer sw = StrongSwanPeer.startClient(lab().namespace(LabNode.G1), dir.resolve("sw"), c)) {
            assertNotNull(gw.await(x -> "LISTENING".equals(x.state), LabClients.SETTLE), gw::logTail);
            try {
                sw.initiate();
            } catch (IOException e) {
                throw new AssertionError("strongSwan could not connect: " + e.getMessage() + "\n" + sw.log()
                        + gw.logTail(), e);
            }
            IkeGatewayStatus g = gw.await(x -> x.clients.size() == 1, Duration.ofSeconds(5));
            assertEquals(1, g.clients.size(), gw::statusText);
            String vip6 = g.clients.get(0).virtualIp6;
            assertNotNull(vip6, gw::statusText);
            assertTrue(AddressRange.parse(POOL6).contains(InetAddress.getByName(vip6)), vip6);
            String log = sw.log();
            assertTrue(log.contains("installing new virtual IP " + vip6), log);
            ping6(e2v6(), gw.logTail() + gw.statusText() + log);
            System.out.println("PathSec gateway, strongSwan client:\n" + gw.statusText());
        }
    }

    private static void ping6(String target, String context) throws IOException {
        ProcessResult ping = lab().exec(LabNode.G1, Duration.ofSeconds(20), "ping", "-6", "-n", "-c", "3", "-i", "0.3",
                "-W", "2", target);
        assertTrue(ping.succeeded(), () -> "ping G1 -> " + target + " through the tunnel: " + ping.stdout() + context);
    }
}
