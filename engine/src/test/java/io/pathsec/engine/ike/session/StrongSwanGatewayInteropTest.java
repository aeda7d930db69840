package io.pathsec.engine.ike.session;

import com.google.gson.Gson;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PathSec as a road-warrior client in G1 against strongSwan 5.9 (charon, kernel-libipsec) as the
 * gateway in G2: IKE_SA_INIT, NAT-T float to 4500, IKE_AUTH with PSK and CP, CHILD_SA installed
 * in PathSec's data path; then ping and a verified TCP transfer from the virtual IP to E2.
 */
@RequiresRoot
class StrongSwanGatewayInteropTest {
    private static final Gson GSON = new Gson();
    private static final String E2 = "203.0.113.2";

    @RegisterExtension
    static final LabResource LAB = new LabResource(LabOptions.defaults());

    @TempDir
    Path dir;

    private static LabTopology lab() {
        return LAB.topology();
    }

    @Test
    void establishesPingsAndTransfersThroughStrongSwan() throws Exception {
        StrongSwanPeer.Gateway gw = StrongSwanPeer.Gateway.defaults(g2());
        try (StrongSwanPeer peer = StrongSwanPeer.startGateway(lab().namespace(LabNode.G2), dir.resolve("sw"), gw);
             IkeLabProcess<IkeTunnelStatus> client = client(dir, gw.psk(), "gw.sw.test", null)) {
            IkeTunnelStatus s = LabClients.awaitSettled(client);
            assertEquals("ESTABLISHED", LabClients.state(s), () -> "status " + GSON.toJson(s) + "\n" + client.logTail() + peer.log());
            InetAddress vip = InetAddress.getByName(s.virtualIp);
            assertTrue(AddressRange.parse("10.200.0.0/24").contains(vip), "virtual IP from strongSwan's pool: " + vip);
            assertTrue(s.natTraversal, "moved to port 4500");
            String sas = peer.swanctl("--list-sas");
            assertTrue(sas.contains("ESTABLISHED") && sas.contains("INSTALLED"), sas);
            assertTrue(sas.contains(s.virtualIp), sas);

            ProcessResult ping = lab().exec(LabNode.G1, Duration.ofSeconds(20), "ping", "-n", "-c", "3", "-i", "0.3",
                    "-W", "2", E2);
            assertTrue(ping.succeeded(), () -> "ping G1 -> E2 through the tunnel: " + ping.stdout() + client.logTail()
                    + client.statusText() + peerSas(peer) + peer.log());

            try (LabTransfer transfer = LabTransfer.start(lab(), LabNode.G1, LabNode.E2, InetAddress.getByName(E2),
                    4L * 1024 * 1024, dir)) {
                LabTransfer.Outcome outcome = transfer.await(Duration.ofSeconds(60));
                assertTrue(outcome.verified(), () -> "transfer digests: " + outcome);
            }
            String log = peer.log();
            assertTrue(log.contains("IKE_SA rw[1] established"), log);
            assertTrue(log.contains("CHILD_SA lan{1} established"), log);
            assertTrue(log.contains("assigning virtual IP " + s.virtualIp) || log.contains(s.virtualIp), log);
            Files.writeString(dir.resolve("evidence.txt"), sas + "\n" + log);
            System.out.println("strongSwan --list-sas:\n" + sas);
        }
    }

    @Test
    void retriesWithTheGroupStrongSwanAsksFor() throws Exception {
        StrongSwanPeer.Gateway gw = StrongSwanPeer.Gateway.defaults(g2()).withIkeProposals("aes256gcm16-prfsha256-ecp256");
        try (StrongSwanPeer peer = StrongSwanPeer.startGateway(lab().namespace(LabNode.G2), dir.resolve("sw"), gw);
             IkeLabProcess<IkeTunnelStatus> client = client(dir, gw.psk(), null, List.of("CURVE25519", "ECP_256"))) {
            IkeTunnelStatus s = LabClients.awaitSettled(client);
            assertEquals("ESTABLISHED", LabClients.state(s), () -> GSON.toJson(s) + "\n" + client.logTail() + peer.log());
            assertTrue(s.ikeSuite.contains("ECP_256"), s.ikeSuite);
            // strongSwan logs it as "N(INVAL_KE)" and "DH group CURVE_25519 unacceptable, requesting ECP_256"
            assertTrue(peer.log().contains("DH group CURVE_25519 unacceptable, requesting ECP_256"), peer.log());
        }
    }

    @Test
    void wrongPskIsReportedAsAuthenticationFailure() throws Exception {
        StrongSwanPeer.Gateway gw = StrongSwanPeer.Gateway.defaults(g2());
        try (StrongSwanPeer peer = StrongSwanPeer.startGateway(lab().namespace(LabNode.G2), dir.resolve("sw"), gw);
             IkeLabProcess<IkeTunnelStatus> client = client(dir, "not-the-right-psk-000000000000", null, null)) {
            IkeTunnelStatus s = LabClients.awaitSettled(client);
            assertEquals("FAILED", LabClients.state(s), () -> GSON.toJson(s));
            assertEquals("AUTHENTICATION_FAILED", s.reason);
            assertEquals("authentication failed: the gateway rejected our PSK/AUTH", s.error);
        }
    }

    private static String peerSas(StrongSwanPeer peer) {
        try {
            return peer.swanctl("--list-sas");
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    private static String g2() {
        return lab().outerAddress(LabNode.G2, false).getHostAddress();
    }

    /** A PathSec client in G1 for strongSwan's gateway in G2. */
    private static IkeLabProcess<IkeTunnelStatus> client(Path dir, String psk, String remoteId, List<String> dhGroups)
            throws IOException {
        Map<String, Object> profile = LabClients.profile(lab(), g2(), psk, "client.pathsec.test", remoteId);
        if (dhGroups != null) {
            profile.put("dhGroups", dhGroups);
        }
        return LabClients.start(lab(), dir, profile, "client");
    }
}
