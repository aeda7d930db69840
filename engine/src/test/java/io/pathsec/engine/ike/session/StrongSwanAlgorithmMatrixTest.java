package io.pathsec.engine.ike.session;

import io.pathsec.engine.gateway.IkeGatewayService;
import io.pathsec.engine.gateway.IkeGatewayStatus;
import io.pathsec.engine.lab.LabNode;
import io.pathsec.engine.lab.LabOptions;
import io.pathsec.engine.lab.LabTopology;
import io.pathsec.engine.lab.LabTransfer;
import io.pathsec.engine.testsupport.LabResource;
import io.pathsec.engine.testsupport.RequiresRoot;
import io.pathsec.engine.testsupport.StrongSwanPeer;
import io.pathsec.engine.tunnel.IkeTunnelStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
 * The ESP algorithm matrix against strongSwan 5.9 (kernel-libipsec), both directions: AES-GCM-256,
 * ChaCha20-Poly1305 and AES-CBC-256 with HMAC-SHA-256-128 are each the only proposal on both
 * sides, so the negotiation must pick exactly it; then a 20 MB TCP transfer with matching SHA-256
 * runs through the tunnel. One 100 MB transfer (strongSwan client, PathSec gateway) completes it.
 */
@RequiresRoot
class StrongSwanAlgorithmMatrixTest {
    private static final String E2 = "203.0.113.2";
    private static final long MATRIX_BYTES = 20L * 1024 * 1024;
    private static final long LARGE_BYTES = 100L * 1024 * 1024;

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

    /** @param swName strongSwan's proposal keyword, which PathSec's profiles also accept */
    @ParameterizedTest(name = "PathSec client, strongSwan gateway: {0}")
    @CsvSource({"aes256gcm16, ESP:AES_GCM_16_256/NO_EXT_SEQ",
            "chacha20poly1305, ESP:CHACHA20_POLY1305/NO_EXT_SEQ",
            "aes256-sha256, ESP:AES_CBC_256/HMAC_SHA2_256_128/NO_EXT_SEQ"})
    void pathSecClientToStrongSwanGateway(String swName, String chosen) throws Exception {
        StrongSwanPeer.Gateway gw = StrongSwanPeer.Gateway.defaults(g2()).withEspProposals(swName);
        Map<String, Object> profile = LabClients.profile(lab(), g2(), gw.psk(), "client.pathsec.test", "gw.sw.test");
        profile.put("esp", List.of(swName));
        try (StrongSwanPeer peer = StrongSwanPeer.startGateway(lab().namespace(LabNode.G2), dir.resolve("sw"), gw);
             IkeLabProcess<IkeTunnelStatus> client = LabClients.start(lab(), dir, profile, "client")) {
            IkeTunnelStatus s = LabClients.awaitSettled(client);
            assertEquals("ESTABLISHED", LabClients.state(s), () -> client.statusText() + client.logTail() + peer.log());
            assertTrue(s.childSa.contains(" " + swName + " "), s.childSa);
            assertTrue(peer.log().contains("selected proposal: " + chosen), peer::log);
            transfer(swName + " PathSec client -> strongSwan gateway", MATRIX_BYTES, client.logTail() + peer.log());
        }
    }

    @ParameterizedTest(name = "strongSwan client, PathSec gateway: {0}")
    @CsvSource({"aes256gcm16, ESP:AES_GCM_16_256/NO_EXT_SEQ",
            "chacha20poly1305, ESP:CHACHA20_POLY1305/NO_EXT_SEQ",
            "aes256-sha256, ESP:AES_CBC_256/HMAC_SHA2_256_128/NO_EXT_SEQ"})
    void strongSwanClientToPathSecGateway(String swName, String chosen) throws Exception {
        strongSwanClientTransfers(swName, chosen, MATRIX_BYTES);
    }

    @Test
    void hundredMegabytesThroughThePathSecGatewayFromStrongSwan() throws Exception {
        strongSwanClientTransfers("aes256gcm16", "ESP:AES_GCM_16_256/NO_EXT_SEQ", LARGE_BYTES);
    }

    private void strongSwanClientTransfers(String swName, String chosen, long bytes) throws Exception {
        Map<String, Object> gwProfile = PathSecGatewayLabTest.gatewayProfile(lab(), 32);
        gwProfile.put("esp", List.of(swName));
        StrongSwanPeer.Client c = StrongSwanPeer.Client.defaults(g2(), "gw.pathsec.test", PathSecGatewayLabTest.PSK,
                lab().protectedNetwork(LabNode.E2, false)).withEspProposals(swName);
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
            assertTrue(g.clients.get(0).childSa.contains(" " + swName + " "), g.clients.get(0).childSa);
            assertTrue(sw.log().contains("selected proposal: " + chosen), sw::log);
            transfer(swName + " strongSwan client -> PathSec gateway", bytes, gw.logTail() + sw.log());
        }
    }

    private void transfer(String what, long bytes, String context) throws Exception {
        long start = System.nanoTime();
        try (LabTransfer t = LabTransfer.start(lab(), LabNode.G1, LabNode.E2, InetAddress.getByName(E2), bytes, dir)) {
            LabTransfer.Outcome outcome = t.await(Duration.ofSeconds(120));
            assertTrue(outcome.verified(), () -> what + ": transfer digests " + outcome + "\n" + context);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%s: %d MB, SHA-256 %s, %.1f s (%.0f Mbit/s, one run, not a benchmark)%n", what,
                    bytes >> 20, outcome.received().sha256(), seconds, bytes * 8 / seconds / 1e6);
        }
    }
}
