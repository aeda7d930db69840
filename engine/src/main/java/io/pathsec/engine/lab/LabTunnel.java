package io.pathsec.engine.lab;

import com.google.gson.Gson;
import io.pathsec.engine.config.IpPrefix;
import io.pathsec.engine.config.StaticConfig;
import io.pathsec.engine.config.StaticConfigGenerator;
import io.pathsec.engine.config.StaticConfigGenerator.Host;
import io.pathsec.engine.policy.IpsecMode;
import io.pathsec.engine.tunnel.StaticTunnelService;
import io.pathsec.engine.tunnel.TunnelStatus;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A PathSec tunnel between the lab's gateways G1 and G2, keyed with a freshly generated static
 * key pair: one engine process per gateway namespace, each a real TUN device and UDP socket.
 *
 * <p>Tunnel mode protects E1's network and E2's network (IPv4 and IPv6) between the gateways;
 * transport mode protects G1 ↔ G2 traffic host to host (the end-to-end case, E1 = G1,
 * E2 = G2), over the IPv4 or the IPv6 outer path.
 */
public final class LabTunnel implements AutoCloseable {
    static final int ESP_PORT = 4500;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Gson GSON = new Gson();

    private final LabTopology lab;
    private final IpsecMode mode;
    private final Map<LabNode, Path> configs = new EnumMap<>(LabNode.class);
    private final Map<LabNode, Path> stats = new EnumMap<>(LabNode.class);
    private final Map<LabNode, Path> logs = new EnumMap<>(LabNode.class);
    private final Map<LabNode, Process> engines = new EnumMap<>(LabNode.class);
    private final Map<LabNode, StaticConfig> generated = new EnumMap<>(LabNode.class);

    private LabTunnel(LabTopology lab, IpsecMode mode) {
        this.lab = lab;
        this.mode = mode;
    }

    /**
     * Generates keys, writes both configurations (mode 0600) to {@code workDir}, starts both
     * engines and waits until both report their tunnel up.
     *
     * @param outerIpv6 transport mode only: use the IPv6 outer path (inner traffic is then IPv6)
     */
    public static LabTunnel start(LabTopology lab, IpsecMode mode, String transform, boolean outerIpv6,
                                  Path workDir) throws IOException {
        return start(lab, mode, transform, outerIpv6, workDir, (gateway, config) -> config);
    }

    /**
     * As {@link #start(LabTopology, IpsecMode, String, boolean, Path)}, with each gateway's
     * generated configuration passed through {@code adjust} before it is written (narrower
     * policies, for example).
     */
    public static LabTunnel start(LabTopology lab, IpsecMode mode, String transform, boolean outerIpv6,
                                  Path workDir, BiFunction<LabNode, StaticConfig, StaticConfig> adjust)
            throws IOException {
        return start(lab, mode, transform, outerIpv6, workDir, adjust, List.of(LabNode.G1, LabNode.G2));
    }

    /**
     * Generates the key pair but starts only G2's engine: G1's configuration, from
     * {@link #configOf(LabNode)}, goes to whatever runs G1 instead (in the desktop lab, a
     * PathSec daemon holding it as a static-key profile, so the GUI can show it).
     */
    public static LabTunnel startGatewayOnly(LabTopology lab, IpsecMode mode, String transform, boolean outerIpv6,
                                             Path workDir) throws IOException {
        return start(lab, mode, transform, outerIpv6, workDir, (gateway, config) -> config, List.of(LabNode.G2));
    }

    private static LabTunnel start(LabTopology lab, IpsecMode mode, String transform, boolean outerIpv6,
                                   Path workDir, BiFunction<LabNode, StaticConfig, StaticConfig> adjust,
                                   List<LabNode> launched) throws IOException {
        LabTunnel t = new LabTunnel(lab, mode);
        boolean v6 = mode == IpsecMode.TRANSPORT && outerIpv6;
        Host g1 = host(lab, LabNode.G1, mode, v6);
        Host g2 = host(lab, LabNode.G2, mode, v6);
        StaticConfigGenerator.ConfigPair pair = StaticConfigGenerator.pair(g1, g2, mode, transform, new SecureRandom());
        t.generated.put(LabNode.G1, adjust.apply(LabNode.G1, pair.first()));
        t.generated.put(LabNode.G2, adjust.apply(LabNode.G2, pair.second()));
        try {
            for (LabNode node : launched) {
                t.launch(node, t.generated.get(node), workDir);
            }
            for (LabNode node : launched) {
                t.awaitReady(node);
            }
            return t;
        } catch (IOException | RuntimeException e) {
            t.close();
            throw e;
        }
    }

    /** The configuration generated for {@code gateway} (with its keys: handle as a secret). */
    public StaticConfig configOf(LabNode gateway) {
        return generated.get(gateway);
    }

    private static Host host(LabTopology lab, LabNode gateway, IpsecMode mode, boolean outerIpv6) {
        InetSocketAddress endpoint = new InetSocketAddress(lab.outerAddress(gateway, outerIpv6), ESP_PORT);
        List<IpPrefix> protectedNetworks = mode == IpsecMode.TUNNEL
                ? List.of(IpPrefix.parse(lab.protectedNetwork(gateway, false)),
                          IpPrefix.parse(lab.protectedNetwork(gateway, true)))
                : List.of();
        return new Host(gateway.name().toLowerCase(), endpoint, List.of(), protectedNetworks);
    }

    private void launch(LabNode node, StaticConfig config, Path workDir) throws IOException {
        String name = node.name().toLowerCase();
        Path file = workDir.resolve(name + ".json");
        Files.deleteIfExists(file);
        StaticConfigGenerator.write(file, config);
        Path statsFile = workDir.resolve(name + ".stats.json");
        Path log = workDir.resolve(name + ".log");
        Files.deleteIfExists(statsFile);
        configs.put(node, file);
        stats.put(node, statsFile);
        logs.put(node, log);
        engines.put(node, lab.start(node, EngineLauncher.javaCommand(StaticTunnelService.class,
                file.toString(), statsFile.toString()), log));
    }

    private void awaitReady(LabNode node) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Process p = engines.get(node);
        while (!Files.exists(stats.get(node))) {
            if (!p.isAlive()) {
                throw new IOException("the PathSec engine in " + node + " exited with " + p.exitValue()
                        + ":\n" + logTail(node));
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the PathSec engine in " + node + " did not come up within "
                        + START_TIMEOUT.toSeconds() + " s:\n" + logTail(node));
            }
            try {
                Thread.sleep(50); // polling a file the other process writes; bounded by the deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the engine in " + node);
            }
        }
    }

    /** The engine's latest status (rewritten every second by the engine). */
    public TunnelStatus status(LabNode gateway) throws IOException {
        return GSON.fromJson(Files.readString(stats.get(gateway)), TunnelStatus.class);
    }

    public IpsecMode mode() {
        return mode;
    }

    public Path configFile(LabNode gateway) {
        return configs.get(gateway);
    }

    public boolean isRunning(LabNode gateway) {
        Process p = engines.get(gateway);
        return p != null && p.isAlive();
    }

    /** The last lines of an engine's log, for error messages. */
    public String logTail(LabNode gateway) {
        try {
            List<String> lines = Files.readAllLines(logs.get(gateway), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops both engines (SIGTERM: they remove their devices and rules), bounded. */
    @Override
    public void close() {
        for (Process p : engines.values()) {
            OwnedProcesses.end(p.toHandle(), Duration.ofSeconds(5));
        }
        engines.clear();
    }
}
