package io.pathsec.engine.tunnel;

import io.pathsec.engine.testsupport.RequiresRoot;
import io.pathsec.engine.tun.NetnsThread;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Routes and the shared policy rule, in a namespace of the test's own. */
@RequiresRoot
class RoutingSetupTest {
    private final String ns = "psroute-" + ProcessHandle.current().pid();

    @BeforeEach
    void createNamespace() throws Exception {
        run("ip", "netns", "add", ns);
        // Two devices to route into (this kernel has veth but no dummy driver).
        for (String dev : List.of("d1", "d2")) {
            run("ip", "-n", ns, "link", "add", dev, "type", "veth", "peer", "name", dev + "p");
            run("ip", "-n", ns, "link", "set", dev, "up");
            run("ip", "-n", ns, "link", "set", dev + "p", "up");
        }
    }

    @AfterEach
    void removeNamespace() throws Exception {
        run("ip", "netns", "del", ns);
    }

    @Test
    void thePolicyRuleStaysWhileAnyTunnelNeedsIt() throws Exception {
        NetnsThread.call(ns, () -> {
            RoutingSetup first = new RoutingSetup("d1");
            RoutingSetup second = new RoutingSetup("d2");
            first.addPolicyRoute("198.51.100.130/32", null);
            second.addPolicyRoute("198.51.100.140/32", null);
            assertEquals(1, policyRules(), "one shared rule for both tunnels");
            first.close();
            assertEquals(1, policyRules(), "the second tunnel still needs the rule");
            second.close();
            assertEquals(0, policyRules(), "the last tunnel removed the rule");
            return null;
        });
    }

    @Test
    void routesGoToTheMainTableOrThePolicyTable() throws Exception {
        NetnsThread.call(ns, () -> {
            try (RoutingSetup routing = new RoutingSetup("d1")) {
                routing.addRoute("203.0.113.0/24", null);
                routing.addPolicyRoute("198.51.100.130/32", null);
                assertTrue(output("ip", "route", "show").contains("203.0.113.0/24 dev d1"));
                assertTrue(output("ip", "route", "show", "table", Integer.toString(RoutingSetup.TABLE))
                        .contains("198.51.100.130 dev d1"));
                assertFalse(output("ip", "route", "show").contains("198.51.100.130"),
                        "the peer's address stays out of the main table: ESP must not loop into the tunnel");
            }
            return null;
        });
    }

    private static long policyRules() throws IOException, InterruptedException {
        return output("ip", "-4", "rule", "show").lines()
                .filter(l -> l.contains("not from all fwmark 0x5053")).count();
    }

    private static String output(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), String.join(" ", cmd) + " finished");
        return out;
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }

}
