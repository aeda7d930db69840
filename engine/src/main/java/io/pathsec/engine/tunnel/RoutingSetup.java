package io.pathsec.engine.tunnel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The routes and policy-routing rules that lead traffic into a tunnel's TUN device, and their
 * removal. Routes die with the device; rules do not, so the shared policy rule is counted and
 * deleted when its last tunnel closes.
 *
 * <p>When the peer's own address must go through the tunnel (transport mode, or a full
 * tunnel), the outer ESP packets would be routed into the tunnel too. As wg-quick does, the
 * tunnel's routes then live in a separate table that only unmarked packets consult; the engine
 * marks its UDP socket (SO_MARK, {@link #FWMARK}) so its own packets use the main table.
 *
 * <p>Uses iproute2 for now; an rtnetlink implementation can replace this class alone.
 */
public final class RoutingSetup implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RoutingSetup.class);
    /** "PS" in ASCII: the mark of PathSec's outer sockets. */
    public static final int FWMARK = 0x5053;
    /** The routing table of policy-routed tunnels. */
    public static final int TABLE = 0x5053;
    private static final int RULE_PRIORITY = 5053;
    /**
     * IKE from UDP port 500 must bypass the tunnel (RFC 4301 §5.1, RFC 7296 §2.23), but that
     * socket is a JDK channel without SO_MARK: a rule of its own, just before the mark rule,
     * keeps it in the main table (a gateway answering a reconnecting host-to-host peer).
     */
    private static final int IKE_RULE_PRIORITY = 5052;
    private static final long COMMAND_TIMEOUT_SECONDS = 10;

    private final String device;
    private final Set<String> rulesHeld = new HashSet<>();

    public RoutingSetup(String device) {
        this.device = device;
    }

    /** A route in the main table: for networks behind the peer that the outer path never uses. */
    public void addRoute(String prefix, InetAddress preferredSource) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", family(prefix), "route", "replace", prefix, "dev", device));
        if (preferredSource != null && family(prefix).equals(family(preferredSource))) {
            cmd.addAll(List.of("src", preferredSource.getHostAddress()));
        }
        run(cmd);
    }

    /**
     * A route that also covers the peer's outer address: installed in {@link #TABLE}, consulted
     * by every packet that does not carry {@link #FWMARK}.
     */
    public void addPolicyRoute(String prefix, InetAddress preferredSource) throws IOException {
        String family = family(prefix);
        List<String> cmd = new ArrayList<>(List.of("ip", family, "route", "replace", prefix, "dev", device,
                "table", Integer.toString(TABLE)));
        if (preferredSource != null && family.equals(family(preferredSource))) {
            cmd.addAll(List.of("src", preferredSource.getHostAddress()));
        }
        run(cmd);
        if (!rulesHeld.contains(family)) {
            PolicyRule.acquire(family);
            rulesHeld.add(family);
        }
    }

    /**
     * The one "not fwmark → table" rule per address family, shared by every policy-routed tunnel
     * of this process (a daemon holds many): added with the first, removed with the last.
     */
    private static final class PolicyRule {
        private static final Map<String, Integer> USERS = new HashMap<>();

        static synchronized void acquire(String family) throws IOException {
            int users = USERS.getOrDefault(family, 0);
            if (users == 0) {
                // A rule left by a killed engine would be duplicated: remove one first, ignoring failure.
                runQuietly(delete(family));
                run(List.of("ip", family, "rule", "add", "not", "fwmark", Integer.toString(FWMARK),
                        "table", Integer.toString(TABLE), "priority", Integer.toString(RULE_PRIORITY)));
                runQuietly(deleteIkeBypass(family));
                run(List.of("ip", family, "rule", "add", "ipproto", "udp", "sport", "500", "table", "main",
                        "priority", Integer.toString(IKE_RULE_PRIORITY)));
            }
            USERS.put(family, users + 1);
        }

        static synchronized void release(String family) {
            int users = USERS.getOrDefault(family, 0);
            if (users <= 1) {
                USERS.remove(family);
                runQuietly(delete(family));
                runQuietly(deleteIkeBypass(family));
            } else {
                USERS.put(family, users - 1);
            }
        }

        private static List<String> deleteIkeBypass(String family) {
            return List.of("ip", family, "rule", "del", "priority", Integer.toString(IKE_RULE_PRIORITY));
        }

        private static List<String> delete(String family) {
            return List.of("ip", family, "rule", "del", "priority", Integer.toString(RULE_PRIORITY));
        }
    }

    /** Removes a route added by {@link #addRoute} or {@link #addPolicyRoute} (a client left); quiet if gone. */
    public void removeRoute(String prefix, boolean policyRouted) {
        List<String> cmd = new ArrayList<>(List.of("ip", family(prefix), "route", "del", prefix, "dev", device));
        if (policyRouted) {
            cmd.addAll(List.of("table", Integer.toString(TABLE)));
        }
        runQuietly(cmd);
    }

    private static String family(String prefix) {
        return prefix.contains(":") ? "-6" : "-4";
    }

    private static String family(InetAddress address) {
        return address instanceof Inet6Address ? "-6" : "-4";
    }

    private static void run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": timed out");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", cmd) + ": interrupted");
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + output);
        }
    }

    private static void runQuietly(List<String> cmd) {
        try {
            run(cmd);
        } catch (IOException e) {
            LOG.debug("{}", e.getMessage());
        }
    }

    /** Gives up this tunnel's share of the policy rules (its routes leave with the device). */
    @Override
    public void close() {
        for (String family : rulesHeld) {
            PolicyRule.release(family);
        }
        rulesHeld.clear();
    }
}
