package io.pathsec.engine.icmp;

import io.pathsec.engine.control.api.IcmpQuotedFlow;
import io.pathsec.engine.packet.FlowKey;

import java.util.Arrays;

/** Names of ICMP and ICMPv6 error types and codes for events and logs (RFC 792, RFC 1191, RFC 1812, RFC 4443). */
public final class IcmpNames {
    private static final String[] UNREACHABLE_V4 = {"net-unreachable", "host-unreachable", "protocol-unreachable",
        "port-unreachable", "fragmentation-needed", "source-route-failed", "net-unknown", "host-unknown",
        "source-host-isolated", "net-prohibited", "host-prohibited", "net-tos-unreachable", "host-tos-unreachable",
        "administratively-prohibited", "host-precedence-violation", "precedence-cutoff"};
    private static final String[] UNREACHABLE_V6 = {"no-route", "administratively-prohibited", "beyond-scope",
        "address-unreachable", "port-unreachable", "source-policy-failed", "reject-route"};

    private IcmpNames() {
    }

    /** E.g. "destination-unreachable/port-unreachable", "time-exceeded/ttl", "packet-too-big". */
    public static String name(int ipVersion, int type, int code) {
        return ipVersion == 4 ? v4(type, code) : v6(type, code);
    }

    /** The short name people read: the code's name where there is one, else the type's. */
    public static String shortName(int ipVersion, int type, int code) {
        String n = name(ipVersion, type, code);
        int slash = n.indexOf('/');
        return slash < 0 ? n : n.substring(slash + 1);
    }

    private static String v4(int type, int code) {
        return switch (type) {
            case 3 -> "destination-unreachable/" + (code < UNREACHABLE_V4.length ? UNREACHABLE_V4[code] : "code-" + code);
            case 4 -> "source-quench";
            case 5 -> "redirect/code-" + code;
            case 11 -> "time-exceeded/" + (code == 0 ? "ttl" : code == 1 ? "reassembly" : "code-" + code);
            case 12 -> "parameter-problem/code-" + code;
            default -> "type-" + type + "/code-" + code;
        };
    }

    private static String v6(int type, int code) {
        return switch (type) {
            case 1 -> "destination-unreachable/" + (code < UNREACHABLE_V6.length ? UNREACHABLE_V6[code] : "code-" + code);
            case 2 -> "packet-too-big";
            case 3 -> "time-exceeded/" + (code == 0 ? "hop-limit" : code == 1 ? "reassembly" : "code-" + code);
            case 4 -> "parameter-problem/code-" + code;
            default -> "type-" + type + "/code-" + code;
        };
    }

    /** The control API's view of a flow key (the offending packet as it travelled). */
    public static IcmpQuotedFlow flow(FlowKey key) {
        byte[] src = Arrays.copyOf(key.source(), key.addressLength());
        byte[] dst = Arrays.copyOf(key.destination(), key.addressLength());
        return new IcmpQuotedFlow(protocol(key.protocol()), IcmpErrorMessage.text(src),
                key.sourcePort() >= 0 ? key.sourcePort() : null, IcmpErrorMessage.text(dst),
                key.destinationPort() >= 0 ? key.destinationPort() : null);
    }

    static String protocol(int number) {
        return switch (number) {
            case FlowKey.PROTO_TCP -> "tcp";
            case FlowKey.PROTO_UDP -> "udp";
            case FlowKey.PROTO_ICMP -> "icmp";
            case FlowKey.PROTO_ICMPV6 -> "ipv6-icmp";
            case FlowKey.PROTO_SCTP -> "sctp";
            default -> Integer.toString(number);
        };
    }
}
