package io.pathsec.engine.ike.session;

import io.pathsec.engine.gateway.IkeGatewayService;
import io.pathsec.engine.gateway.IkeGatewayStatus;
import io.pathsec.engine.lab.LabNode;
import io.pathsec.engine.lab.LabOptions;
import io.pathsec.engine.lab.LabTopology;
import io.pathsec.engine.lab.ProcessResult;
import io.pathsec.engine.testsupport.IkeJunk;
import io.pathsec.engine.testsupport.LabResource;
import io.pathsec.engine.testsupport.RequiresRoot;
import io.pathsec.engine.tunnel.IkeTunnelStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Malformed IKE from an attacker on the path (R1) at a running PathSec gateway and client
 * (UDP 500 and 4500): both processes keep running, the established tunnel keeps carrying
 * traffic, nothing escapes as an unhandled error, and a new client still connects afterwards.
 */
@RequiresRoot
class IkeBadInputLabTest {
    private static final String E2 = "203.0.113.2";

    @RegisterExtension
    static final LabResource LAB = new LabResource(LabOptions.defaults());

    @TempDir
    Path dir;

    private static LabTopology lab() {
        return LAB.topology();
    }

    @Test
    void junkAtGatewayAndClientLeavesBothRunning() throws Exception {
        String g2 = lab().outerAddress(LabNode.G2, false).getHostAddress();
        try (IkeLabProcess<IkeGatewayStatus> gw = IkeLabProcess.start(lab(), LabNode.G2, IkeGatewayService.class,
                PathSecGatewayLabTest.gatewayProfile(lab(), 32), dir, "gateway", IkeGatewayStatus.class)) {
            assertNotNull(gw.await(x -> "LISTENING".equals(x.state), LabClients.SETTLE), gw::logTail);
            try (IkeLabProcess<IkeTunnelStatus> client = LabClients.start(lab(), dir,
                    LabClients.profile(lab(), g2, PathSecGatewayLabTest.PSK, "client.pathsec.test", "gw.pathsec.test"),
                    "client")) {
                assertEquals("ESTABLISHED", LabClients.state(LabClients.awaitSettled(client)), client::logTail);
                for (InetAddress target : List.of(InetAddress.getByName(g2), lab().outerAddress(LabNode.G1, false))) {
                    ProcessResult junk = lab().exec(LabNode.R1, Duration.ofSeconds(60), javaBin(), "-cp",
                            System.getProperty("java.class.path"), IkeJunk.class.getName(), target.getHostAddress(), "7");
                    assertTrue(junk.succeeded() && junk.stdout().startsWith("sent "), junk::describe);
                }
                ping(client.logTail() + gw.logTail());
                IkeTunnelStatus s = client.status();
                assertEquals("ESTABLISHED", s.state, client::statusText);
                assertEquals(1, gw.status().clients.size(), gw::statusText);
                for (String log : List.of(client.log(), gw.log())) {
                    assertFalse(log.contains("could not be processed"), "an error escaped the decoders:\n" + log);
                    assertFalse(log.contains("Exception in thread"), log);
                }
            }
            // And a new session is still accepted.
            try (IkeLabProcess<IkeTunnelStatus> again = LabClients.start(lab(), dir,
                    LabClients.profile(lab(), g2, PathSecGatewayLabTest.PSK, "client.pathsec.test", "gw.pathsec.test"),
                    "again")) {
                assertEquals("ESTABLISHED", LabClients.state(LabClients.awaitSettled(again)), again::logTail);
                ping(again.logTail() + gw.logTail());
            }
        }
    }

    private static String javaBin() {
        return ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
    }

    private static void ping(String context) throws IOException {
        ProcessResult ping = lab().exec(LabNode.G1, Duration.ofSeconds(20), "ping", "-n", "-c", "3", "-i", "0.3", "-W", "2",
                E2);
        assertTrue(ping.succeeded(), () -> "ping G1 -> E2: " + ping.stdout() + context);
    }
}
