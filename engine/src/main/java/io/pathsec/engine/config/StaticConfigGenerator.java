package io.pathsec.engine.config;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.pathsec.engine.policy.AddressRange;
import io.pathsec.engine.policy.Direction;
import io.pathsec.engine.policy.IpsecMode;
import io.pathsec.engine.policy.PolicyAction;
import io.pathsec.engine.policy.Selector;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Writes matching static-key configurations for two hosts: fresh random keys, each host's
 * outbound SA being the other's inbound SA (same SPI, same key), and mirrored policies. Used by
 * {@code pathsec lab} and by tests; {@link #toJson} gives the file text that
 * {@link StaticConfigLoader} reads back unchanged.
 */
public final class StaticConfigGenerator {
    static final String TUN_NAME = "pathsec0";
    static final int WORKERS = 2;

    private StaticConfigGenerator() {
    }

    /**
     * One side of the pair.
     *
     * @param endpoint where its ESP-in-UDP socket listens, as the other side reaches it
     * @param tunAddresses the addresses of its TUN device
     * @param protectedNetworks the networks behind it (tunnel mode); ignored in transport mode
     */
    public record Host(String name, InetSocketAddress endpoint, List<IpPrefix> tunAddresses,
                       List<IpPrefix> protectedNetworks) {
        public Host {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(endpoint, "endpoint");
            tunAddresses = List.copyOf(tunAddresses);
            protectedNetworks = List.copyOf(protectedNetworks);
        }
    }

    /** The two halves; {@code first}'s outbound SA is {@code second}'s inbound SA and back. */
    public record ConfigPair(StaticConfig first, StaticConfig second) {
    }

    /**
     * Generates the pair.
     *
     * @param transform a name from {@link TransformKeyLengths}
     * @param random a {@link java.security.SecureRandom} outside tests: it makes the keys
     */
    public static ConfigPair pair(Host first, Host second, IpsecMode mode, String transform,
                                  RandomGenerator random) {
        int keyBytes = TransformKeyLengths.keyBytes(transform).orElseThrow(
                () -> new IllegalArgumentException("unknown transform " + transform));
        int forward = randomSpi(random);
        int backward;
        do {
            backward = randomSpi(random);
        } while (backward == forward);
        byte[] forwardKey = new byte[keyBytes];
        byte[] backwardKey = new byte[keyBytes];
        random.nextBytes(forwardKey);
        random.nextBytes(backwardKey);

        var firstOut = new StaticConfig.StaticSa(Direction.OUTBOUND, forward, transform, forwardKey, true, 0);
        var firstIn = new StaticConfig.StaticSa(Direction.INBOUND, backward, transform, backwardKey,
                true, StaticConfigLoader.DEFAULT_REPLAY_WINDOW);
        var secondOut = new StaticConfig.StaticSa(Direction.OUTBOUND, backward, transform, backwardKey, true, 0);
        var secondIn = new StaticConfig.StaticSa(Direction.INBOUND, forward, transform, forwardKey,
                true, StaticConfigLoader.DEFAULT_REPLAY_WINDOW);

        List<StaticConfig.StaticPolicy> firstPolicies = policies(first, second, mode);
        List<StaticConfig.StaticPolicy> secondPolicies = firstPolicies.stream()
                .map(p -> new StaticConfig.StaticPolicy(p.name(), p.selector().mirror(), p.action()))
                .toList();
        return new ConfigPair(
                config(first, second, mode, List.of(firstOut, firstIn), firstPolicies),
                config(second, first, mode, List.of(secondOut, secondIn), secondPolicies));
    }

    /** SPIs 0-255 are reserved (RFC 4303 §2.1). */
    private static int randomSpi(RandomGenerator random) {
        return 256 + (int) random.nextLong(0x1_0000_0000L - 256);
    }

    private static List<StaticConfig.StaticPolicy> policies(Host self, Host other, IpsecMode mode) {
        List<StaticConfig.StaticPolicy> policies = new ArrayList<>();
        if (mode == IpsecMode.TRANSPORT) {
            policies.add(new StaticConfig.StaticPolicy("hosts", Selector.between(
                    AddressRange.single(self.endpoint().getAddress()),
                    AddressRange.single(other.endpoint().getAddress())), PolicyAction.PROTECT));
            return policies;
        }
        // Every pair of protected networks of one family, named so the mirror reads the same.
        for (IpPrefix local : self.protectedNetworks()) {
            for (IpPrefix remote : other.protectedNetworks()) {
                if (local.family() == remote.family()) {
                    policies.add(new StaticConfig.StaticPolicy("net-" + policies.size(),
                            Selector.between(local.range(), remote.range()), PolicyAction.PROTECT));
                }
            }
        }
        return policies;
    }

    private static StaticConfig config(Host self, Host other, IpsecMode mode,
                                       List<StaticConfig.StaticSa> sas,
                                       List<StaticConfig.StaticPolicy> policies) {
        // Transport mode protects traffic to the peer host itself: a host route to its address
        // leads that traffic into the TUN (policy-routed, so ESP itself stays outside).
        List<IpPrefix> routes = mode == IpsecMode.TUNNEL ? other.protectedNetworks()
                : List.of(IpPrefix.host(other.endpoint().getAddress()));
        StaticConfig.Tun tun = new StaticConfig.Tun(TUN_NAME, StaticConfigLoader.DEFAULT_MTU,
                self.tunAddresses(), routes);
        return new StaticConfig(self.name(), tun, self.endpoint(), other.endpoint(), mode, sas,
                policies, 0, WORKERS);
    }

    /**
     * Writes {@link #toJson} to a new file created with mode 0600 (on POSIX file systems), so the
     * inline keys are never readable by others, not even for a moment.
     *
     * @throws java.nio.file.FileAlreadyExistsException rather than overwrite a file whose
     *         permissions we did not choose
     */
    public static void write(Path file, StaticConfig config) throws IOException {
        byte[] text = toJson(config).getBytes(StandardCharsets.UTF_8);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
            Files.write(file, text, StandardOpenOption.TRUNCATE_EXISTING);
        } else {
            Files.write(file, text, StandardOpenOption.CREATE_NEW);
        }
    }

    /** The configuration as the JSON that {@link StaticConfigLoader} reads; keys inline, in hex. */
    public static String toJson(StaticConfig config) {
        JsonObject root = new JsonObject();
        root.addProperty("name", config.name());
        JsonObject tun = new JsonObject();
        tun.addProperty("name", config.tun().name());
        tun.addProperty("mtu", config.tun().mtu());
        tun.add("addresses", strings(config.tun().addresses()));
        tun.add("routes", strings(config.tun().routes()));
        root.add("tun", tun);
        root.add("listen", endpoint(config.listen()));
        root.add("peer", endpoint(config.peer()));
        root.addProperty("mode", config.mode().name().toLowerCase(Locale.ROOT));
        JsonArray sas = new JsonArray();
        for (StaticConfig.StaticSa sa : config.sas()) {
            JsonObject o = new JsonObject();
            o.addProperty("direction", sa.direction() == Direction.INBOUND ? "in" : "out");
            o.addProperty("spi", StaticConfigLoader.hexSpi(sa.spi()));
            o.addProperty("transform", sa.transform());
            o.addProperty("key", HexFormat.of().formatHex(sa.key()));
            o.addProperty("esn", sa.esn());
            if (sa.direction() == Direction.INBOUND) {
                o.addProperty("replayWindow", sa.replayWindow());
            }
            sas.add(o);
        }
        root.add("sas", sas);
        JsonArray policies = new JsonArray();
        for (StaticConfig.StaticPolicy p : config.policies()) {
            policies.add(policy(p));
        }
        root.add("policies", policies);
        root.addProperty("tfcPadding", config.tfcPadding());
        root.addProperty("workers", config.workers());
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root) + "\n";
    }

    private static JsonObject policy(StaticConfig.StaticPolicy p) {
        Selector s = p.selector();
        JsonObject o = new JsonObject();
        o.addProperty("name", p.name());
        o.addProperty("local", s.local().toString());
        o.addProperty("remote", s.remote().toString());
        o.addProperty("protocol", Selector.protocolName(s.protocol()));
        if (!s.localPorts().isAny()) {
            o.addProperty("localPort", s.localPorts().toString());
        }
        if (!s.remotePorts().isAny()) {
            o.addProperty("remotePort", s.remotePorts().toString());
        }
        if (!s.icmp().isAny()) {
            o.addProperty("icmpType", s.icmp().typesText());
            o.addProperty("icmpCode", s.icmp().codesText());
        }
        o.addProperty("action", p.action().name().toLowerCase(Locale.ROOT));
        return o;
    }

    private static JsonObject endpoint(InetSocketAddress address) {
        JsonObject o = new JsonObject();
        o.addProperty("address", AddressRange.format(address.getAddress()));
        o.addProperty("port", address.getPort());
        return o;
    }

    private static JsonArray strings(List<?> items) {
        JsonArray array = new JsonArray();
        items.forEach(i -> array.add(i.toString()));
        return array;
    }
}
