package io.pathsec.engine.lab;

import io.pathsec.engine.control.api.ControlClient;
import io.pathsec.engine.control.api.TunnelInfo;
import io.pathsec.engine.control.api.TunnelState;
import io.pathsec.engine.policy.IpsecMode;
import io.pathsec.engine.testsupport.RequiresRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The desktop lab's G1: the production daemon in G1's namespace holding G1's generated static
 * keys, G2 a bare engine. E1 reaches E2 through that tunnel, the daemon counts it, and closing
 * the daemon ends its process.
 */
@RequiresRoot
@Timeout(120)
class LabDaemonTest {
    @TempDir
    Path work;

    @Test
    void theDaemonInG1CarriesTheLabTunnel() throws Exception {
        try (LabTopology lab = LabTopology.create(LabOptions.defaults());
             LabTunnel g2 = LabTunnel.startGatewayOnly(lab, IpsecMode.TUNNEL, "aes256gcm16", false, work)) {
            assertFalse(g2.isRunning(LabNode.G1), "G1 is left to the daemon");
            assertTrue(g2.isRunning(LabNode.G2));
            LabDaemon daemon = LabDaemon.start(lab, LabNode.G1, work);
            try {
                TunnelInfo up = daemon.connectStaticKeys("lab", g2.configOf(LabNode.G1));
                assertEquals(TunnelState.CONNECTED, up.state());
                ProcessResult ping = lab.exec(LabNode.E1, "ping", "-n", "-c", "3", "-i", "0.2", "-W", "2",
                        lab.protectedAddress(LabNode.E2, false).getHostAddress());
                assertTrue(ping.succeeded(), "E1 reaches E2 through the daemon's tunnel: " + ping.stdout());
                try (ControlClient c = ControlClient.connect(daemon.socket())) {
                    long sent = c.status().tunnels().get(0).counters().sentPackets();
                    assertTrue(sent >= 3, "the daemon counted the pings as ESP: " + sent);
                }
            } finally {
                daemon.close();
            }
            assertFalse(daemon.isRunning(), "closed by PID");
            assertTrue(ProcessHandle.of(daemon.pid()).isEmpty() || !ProcessHandle.of(daemon.pid()).get().isAlive());
        }
    }
}
