package io.pathsec.engine.control;

import io.pathsec.engine.control.api.ControlClient;
import io.pathsec.engine.control.api.Profile;
import io.pathsec.engine.control.api.ProfileKind;
import io.pathsec.engine.control.api.SaList;
import io.pathsec.engine.control.api.TunnelInfo;
import io.pathsec.engine.control.api.TunnelState;
import io.pathsec.engine.testsupport.RequiresRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real daemon process inside its own network namespace, holding a real static-key tunnel:
 * connect brings up the TUN device, its policy route and rule; traffic is counted; disconnect and
 * SIGTERM both leave no device and no rule behind, and SIGTERM removes the socket.
 */
@RequiresRoot
@Timeout(180)
class DaemonTunnelNetnsTest {
    private static final String TUN = "psctl0";
    /** RoutingSetup's rule priority. */
    private static final String RULE = "5053:";

    private DaemonInNamespace host;

    @BeforeEach
    void namespace() throws Exception {
        // An outer link for the ESP packets to leave by (nobody answers on it: counting is enough).
        host = new DaemonInNamespace("psctl", "198.51.100.71/24");
    }

    @AfterEach
    void cleanUp() throws Exception {
        host.close();
    }

    @Test
    void connectDisconnectAndSigtermLeaveNothingBehind() throws Exception {
        Process daemon = host.startDaemon();
        try (ControlClient c = ControlClient.connect(host.socket)) {
            // The route covers the peer: a policy route and rule, like a full tunnel.
            c.putProfile(Profile.of("lab", ProfileKind.STATIC_KEY, TestProfiles.staticKey("lab", TUN,
                    "198.51.100.71", "198.51.100.72", "10.77.0.1/32", "198.51.100.0/24")), false);
            TunnelInfo up = c.connectTunnel("lab");
            assertEquals(TunnelState.CONNECTED, up.state());
            assertEquals(TUN, up.device());
            assertTrue(deviceExists(), "the TUN device is up");
            assertTrue(rules().contains(RULE), "the policy rule is in place: " + rules());

            host.execQuietly("ping", "-c", "3", "-i", "0.2", "-W", "1", "-q", "-I", "10.77.0.1", "198.51.100.72"); // no answer: nobody at .2
            ControlDaemonTest.assertEventually(() -> sent(c) >= 3, "three pings went out as ESP");
            SaList sas = c.securityAssociations("lab");
            assertEquals(List.of("0x00001000", "0x00002000"), sas.sas().stream().map(s -> s.spi()).toList());

            assertEquals(TunnelState.DISCONNECTED, c.disconnectTunnel("lab").state());
            assertFalse(deviceExists(), "disconnect removed the device");
            assertFalse(rules().contains(RULE), "and the rule");

            c.connectTunnel("lab");
            assertTrue(deviceExists());
        }
        daemon.destroy(); // SIGTERM
        assertTrue(daemon.waitFor(30, TimeUnit.SECONDS), "the daemon stopped");
        assertFalse(deviceExists(), "SIGTERM took the device down");
        assertFalse(rules().contains(RULE), "and the rule");
        assertFalse(Files.exists(host.socket), "and removed the socket");
        String log = Files.readString(host.log());
        assertTrue(log.contains("tunnel lab down"), log);
        assertFalse(log.contains(TestProfiles.OUT_KEY) || log.contains(TestProfiles.IN_KEY), "no key in the log");

        // A restart finds its profile and starts clean.
        daemon = host.startDaemon();
        try (ControlClient c = ControlClient.connect(host.socket)) {
            assertEquals(TunnelState.CONNECTED, c.connectTunnel("lab").state());
            assertTrue(deviceExists());
        }
        daemon.destroy();
        assertTrue(daemon.waitFor(30, TimeUnit.SECONDS));
        assertFalse(deviceExists());
    }

    private static long sent(ControlClient c) {
        try {
            return c.status().tunnels().get(0).counters().sentPackets();
        } catch (Exception e) {
            return -1;
        }
    }

    private boolean deviceExists() throws Exception {
        return DaemonInNamespace.runQuietly("ip", "-n", host.ns, "link", "show", "dev", TUN) == 0;
    }

    private String rules() throws Exception {
        return DaemonInNamespace.run("ip", "-n", host.ns, "-4", "rule", "show");
    }
}
