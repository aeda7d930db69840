package io.pathsec.engine.tunnel;

import io.pathsec.engine.ike.message.TrafficSelector;
import io.pathsec.engine.ike.message.TsType;
import io.pathsec.engine.policy.AddressRange;
import io.pathsec.engine.policy.PortRange;
import io.pathsec.engine.policy.Selector;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A profile's narrow traffic selector as text (RFC 7296 §3.13.1): {@code PREFIX [PROTOCOL
 * [PORTS]]}, for example {@code 10.2.0.0/24 tcp 5201} or {@code 10.2.0.0/24 udp 5000-5010}. The
 * prefix and ports are those of the side the profile describes (a gateway's protected network,
 * a client's remote network); the protocol is {@code any}, a name such as {@code tcp} or a
 * number; ports need a protocol that has them.
 */
public final class TrafficSelectorText {
    /** TCP, UDP, SCTP, UDP-Lite: the protocols with port numbers (RFC 4301 §4.4.1.1). */
    private static final Set<Integer> WITH_PORTS = Set.of(6, 17, 132, 136);

    private TrafficSelectorText() {
    }

    /**
     * Reads one selector.
     *
     * @throws IllegalArgumentException saying what is wrong in words
     */
    public static TrafficSelector parse(String text) {
        String[] words = text == null ? new String[0] : text.trim().split("\\s+");
        if (words.length == 0 || words[0].isEmpty() || words.length > 3) {
            throw new IllegalArgumentException("traffic selector '" + text
                    + "': expected PREFIX [PROTOCOL [PORTS]], e.g. 10.2.0.0/24 tcp 5201");
        }
        try {
            AddressRange range = AddressRange.parse(words[0]);
            int protocol = words.length > 1 ? Selector.parseProtocol(words[1]) : Selector.ANY_PROTOCOL;
            PortRange ports = words.length > 2 ? PortRange.parse(words[2]) : PortRange.ANY;
            if (!ports.isAny() && !WITH_PORTS.contains(protocol)) {
                throw new IllegalArgumentException("ports need protocol tcp, udp, sctp or udplite, not "
                        + Selector.protocolName(protocol));
            }
            if (ports.isOpaque()) {
                throw new IllegalArgumentException("opaque ports cannot be negotiated; give a port range");
            }
            TsType type = range.low() instanceof Inet4Address ? TsType.TS_IPV4_ADDR_RANGE : TsType.TS_IPV6_ADDR_RANGE;
            return new TrafficSelector(type, protocol == Selector.ANY_PROTOCOL ? 0 : protocol, ports.low(), ports.high(),
                    range.low(), range.high());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("traffic selector '" + text.trim() + "': " + e.getMessage(), e);
        }
    }

    /** Reads a profile's list; null or empty gives an empty list. */
    public static List<TrafficSelector> parseAll(List<String> texts) {
        List<TrafficSelector> out = new ArrayList<>();
        for (String t : texts == null ? List.<String>of() : texts) {
            out.add(parse(t));
        }
        return out;
    }

    /** Whether {@code ts}'s addresses lie within {@code prefix}. */
    public static boolean within(TrafficSelector ts, String prefix) {
        AddressRange r = AddressRange.parse(prefix);
        return r.contains(ts.startAddress()) && r.contains(ts.endAddress());
    }
}
