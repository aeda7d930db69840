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

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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

    private String ns;
    private Path dir;
    private Process daemon;
    private Path socket;

    @BeforeEach
    void namespace() throws Exception {
        ns = "psctl-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
        dir = Files.createTempDirectory("pathsec-netns-");
        socket = dir.resolve("run/control.sock");
        run("ip", "netns", "add", ns);
        run("ip", "-n", ns, "link", "set", "lo", "up");
        // An outer link for the ESP packets to leave by (nobody answers on it: counting is enough).
        run("ip", "-n", ns, "link", "add", "d0", "type", "veth", "peer", "name", "d1");
        run("ip", "-n", ns, "addr", "add", "198.51.100.71/24", "dev", "d0");
        run("ip", "-n", ns, "link", "set", "d0", "up");
        run("ip", "-n", ns, "link", "set", "d1", "up");
    }

    @AfterEach
    void cleanUp() throws Exception {
        try {
            if (daemon != null && daemon.isAlive()) {
                daemon.destroyForcibly();
                daemon.waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            runQuietly("ip", "netns", "del", ns);
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private void startDaemon() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        daemon = new ProcessBuilder("ip", "netns", "exec", ns, java, "-cp", System.getProperty("java.class.path"),
                ControlDaemonService.class.getName(), socket.toString(), dir.resolve("state").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("daemon.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.readString(dir.resolve("daemon.log")).contains("ready ")) {
            assertTrue(daemon.isAlive(), "the daemon died: " + Files.readString(dir.resolve("daemon.log")));
            assertTrue(System.nanoTime() < deadline, "the daemon did not get ready");
            Thread.sleep(50);
        }
    }

    @Test
    void connectDisconnectAndSigtermLeaveNothingBehind() throws Exception {
        startDaemon();
        try (ControlClient c = ControlClient.connect(socket)) {
            // The route covers the peer: a policy route and rule, like a full tunnel.
            c.putProfile(Profile.of("lab", ProfileKind.STATIC_KEY, TestProfiles.staticKey("lab", TUN,
                    "198.51.100.71", "198.51.100.72", "10.77.0.1/32", "198.51.100.0/24")), false);
            TunnelInfo up = c.connectTunnel("lab");
            assertEquals(TunnelState.CONNECTED, up.state());
            assertEquals(TUN, up.device());
            assertTrue(deviceExists(), "the TUN device is up");
            assertTrue(rules().contains(RULE), "the policy rule is in place: " + rules());

            run("ip", "netns", "exec", ns, "ping", "-c", "3", "-i", "0.2", "-W", "1", "-q", "-I", "10.77.0.1", "198.51.100.72"); // no answer: nobody at .2
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
        assertFalse(Files.exists(socket), "and removed the socket");
        String log = Files.readString(dir.resolve("daemon.log"));
        assertTrue(log.contains("tunnel lab down"), log);
        assertFalse(log.contains(TestProfiles.OUT_KEY) || log.contains(TestProfiles.IN_KEY), "no key in the log");

        // A restart finds its profile and starts clean.
        startDaemon();
        try (ControlClient c = ControlClient.connect(socket)) {
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
        return runQuietly("ip", "-n", ns, "link", "show", "dev", TUN) == 0;
    }

    private String rules() throws Exception {
        return run("ip", "-n", ns, "-4", "rule", "show");
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(cmd))).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", cmd) + " finished");
        if (p.exitValue() != 0 && !cmd[cmd.length - 1].equals("198.51.100.72")) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    private static int runQuietly(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
