package io.pathsec.engine.config;

import com.google.gson.JsonPrimitive;
import io.pathsec.engine.policy.AddressRange;
import io.pathsec.engine.policy.Direction;
import io.pathsec.engine.policy.IcmpRange;
import io.pathsec.engine.policy.IpsecMode;
import io.pathsec.engine.policy.PolicyAction;
import io.pathsec.engine.policy.PortRange;
import io.pathsec.engine.policy.Selector;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates a static-key configuration ({@link StaticConfig}). Everything is checked
 * before anything is used, and the first problem found is reported as a {@link ConfigException}
 * naming the file, the field's JSON path and the problem. Unknown fields are errors, so a typo
 * in an optional field cannot silently fall back to a default.
 *
 * <p>A key may be written inline as hex or as {@code "@file:relative/path.hex"}, read relative
 * to the configuration file. Files holding keys should be mode 0600; if group or others may read
 * them the configuration still loads, with a warning.
 */
public final class StaticConfigLoader {
    /** The TUN default and the usual figure for ESP in UDP over a 1500-byte path. */
    static final int DEFAULT_MTU = 1400;
    static final int DEFAULT_PORT = 4500; // NAT-T, RFC 3948
    static final int DEFAULT_REPLAY_WINDOW = 1024;
    static final int MAX_REPLAY_WINDOW = 65536;
    static final String KEY_FILE_PREFIX = "@file:";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    /** Linux interface names: at most IFNAMSIZ - 1 = 15 bytes. */
    private static final Pattern TUN_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}");
    private static final int MIN_MTU = 576;
    /** RFC 8200 §5: every link that carries IPv6 has an MTU of at least 1280. */
    private static final int MIN_MTU_IPV6 = 1280;

    private final Path file;
    private final List<String> warnings = new ArrayList<>();
    private boolean inlineKeys;

    private StaticConfigLoader(Path file) {
        this.file = file;
    }

    /**
     * Loads and validates {@code file}.
     *
     * @throws ConfigException for the first problem found
     */
    public static LoadedConfig load(Path file) throws ConfigException {
        StaticConfigLoader loader = new StaticConfigLoader(file);
        StaticConfig config = loader.read();
        return new LoadedConfig(config, loader.warnings);
    }

    private StaticConfig read() throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, "", "file not found");
        } catch (IOException e) {
            throw new ConfigException(file, "", "cannot read the file: " + e, e);
        }
        ConfigObject root = ConfigObject.root(file, JsonDocument.parse(file, text));
        root.rejectUnknown("name", "tun", "listen", "peer", "mode", "sas", "policies",
                "tfcPadding", "workers");

        String name = root.string("name");
        if (!NAME.matcher(name).matches()) {
            throw root.error("name", "must be 1-63 letters, digits, '.', '_' or '-', starting with"
                    + " a letter or digit, got '" + name + "'");
        }
        InetSocketAddress listen = endpoint(root.object("listen"));
        InetSocketAddress peer = endpoint(root.object("peer"));
        if (listen.getAddress().getAddress().length != peer.getAddress().getAddress().length) {
            throw root.error("peer.address", "the peer is IPv" + family(peer.getAddress())
                    + " but listen.address is IPv" + family(listen.getAddress())
                    + "; the outer header has one family");
        }
        IpsecMode mode = mode(root);
        List<StaticConfig.StaticSa> sas = sas(root);
        List<StaticConfig.StaticPolicy> policies = policies(root, mode, listen, peer);
        StaticConfig.Tun tun = tun(root.object("tun"), usesIpv6(policies));
        int tfcPadding = root.integer("tfcPadding", 0, 0, 65535);
        int workers = root.integer("workers", 1, 0, 256);

        if (inlineKeys) {
            warnIfReadableByOthers(file);
        }
        if (policies.stream().noneMatch(p -> p.action() == PolicyAction.PROTECT)) {
            warnings.add(file + ": policies: no policy has action \"protect\"; the SAs will carry"
                    + " no traffic");
        }
        return new StaticConfig(name, tun, listen, peer, mode, sas, policies, tfcPadding, workers);
    }

    private InetSocketAddress endpoint(ConfigObject o) throws ConfigException {
        o.rejectUnknown("address", "port");
        InetAddress address = address(o, "address");
        int port = o.integer("port", DEFAULT_PORT, 1, 65535);
        return new InetSocketAddress(address, port);
    }

    private static InetAddress address(ConfigObject o, String field) throws ConfigException {
        String text = o.string(field);
        try {
            return AddressRange.parseAddress(text);
        } catch (IllegalArgumentException e) {
            throw o.error(field, e.getMessage());
        }
    }

    private static IpsecMode mode(ConfigObject root) throws ConfigException {
        String mode = root.string("mode");
        return switch (mode) {
            case "tunnel" -> IpsecMode.TUNNEL;
            case "transport" -> IpsecMode.TRANSPORT;
            default -> throw root.error("mode", "must be \"tunnel\" or \"transport\", got \"" + mode + "\"");
        };
    }

    // ---- SAs -------------------------------------------------------------------------------

    private List<StaticConfig.StaticSa> sas(ConfigObject root) throws ConfigException {
        List<ConfigObject> items = root.objects("sas");
        List<StaticConfig.StaticSa> sas = new ArrayList<>();
        Map<String, String> spiOwners = new HashMap<>();
        int outbound = 0;
        for (ConfigObject o : items) {
            o.rejectUnknown("direction", "spi", "transform", "key", "esn", "replayWindow");
            Direction direction = direction(o);
            int spi = spi(o);
            // The SAD finds inbound SAs by SPI alone (RFC 4301 §4.1), so inbound SPIs must be
            // unique; the same SPI in and out is legal, the peer chose one of them.
            String owner = spiOwners.putIfAbsent(direction + "/" + spi, o.path());
            if (owner != null) {
                throw o.error("spi", (direction == Direction.INBOUND ? "inbound" : "outbound")
                        + " SPI " + hexSpi(spi) + " is already used by " + owner);
            }
            String transform = o.string("transform");
            if (TransformKeyLengths.keyBytes(transform).isEmpty()) {
                throw o.error("transform", "unknown transform \"" + transform + "\"; use one of "
                        + String.join(", ", TransformKeyLengths.names()));
            }
            byte[] key = key(o, transform);
            boolean esn = o.bool("esn", true);
            int window;
            if (direction == Direction.OUTBOUND) {
                if (o.has("replayWindow")) {
                    throw o.error("replayWindow", "applies only to inbound SAs; the receiver checks"
                            + " replay (RFC 4303 §3.4.3)");
                }
                window = 0;
                outbound++;
            } else {
                window = o.integer("replayWindow", DEFAULT_REPLAY_WINDOW, 0, MAX_REPLAY_WINDOW);
            }
            sas.add(new StaticConfig.StaticSa(direction, spi, transform, key, esn, window));
        }
        if (outbound != 1) {
            throw root.error("sas", "needs exactly one SA with \"direction\": \"out\", found " + outbound);
        }
        if (sas.size() == outbound) {
            throw root.error("sas", "needs at least one SA with \"direction\": \"in\"");
        }
        return sas;
    }

    private static Direction direction(ConfigObject o) throws ConfigException {
        String text = o.string("direction");
        return switch (text) {
            case "in" -> Direction.INBOUND;
            case "out" -> Direction.OUTBOUND;
            default -> throw o.error("direction", "must be \"in\" or \"out\", got \"" + text + "\"");
        };
    }

    private static int spi(ConfigObject o) throws ConfigException {
        JsonPrimitive value = o.primitive("spi");
        String text = value.isNumber() ? value.getAsBigDecimal().toPlainString() : value.getAsString().trim();
        long spi;
        try {
            spi = text.regionMatches(true, 0, "0x", 0, 2)
                    ? Long.parseLong(text.substring(2), 16) : Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw o.error("spi", "must be a number like 4096 or \"0x1000\", got \"" + text + "\"");
        }
        if (spi < 0 || spi > 0xFFFF_FFFFL) {
            throw o.error("spi", "must fit in 32 bits (at most 0xffffffff), got " + text);
        }
        if (spi == 0) {
            throw o.error("spi", "SPI 0 is reserved for local use (RFC 4303 §2.1); use 256 or more");
        }
        if (spi < 256) {
            throw o.error("spi", "SPIs 1-255 are reserved by IANA (RFC 4303 §2.1); got " + spi
                    + ", use 256 or more");
        }
        return (int) spi;
    }

    static String hexSpi(int spi) {
        return "0x" + Integer.toHexString(spi);
    }

    private byte[] key(ConfigObject o, String transform) throws ConfigException {
        String value = o.string("key");
        String hex;
        String where;
        if (value.startsWith(KEY_FILE_PREFIX)) {
            Path keyFile = resolve(value.substring(KEY_FILE_PREFIX.length()));
            try {
                hex = Files.readString(keyFile, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw o.error("key", "cannot read key file " + keyFile + ": "
                        + (e instanceof NoSuchFileException ? "no such file" : e.toString()));
            }
            warnIfReadableByOthers(keyFile);
            where = " in " + keyFile;
        } else {
            hex = value;
            where = "";
            inlineKeys = true;
        }
        hex = hex.strip();
        if (hex.regionMatches(true, 0, "0x", 0, 2)) {
            hex = hex.substring(2);
        }
        for (int i = 0; i < hex.length(); i++) {
            if (Character.digit(hex.charAt(i), 16) < 0) {
                throw o.error("key", "key" + where + " must be hex digits only; character "
                        + (i + 1) + " is '" + hex.charAt(i) + "'");
            }
        }
        if (hex.length() % 2 != 0) {
            throw o.error("key", "key" + where + " has an odd number of hex digits (" + hex.length() + ")");
        }
        int expected = TransformKeyLengths.keyBytes(transform).orElseThrow();
        if (hex.length() / 2 != expected) {
            throw o.error("key", "key" + where + " must be " + expected + " bytes (" + expected * 2
                    + " hex digits) for " + transform + ", got " + hex.length() / 2 + " bytes");
        }
        return HexFormat.of().parseHex(hex);
    }

    private Path resolve(String relative) {
        Path p = Path.of(relative);
        Path directory = file.toAbsolutePath().getParent();
        return p.isAbsolute() || directory == null ? p : directory.resolve(p).normalize();
    }

    /** Secrets belong in mode 0600 files (DESIGN.md, "Control API and processes"). */
    private void warnIfReadableByOthers(Path path) {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(path);
        } catch (UnsupportedOperationException | IOException e) {
            return; // not a POSIX file system: nothing we can check
        }
        if (permissions.contains(PosixFilePermission.GROUP_READ)
                || permissions.contains(PosixFilePermission.OTHERS_READ)) {
            warnings.add(path + " holds keys but is readable by "
                    + (permissions.contains(PosixFilePermission.OTHERS_READ) ? "others" : "its group")
                    + " (" + PosixFilePermissions.toString(permissions) + "); run chmod 600 " + path);
        }
    }

    // ---- policies --------------------------------------------------------------------------

    private static List<StaticConfig.StaticPolicy> policies(ConfigObject root, IpsecMode mode,
            InetSocketAddress listen, InetSocketAddress peer) throws ConfigException {
        List<StaticConfig.StaticPolicy> policies = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        List<ConfigObject> items = root.objects("policies");
        for (int i = 0; i < items.size(); i++) {
            ConfigObject o = items.get(i);
            o.rejectUnknown("name", "local", "remote", "protocol", "localPort", "remotePort",
                    "icmpType", "icmpCode", "action");
            String name = o.string("name", "policy-" + i);
            String previous = names.putIfAbsent(name, o.path());
            if (previous != null) {
                throw o.error("name", "policy name \"" + name + "\" is already used by " + previous);
            }
            Selector selector = selector(o);
            PolicyAction action = action(o);
            if (mode == IpsecMode.TRANSPORT && action == PolicyAction.PROTECT) {
                // Transport mode protects only traffic between the two ESP endpoints
                // themselves (RFC 4301 §4.1); anything wider needs tunnel mode.
                requireEndpoint(o, "local", selector.local(), listen, "listen.address");
                requireEndpoint(o, "remote", selector.remote(), peer, "peer.address");
            }
            policies.add(new StaticConfig.StaticPolicy(name, selector, action));
        }
        return policies;
    }

    private static void requireEndpoint(ConfigObject o, String field, AddressRange range,
                                        InetSocketAddress endpoint, String endpointField)
            throws ConfigException {
        if (!range.isSingle() || !range.low().equals(endpoint.getAddress())) {
            throw o.error(field, "in transport mode a protect policy's " + field + " must be "
                    + AddressRange.format(endpoint.getAddress()) + " (" + endpointField
                    + "), got " + range + "; use \"mode\": \"tunnel\" to protect networks");
        }
    }

    private static Selector selector(ConfigObject o) throws ConfigException {
        AddressRange local = range(o, "local");
        AddressRange remote = range(o, "remote");
        if (local.family() != 0 && remote.family() != 0 && local.family() != remote.family()) {
            throw o.error("remote", "is IPv" + remote.family() + " but local is IPv" + local.family());
        }
        int protocol;
        try {
            protocol = Selector.parseProtocol(o.string("protocol", "any"));
        } catch (IllegalArgumentException e) {
            throw o.error("protocol", e.getMessage());
        }
        PortRange localPort = ports(o, "localPort", protocol);
        PortRange remotePort = ports(o, "remotePort", protocol);
        IcmpRange icmp = IcmpRange.ANY;
        if (o.has("icmpType") || o.has("icmpCode")) {
            String field = o.has("icmpType") ? "icmpType" : "icmpCode";
            if (protocol != 1 && protocol != 58) {
                throw o.error(field, "ICMP type and code need \"protocol\": \"icmp\" or"
                        + " \"ipv6-icmp\", not \"" + Selector.protocolName(protocol) + "\"");
            }
            try {
                icmp = IcmpRange.parse(o.string("icmpType", "any"), "any");
            } catch (IllegalArgumentException e) {
                throw o.error("icmpType", e.getMessage());
            }
            try {
                IcmpRange codes = IcmpRange.parse("any", o.string("icmpCode", "any"));
                icmp = new IcmpRange(icmp.typeLow(), icmp.typeHigh(), codes.codeLow(), codes.codeHigh());
            } catch (IllegalArgumentException e) {
                throw o.error("icmpCode", e.getMessage());
            }
        }
        try {
            return new Selector(local, remote, protocol, localPort, remotePort, icmp);
        } catch (IllegalArgumentException e) {
            throw o.errorAt(o.path(), e.getMessage()); // the checks above should have caught it
        }
    }

    private static AddressRange range(ConfigObject o, String field) throws ConfigException {
        try {
            return AddressRange.parse(o.string(field));
        } catch (IllegalArgumentException e) {
            throw o.error(field, e.getMessage());
        }
    }

    private static PortRange ports(ConfigObject o, String field, int protocol) throws ConfigException {
        if (!o.has(field)) {
            return PortRange.ANY;
        }
        PortRange ports;
        try {
            ports = PortRange.parse(o.string(field));
        } catch (IllegalArgumentException e) {
            throw o.error(field, e.getMessage());
        }
        boolean hasPorts = protocol == 6 || protocol == 17 || protocol == 132 || protocol == 136;
        if (!hasPorts && !ports.isAny() && !ports.isOpaque()) {
            throw o.error(field, "ports need \"protocol\" tcp, udp, sctp or udplite, not \""
                    + Selector.protocolName(protocol) + "\"");
        }
        return ports;
    }

    private static PolicyAction action(ConfigObject o) throws ConfigException {
        String text = o.string("action");
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "protect" -> PolicyAction.PROTECT;
            case "bypass" -> PolicyAction.BYPASS;
            case "discard" -> PolicyAction.DISCARD;
            default -> throw o.error("action", "must be \"protect\", \"bypass\" or \"discard\", got \""
                    + text + "\"");
        };
    }

    private static boolean usesIpv6(List<StaticConfig.StaticPolicy> policies) {
        return policies.stream().anyMatch(p -> p.selector().local().family() == 6
                || p.selector().remote().family() == 6);
    }

    // ---- TUN -------------------------------------------------------------------------------

    private static StaticConfig.Tun tun(ConfigObject o, boolean policiesUseIpv6) throws ConfigException {
        o.rejectUnknown("name", "mtu", "addresses", "routes");
        String name = o.string("name", "pathsec0");
        if (!TUN_NAME.matcher(name).matches()) {
            throw o.error("name", "must be 1-15 letters, digits, '.', '_' or '-' (a Linux interface"
                    + " name), got '" + name + "'");
        }
        List<IpPrefix> addresses = new ArrayList<>();
        for (ConfigObject.Text t : o.strings("addresses")) {
            addresses.add(prefix(o, t));
        }
        List<IpPrefix> routes = new ArrayList<>();
        for (ConfigObject.Text t : o.strings("routes")) {
            IpPrefix route = prefix(o, t);
            if (!route.isNetwork()) {
                throw o.errorAt(t.path(), "route " + t.value() + " has host bits set; the network is "
                        + route.range());
            }
            routes.add(route);
        }
        int mtu = o.integer("mtu", DEFAULT_MTU, MIN_MTU, 65535);
        boolean ipv6 = policiesUseIpv6 || addresses.stream().anyMatch(p -> p.family() == 6)
                || routes.stream().anyMatch(p -> p.family() == 6);
        if (ipv6 && mtu < MIN_MTU_IPV6) {
            throw o.error("mtu", "must be at least 1280 because IPv6 crosses the tunnel (RFC 8200"
                    + " §5), got " + mtu);
        }
        return new StaticConfig.Tun(name, mtu, addresses, routes);
    }

    private static IpPrefix prefix(ConfigObject o, ConfigObject.Text t) throws ConfigException {
        try {
            return IpPrefix.parse(t.value());
        } catch (IllegalArgumentException e) {
            throw o.errorAt(t.path(), e.getMessage());
        }
    }

    private static int family(InetAddress address) {
        return address.getAddress().length == 4 ? 4 : 6;
    }
}
