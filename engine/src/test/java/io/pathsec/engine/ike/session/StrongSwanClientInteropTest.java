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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * strongSwan 5.9 (charon, kernel-libipsec) as a road-warrior client in G1 against PathSec's
 * IkeGatewayService in G2: IKE SA and CHILD_SA up, a virtual IP from PathSec's pool installed by
 * strongSwan, ping and a verified TCP transfer from that virtual IP to E2; and the same
 * handshake when the gateway demands a cookie (RFC 7296 §2.6).
 */
@RequiresRoot
class StrongSwanClientInteropTest {
    private static final String E2 = "203.0.113.2";

    @RegisterExtension
    static final LabResource LAB = new LabResource(LabOptions.defaults());

    @TempDir
    Path dir;

    private static LabTopology lab() {
        return LAB.topology();
    }

    private static StrongSwanPeer.Client client() {
        return StrongSwanPeer.Client.defaults(lab().outerAddress(LabNode.G2, false).getHostAddress(), "gw.pathsec.test",
                PathSecGatewayLabTest.PSK, lab().protectedNetwork(LabNode.E2, false));
    }

    @Test
    void strongSwanClientGetsAVirtualIpPingsAndTransfersThroughPathSec() throws Exception {
        try (IkeLabProcess<IkeGatewayStatus> gw = IkeLabProcess.start(lab(), LabNode.G2, IkeGatewayService.class,
                PathSecGatewayLabTest.gatewayProfile(lab(), 32), dir, "gateway", IkeGatewayStatus.class);
             StrongSwanPeer sw = StrongSwanPeer.startClient(lab().namespace(LabNode.G1), dir.resolve("sw"), client())) {
            assertNotNull(gw.await(s -> "LISTENING".equals(s.state), Duration.ofSeconds(30)), gw::logTail);
            String initiated = initiate(sw, gw);
            IkeGatewayStatus g = gw.await(x -> x.clients.size() == 1, Duration.ofSeconds(5));
            assertEquals(1, g.clients.size(), gw::statusText);
            String vip = g.clients.get(0).virtualIp;
            assertTrue(AddressRange.parse(PathSecGatewayLabTest.POOL).contains(InetAddress.getByName(vip)), vip);
            assertEquals("client.sw.test", g.clients.get(0).identity);
            assertFalse(g.clients.get(0).speaksPathSec, "strongSwan does not send PathSec's Vendor ID");

            String log = sw.log();
            assertTrue(log.contains("IKE_SA home[1] established between"), log);
            assertTrue(log.contains("installing new virtual IP " + vip), log);
            assertTrue(log.contains("CHILD_SA home{1} established"), log);
            String sas = sw.swanctl("--list-sas");
            assertTrue(sas.contains("ESTABLISHED") && sas.contains("INSTALLED") && sas.contains(vip), sas);

            ProcessResult ping = lab().exec(LabNode.G1, Duration.ofSeconds(20), "ping", "-n", "-c", "3", "-i", "0.3",
                    "-W", "2", E2);
            assertTrue(ping.succeeded(), () -> "ping G1 (strongSwan) -> E2 through PathSec: " + ping.stdout()
                    + gw.logTail() + gw.statusText() + sw.log());
            try (LabTransfer transfer = LabTransfer.start(lab(), LabNode.G1, LabNode.E2, InetAddress.getByName(E2),
                    4L * 1024 * 1024, dir)) {
                LabTransfer.Outcome outcome = transfer.await(Duration.ofSeconds(60));
                assertTrue(outcome.verified(), () -> "transfer digests: " + outcome);
            }
            Files.writeString(dir.resolve("evidence.txt"), initiated + "\n" + sas + "\n" + log);
            System.out.println("strongSwan client --list-sas:\n" + sas + "\nPathSec gateway status:\n" + gw.statusText());
            System.out.println("strongSwan log:\n" + log);
        }
    }

    @Test
    void strongSwanClientReturnsTheCookieThePathSecGatewayAsksFor() throws Exception {
        try (IkeLabProcess<IkeGatewayStatus> gw = IkeLabProcess.start(lab(), LabNode.G2, IkeGatewayService.class,
                PathSecGatewayLabTest.gatewayProfile(lab(), 0), dir, "gateway", IkeGatewayStatus.class);
             StrongSwanPeer sw = StrongSwanPeer.startClient(lab().namespace(LabNode.G1), dir.resolve("sw"), client())) {
            assertNotNull(gw.await(s -> "LISTENING".equals(s.state), Duration.ofSeconds(30)), gw::logTail);
            initiate(sw, gw);
            IkeGatewayStatus g = gw.await(x -> x.clients.size() == 1 && x.cookiesSent >= 1, Duration.ofSeconds(5));
            assertEquals(1, g.clients.size(), gw::statusText);
            assertTrue(g.cookiesSent >= 1, gw::statusText);
            String log = sw.log();
            assertTrue(log.contains("N(COOKIE)"), log);
            System.out.println("strongSwan log with a cookie:\n" + log);
        }
    }

    private static String initiate(StrongSwanPeer sw, IkeLabProcess<IkeGatewayStatus> gw) {
        try {
            return sw.initiate();
        } catch (IOException e) {
            throw new AssertionError("strongSwan could not connect: " + e.getMessage() + "\n" + sw.log() + "\n"
                    + gw.logTail(), e);
        }
    }
}
