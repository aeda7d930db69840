package io.pathsec.engine.lab;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lab topology E1 — G1 — R1 — R2 — G2 — E2, one network namespace per node, joined by veth
 * pairs. The routers forward between the unprotected networks only (unless
 * {@link LabOptions#routeProtectedNetworks()}), so E1 and E2 talk through a tunnel or not at all.
 * The R1—R2 segment is the path under test; its settings change live through the setters.
 *
 * <p>Created by {@link #create}, which first removes leftovers of dead runs and checks that G1
 * reaches G2 before returning. {@link #close()} ends the processes started through
 * {@link #start} (by PID) and deletes the namespaces; a shutdown hook does the same for
 * topologies still open when the JVM exits.
 *
 * <p>Setters are serialised: the lab GUI and a test may change settings from different threads.
 */
public final class LabTopology implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LabTopology.class);

    /** Default limit for {@link #exec(LabNode, String...)}. */
    public static final Duration EXEC_TIMEOUT = Duration.ofSeconds(30);
    /** How long {@link #create} waits for G1 to reach G2. */
    private static final Duration CONNECTIVITY_DEADLINE = Duration.ofSeconds(10);
    private static final Duration PROCESS_GRACE = Duration.ofSeconds(3);
    private static final Pattern PACKETS = Pattern.compile("packets (\\d+)");

    private static final AtomicInteger RUNS = new AtomicInteger();

    private final Map<LabNode, Netns> namespaces = new EnumMap<>(LabNode.class);
    private final OwnedProcesses processes = new OwnedProcesses();
    private final long ownerPid = ProcessHandle.current().pid();
    private final int run = RUNS.getAndIncrement();
    private LabOptions options;
    private boolean closed;
    private Boolean netemAvailable;

    private LabTopology(LabOptions options) {
        this.options = options;
    }

    /**
     * Builds the topology with {@code options} applied. Removes stale lab namespaces first
     * ({@link #cleanStale()}); on any failure removes everything it created before throwing.
     * Takes about a second: six namespaces, five veth pairs, then a ping G1 → G2 (IPv4 and IPv6)
     * before the options are applied, so loss or a black hole cannot fail the check.
     *
     * @throws IOException naming the failing command and its stderr, or the failed connectivity check
     */
    public static LabTopology create(LabOptions options) throws IOException {
        try {
            cleanStale();
        } catch (IOException e) {
            // Names are unique per JVM and run, so a leftover that cannot be removed now does not
            // stand in the way; it is retried at the next start.
            LOG.warn("stale lab cleanup incomplete: {}", e.getMessage());
        }
        LabTopology topology = new LabTopology(LabOptions.defaults()
                .withRouteProtectedNetworks(options.routeProtectedNetworks()));
        LiveTopologies.add(topology);
        try {
            topology.build();
            topology.awaitPath();
            topology.apply(options);
            return topology;
        } catch (IOException | RuntimeException | Error e) {
            topology.close();
            throw e;
        }
    }

    /**
     * Deletes the namespaces (and ends the processes inside them) of lab runs whose JVM no longer
     * exists. Live runs, including this JVM's, are left alone.
     *
     * @return the names of the namespaces removed
     */
    public static List<String> cleanStale() throws IOException {
        List<String> removed = StaleLabs.clean();
        if (!removed.isEmpty()) {
            LOG.info("removed stale lab namespaces {}", removed);
        }
        return removed;
    }

    // ---- building ----------------------------------------------------------------------------

    private void build() throws IOException {
        for (LabNode node : LabNode.values()) {
            Netns netns = Netns.create(LabNames.namespace(ownerPid, run, node));
            namespaces.put(node, netns);
            netns.sysctl(kernelSettings(node));
        }
        for (AddressPlan.Link link : AddressPlan.LINKS) {
            // Created inside the namespaces, so the short fixed names cannot clash with the host
            // or with another run (veth names have a 15-character limit, netns names do not).
            ns(link.a()).ip("link add " + LabNames.interfaceName(link.b()) + " type veth peer name "
                    + LabNames.interfaceName(link.a()) + " netns " + namespace(link.b()) + "\n");
        }
        // Addresses everywhere before routes: a gateway must be on a connected, up network.
        for (LabNode node : LabNode.values()) {
            ns(node).ip(AddressPlan.interfaceCommands(node));
        }
        for (LabNode node : LabNode.values()) {
            ns(node).ip(AddressPlan.routeCommands(node, options.routeProtectedNetworks()));
        }
        for (LabNode router : List.of(LabNode.R1, LabNode.R2)) {
            ns(router).nft(NftRules.table());
        }
    }

    /**
     * Per-namespace kernel settings. Set before the links exist so the "default" values reach them.
     */
    private static Map<String, String> kernelSettings(LabNode node) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String scope : List.of("all", "default")) {
            // Static addresses only: no duplicate address detection delay, no autoconfiguration.
            settings.put("net.ipv6.conf." + scope + ".accept_dad", "0");
            settings.put("net.ipv6.conf." + scope + ".accept_ra", "0");
            settings.put("net.ipv6.conf." + scope + ".autoconf", "0");
        }
        if (node.forwards()) {
            settings.put("net.ipv4.ip_forward", "1");
            settings.put("net.ipv6.conf.all.forwarding", "1");
        }
        if (node == LabNode.R1 || node == LabNode.R2) {
            // The kernel rate-limits ICMP errors (1 s per destination after a short burst); tests
            // and PMTU probes would see ICMP appear and vanish by timing. The lab wants every
            // Fragmentation Needed the MTU causes, and the black hole decides which ones are lost.
            settings.put("net.ipv4.icmp_ratelimit", "0");
            settings.put("net.ipv6.icmp.ratelimit", "0");
        }
        return settings;
    }

    /** Polls G1 → G2 over the path (IPv4 and IPv6) until both answer or the deadline passes. */
    private void awaitPath() throws IOException {
        long deadline = System.nanoTime() + CONNECTIVITY_DEADLINE.toNanos();
        for (boolean ipv6 : new boolean[] {false, true}) {
            String target = AddressPlan.address(LabNode.G2, LabNode.R2, ipv6);
            ProcessResult last;
            int attempts = 0;
            do {
                last = exec(LabNode.G1, Duration.ofSeconds(3), "ping", "-n", "-c", "1", "-W", "1", target);
                attempts++;
            } while (!last.succeeded() && System.nanoTime() < deadline && attempts < 20);
            if (!last.succeeded()) {
                throw new IOException("G1 cannot reach G2 at " + target + " after " + attempts
                        + " attempts: " + last.describe() + "\n" + last.stdout());
            }
        }
    }

    private void apply(LabOptions wanted) throws IOException {
        setPathMtu(wanted.pathMtu());
        setIcmpBlackHole(wanted.icmpBlackHole());
        setDropFragments(wanted.dropFragments());
        setMssClamp(wanted.mssClamp());
        setLoss(wanted.lossPercent());
        setDelay(wanted.delay());
        if (wanted.nat()) {
            setNat(true); // only when asked: the NAT loads conntrack into R1's namespace
        }
    }

    // ---- naming and addresses ----------------------------------------------------------------

    /** The real network namespace name of {@code node}, for {@code ip netns exec} and setns(2). */
    public String namespace(LabNode node) {
        return ns(node).name();
    }

    /**
     * The address of {@code node} on its link towards the neighbour {@code towards}.
     *
     * @throws IllegalArgumentException if the two are not neighbours
     */
    public InetAddress address(LabNode node, LabNode towards, boolean ipv6) {
        return literal(AddressPlan.address(node, towards, ipv6));
    }

    /** The name of {@code node}'s interface towards its neighbour {@code towards}, e.g. {@code to-r1}. */
    public String interfaceName(LabNode node, LabNode towards) {
        AddressPlan.link(node, towards);
        return LabNames.interfaceName(towards);
    }

    /** A gateway's address on the unprotected side: G1's towards R1, G2's towards R2. */
    public InetAddress outerAddress(LabNode gateway, boolean ipv6) {
        return switch (gateway) {
            case G1 -> address(LabNode.G1, LabNode.R1, ipv6);
            case G2 -> address(LabNode.G2, LabNode.R2, ipv6);
            default -> throw new IllegalArgumentException(gateway + " is not a gateway");
        };
    }

    /**
     * An address on a protected network: an end node's own address, or a gateway's inside address
     * (G1 towards E1, G2 towards E2).
     */
    public InetAddress protectedAddress(LabNode node, boolean ipv6) {
        return switch (node) {
            case E1 -> address(LabNode.E1, LabNode.G1, ipv6);
            case G1 -> address(LabNode.G1, LabNode.E1, ipv6);
            case G2 -> address(LabNode.G2, LabNode.E2, ipv6);
            case E2 -> address(LabNode.E2, LabNode.G2, ipv6);
            default -> throw new IllegalArgumentException(node + " is not on a protected network");
        };
    }

    /** The protected network behind a gateway or around an end node, e.g. {@code 192.0.2.0/24}. */
    public String protectedNetwork(LabNode node, boolean ipv6) {
        return switch (node) {
            case E1, G1 -> AddressPlan.E1_G1.prefix(ipv6);
            case E2, G2 -> AddressPlan.G2_E2.prefix(ipv6);
            default -> throw new IllegalArgumentException(node + " is not on a protected network");
        };
    }

    /** The settings in force now. */
    public synchronized LabOptions options() {
        return options;
    }

    // ---- live settings of the R1—R2 segment ----------------------------------------------------

    /** Sets the MTU of both ends of the R1—R2 link; R1/R2 then answer larger DF packets with ICMP. */
    public synchronized void setPathMtu(int mtu) throws IOException {
        LabOptions.checkMtu(mtu);
        ns(LabNode.R1).ip("link set " + LabNames.interfaceName(LabNode.R2) + " mtu " + mtu + "\n");
        ns(LabNode.R2).ip("link set " + LabNames.interfaceName(LabNode.R1) + " mtu " + mtu + "\n");
        options = options.withPathMtu(mtu);
    }

    /** Turns the PMTUD black hole on R1 and R2 on or off; see {@link LabOptions#icmpBlackHole()}. */
    public synchronized void setIcmpBlackHole(boolean on) throws IOException {
        for (LabNode router : List.of(LabNode.R1, LabNode.R2)) {
            ns(router).nft(NftRules.blackHole(on));
        }
        options = options.withIcmpBlackHole(on);
    }

    /** Turns dropping of fragments crossing the R1—R2 link (either direction) on or off. */
    public synchronized void setDropFragments(boolean on) throws IOException {
        ns(LabNode.R1).nft(NftRules.dropFragments(on, LabNames.interfaceName(LabNode.R2)));
        ns(LabNode.R2).nft(NftRules.dropFragments(on, LabNames.interfaceName(LabNode.R1)));
        options = options.withDropFragments(on);
    }

    /**
     * Puts a NAT on R1 (or takes it away): G1's outer IPv4 address and ports are translated to
     * R1's address on the R1—R2 link, as behind a home router (nftables masquerade). See
     * {@link LabOptions#nat()}.
     */
    public synchronized void setNat(boolean on) throws IOException {
        ns(LabNode.R1).nft(NftRules.nat(on, LabNames.interfaceName(LabNode.R2), AddressPlan.G1_R1.prefix(false)));
        options = options.withNat(on);
    }

    /** The address G1's IPv4 packets carry beyond R1 while the NAT is on: R1's on the R1—R2 link. */
    public InetAddress natAddress() {
        return address(LabNode.R1, LabNode.R2, false);
    }

    /** Clamps the MSS of TCP SYNs forwarded by R1 (both directions) to {@code mss}; null stops it. */
    public synchronized void setMssClamp(Integer mss) throws IOException {
        LabOptions.checkMss(mss);
        ns(LabNode.R1).nft(NftRules.mssClamp(mss));
        options = options.withMssClamp(mss);
    }

    /** Drops {@code percent} (0–100) of the packets R1 sends towards R2, at random. */
    public synchronized void setLoss(double percent) throws IOException {
        LabOptions.checkLoss(percent);
        ns(LabNode.R1).nft(NftRules.loss(percent, LabNames.interfaceName(LabNode.R2)));
        options = options.withLossPercent(percent);
    }

    /**
     * Delays packets R1 sends towards R2 by {@code delay}.
     *
     * @throws IOException when the kernel lacks sch_netem (see {@link #delaySupported()})
     */
    public synchronized void setDelay(Duration delay) throws IOException {
        LabOptions.checkDelay(delay);
        if (delay.isZero() && options.delay().isZero()) {
            return; // nothing installed, nothing to remove; also keeps create() working without netem
        }
        LinkShaping.setDelay(ns(LabNode.R1), LabNames.interfaceName(LabNode.R2), delay);
        options = options.withDelay(delay);
    }

    /** Whether {@link #setDelay} can work here: needs the netem qdisc in the kernel. */
    public synchronized boolean delaySupported() throws IOException {
        if (netemAvailable == null) {
            netemAvailable = !options.delay().isZero()
                    || LinkShaping.netemAvailable(ns(LabNode.R1), LabNames.interfaceName(LabNode.R2));
        }
        return netemAvailable;
    }

    /** ICMP Fragmentation Needed and Packet Too Big dropped so far by the black hole on R1 and R2. */
    public synchronized long blackHoleDrops() throws IOException {
        long total = 0;
        for (LabNode router : List.of(LabNode.R1, LabNode.R2)) {
            ProcessResult result = ns(router).execChecked(null, "nft", "list", "counter", "inet",
                    NftRules.TABLE, NftRules.BLACK_HOLE_COUNTER);
            Matcher matcher = PACKETS.matcher(result.stdout());
            if (!matcher.find()) {
                throw new IOException("no packet count in: " + result.stdout());
            }
            total += Long.parseLong(matcher.group(1));
        }
        return total;
    }

    // ---- processes ---------------------------------------------------------------------------

    /** Runs {@code command} in {@code node}'s namespace, bounded by {@link #EXEC_TIMEOUT}. */
    public ProcessResult exec(LabNode node, String... command) throws IOException {
        return exec(node, EXEC_TIMEOUT, command);
    }

    /**
     * Runs {@code command} in {@code node}'s namespace and returns its exit code and output; a
     * non-zero exit is a result, not an error (a failing ping is what some tests want).
     *
     * @throws IOException if it cannot start or exceeds {@code timeout} (it is then killed)
     */
    public ProcessResult exec(LabNode node, Duration timeout, String... command) throws IOException {
        return ns(node).exec(timeout, null, List.of(command));
    }

    /**
     * Starts {@code command} in the background in {@code node}'s namespace, stdout and stderr
     * appended to {@code logFile}. The topology owns it: {@link #close()} ends it by PID.
     */
    public Process start(LabNode node, List<String> command, Path logFile) throws IOException {
        synchronized (this) {
            ensureOpen();
        }
        Process process = new ProcessBuilder(ns(node).execPrefix(command))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        processes.add(process);
        return process;
    }

    /**
     * Ends the started processes (SIGTERM, bounded wait, SIGKILL, by PID), then every process
     * left in the namespaces, and deletes the namespaces. Idempotent; failures are logged, and
     * the next {@link #cleanStale()} removes whatever could not be deleted.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            processes.endAll(PROCESS_GRACE);
            List<Netns> toDelete = new ArrayList<>(namespaces.values());
            for (Netns netns : toDelete) {
                try {
                    netns.destroy();
                } catch (IOException | RuntimeException e) {
                    LOG.warn("could not delete lab namespace {}: {}", netns, e.toString());
                }
            }
        } finally {
            LiveTopologies.remove(this);
        }
    }

    @Override
    public String toString() {
        return "LabTopology[ps" + ownerPid + "-" + run + ", " + options + "]";
    }

    private Netns ns(LabNode node) {
        Netns netns = namespaces.get(node);
        if (netns == null) {
            throw new IllegalStateException(node + " has no namespace (topology not built)");
        }
        return netns;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("lab topology closed");
        }
    }

    private static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address); // a literal: no name lookup happens
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("bad address literal in the plan: " + address, e);
        }
    }
}
