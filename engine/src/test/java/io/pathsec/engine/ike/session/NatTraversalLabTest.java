package io.pathsec.engine.ike.session;

import io.pathsec.engine.gateway.IkeGatewayService;
import io.pathsec.engine.gateway.IkeGatewayStatus;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A NAT between client and gateway (RFC 7296 §2.23, RFC 3948): R1 masquerades G1's address and
 * ports (nftables). The PathSec client detects that it is behind the NAT, moves to port 4500,
 * sends UDP-encapsulated ESP and NAT-keepalives; against strongSwan's gateway and against
 * PathSec's, each with a verified TCP transfer through the tunnel.
 */
@RequiresRoot
class NatTraversalLabTest {
    private static final String E2 = "203.0.113.2";
    /** strongSwan: "received packet: from 198.51.100.65[20001] to 198.51.100.130[4500]". */
    private static final Pattern TRANSLATED = Pattern.compile("received packet: from ([0-9.]+)\\[(\\d+)\\] to [0-9.]+\\[4500\\]");

    @RegisterExtension
    static final LabResource LAB = new LabResource(LabOptions.defaults().withNat(true));

    @TempDir
    Path dir;

    private static LabTopology lab() {
        return LAB.topology();
    }

    private static String g2() {
        return lab().outerAddress(LabNode.G2, false).getHostAddress();
    }

    @Test
    void pathSecClientBehindNatConnectsToStrongSwanAndTransfers() throws Exception {
        StrongSwanPeer.Gateway gw = StrongSwanPeer.Gateway.defaults(g2());
        Map<String, Object> profile = LabClients.profile(lab(), g2(), gw.psk(), "client.pathsec.test", "gw.sw.test");
        profile.put("natKeepaliveSeconds", 1);
        try (StrongSwanPeer peer = StrongSwanPeer.startGateway(lab().namespace(LabNode.G2), dir.resolve("sw"), gw);
             IkeLabProcess<IkeTunnelStatus> client = LabClients.start(lab(), dir, profile, "client")) {
            IkeTunnelStatus s = LabClients.awaitSettled(client);
            assertEquals("ESTABLISHED", LabClients.state(s), () -> client.statusText() + client.logTail() + peer.log());
            assertTrue(s.natTraversal && s.behindNat, client::statusText);
            String log = peer.log();
            assertTrue(log.contains("remote host is behind NAT"), log);
            Matcher from = TRANSLATED.matcher(log);
            assertTrue(from.find(), log);
            assertEquals(lab().natAddress().getHostAddress(), from.group(1), "strongSwan sees R1's address");
            int port = Integer.parseInt(from.group(2));
            assertTrue(port >= 20000 && port <= 29999, "and a translated port: " + port);
            transfer(client.logTail() + log);
            assertTrue(client.log().contains("NAT-keepalives to"), client::logTail);
        }
    }

    @Test
    void pathSecClientBehindNatConnectsToPathSecGatewayWithKeepalives() throws Exception {
        try (IkeLabProcess<IkeGatewayStatus> gw = IkeLabProcess.start(lab(), LabNode.G2, IkeGatewayService.class,
                PathSecGatewayLabTest.gatewayProfile(lab(), 32), dir, "gateway", IkeGatewayStatus.class)) {
            assertNotNull(gw.await(x -> "LISTENING".equals(x.state), LabClients.SETTLE), gw::logTail);
            Map<String, Object> profile = LabClients.profile(lab(), g2(), PathSecGatewayLabTest.PSK, "client.pathsec.test",
                    "gw.pathsec.test");
            profile.put("natKeepaliveSeconds", 1);
            try (IkeLabProcess<IkeTunnelStatus> client = LabClients.start(lab(), dir, profile, "client")) {
                IkeTunnelStatus s = LabClients.awaitSettled(client);
                assertEquals("ESTABLISHED", LabClients.state(s), () -> client.statusText() + client.logTail() + gw.logTail());
                assertTrue(s.behindNat, client::statusText);
                IkeGatewayStatus g = gw.await(x -> x.clients.size() == 1 && x.natKeepalives >= 2, Duration.ofSeconds(10));
                assertEquals(1, g.clients.size(), gw::statusText);
                assertTrue(g.clients.get(0).peer.contains(lab().natAddress().getHostAddress()),
                        "the gateway talks to the NAT's address: " + g.clients.get(0).peer);
                assertTrue(g.natKeepalives >= 2, "keepalives every second reached the gateway: " + gw.statusText());
                transfer(client.logTail() + gw.logTail());
            }
        }
    }

    private void transfer(String context) throws IOException, InterruptedException {
        ProcessResult ping = lab().exec(LabNode.G1, Duration.ofSeconds(20), "ping", "-n", "-c", "3", "-i", "0.3", "-W", "2",
                E2);
        assertTrue(ping.succeeded(), () -> "ping G1 -> E2 through the NAT and the tunnel: " + ping.stdout() + context);
        try (LabTransfer t = LabTransfer.start(lab(), LabNode.G1, LabNode.E2, InetAddress.getByName(E2), 8L * 1024 * 1024,
                dir)) {
            LabTransfer.Outcome outcome = t.await(Duration.ofSeconds(60));
            assertTrue(outcome.verified(), () -> "transfer digests: " + outcome + context);
        }
    }
}
