package io.pathsec.engine.policy;

import io.pathsec.engine.packet.FlowKey;

import java.util.Objects;

/**
 * The traffic selectors of one SPD entry or SA (RFC 4301 §4.4.1.1): local and remote address
 * ranges, the next-layer protocol or ANY, local and remote port ranges, and for ICMP/ICMPv6
 * the message type and code ranges.
 *
 * <p>Selectors are written from this host's point of view ("local"/"remote"), so one selector
 * serves both directions: outbound the packet's source is local, inbound its destination is
 * local (RFC 4301 §4.4.1). Matching allocates nothing.
 */
public record Selector(AddressRange local, AddressRange remote, int protocol,
                       PortRange localPorts, PortRange remotePorts, IcmpRange icmp) {
    /** The next-layer protocol selector value "ANY". */
    public static final int ANY_PROTOCOL = -1;

    /** Every packet. */
    public static final Selector ANY = between(AddressRange.ANY, AddressRange.ANY);

    public Selector {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(localPorts, "localPorts");
        Objects.requireNonNull(remotePorts, "remotePorts");
        Objects.requireNonNull(icmp, "icmp");
        if (protocol < ANY_PROTOCOL || protocol > 255) {
            throw new IllegalArgumentException("protocol must be 0-255 or ANY, got " + protocol);
        }
        if (local.family() != 0 && remote.family() != 0 && local.family() != remote.family()) {
            throw new IllegalArgumentException("local " + local + " is IPv" + local.family()
                    + " but remote " + remote + " is IPv" + remote.family());
        }
        // Ports exist only for protocols that have them; OPAQUE may stand with any protocol
        // because it describes fragments, not the protocol (RFC 4301 §4.4.1.1).
        if (!hasPorts(protocol) && (!portsAnyOrOpaque(localPorts) || !portsAnyOrOpaque(remotePorts))) {
            throw new IllegalArgumentException("port selectors need protocol tcp, udp, sctp or"
                    + " udplite, not " + protocolName(protocol));
        }
        if (!isIcmp(protocol) && !icmp.isAny()) {
            throw new IllegalArgumentException("ICMP type/code selectors need protocol icmp or"
                    + " ipv6-icmp, not " + protocolName(protocol));
        }
    }

    /** All traffic between two address ranges: any protocol, any ports. */
    public static Selector between(AddressRange local, AddressRange remote) {
        return new Selector(local, remote, ANY_PROTOCOL, PortRange.ANY, PortRange.ANY, IcmpRange.ANY);
    }

    /** The same selector with a next-layer protocol and ports. */
    public Selector withProtocol(int protocol, PortRange localPorts, PortRange remotePorts) {
        return new Selector(local, remote, protocol, localPorts, remotePorts, IcmpRange.ANY);
    }

    /** The same selector as the peer writes it: local and remote swapped. */
    public Selector mirror() {
        return new Selector(remote, local, protocol, remotePorts, localPorts, icmp);
    }

    /** Outbound: the packet's source is local, its destination remote. */
    public boolean matchesOutbound(FlowKey key) {
        return matches(key.source(), key.destination(), key.addressLength(), key.protocol(),
                key.sourcePort(), key.destinationPort(), key.icmpType(), key.icmpCode());
    }

    /** Inbound: the packet's destination is local, its source remote. */
    public boolean matchesInbound(FlowKey key) {
        return matches(key.destination(), key.source(), key.addressLength(), key.protocol(),
                key.destinationPort(), key.sourcePort(), key.icmpType(), key.icmpCode());
    }

    private boolean matches(byte[] localAddress, byte[] remoteAddress, int addressLength,
                            int packetProtocol, int localPort, int remotePort, int icmpType,
                            int icmpCode) {
        if (protocol != ANY_PROTOCOL && protocol != packetProtocol) {
            return false;
        }
        if (!local.contains(localAddress, addressLength) || !remote.contains(remoteAddress, addressLength)) {
            return false;
        }
        if (isIcmp(protocol)) {
            return icmp.matches(icmpType, icmpCode);
        }
        return localPorts.matches(localPort) && remotePorts.matches(remotePort);
    }

    static boolean hasPorts(int protocol) {
        return protocol == FlowKey.PROTO_TCP || protocol == FlowKey.PROTO_UDP
                || protocol == FlowKey.PROTO_SCTP || protocol == 136; // UDP-Lite
    }

    static boolean isIcmp(int protocol) {
        return protocol == FlowKey.PROTO_ICMP || protocol == FlowKey.PROTO_ICMPV6;
    }

    private static boolean portsAnyOrOpaque(PortRange ports) {
        return ports.isAny() || ports.isOpaque();
    }

    /** The IANA keyword for common protocols, else the number; "any" for ANY. */
    public static String protocolName(int protocol) {
        return switch (protocol) {
            case ANY_PROTOCOL -> "any";
            case FlowKey.PROTO_ICMP -> "icmp";
            case FlowKey.PROTO_TCP -> "tcp";
            case FlowKey.PROTO_UDP -> "udp";
            case FlowKey.PROTO_ICMPV6 -> "ipv6-icmp";
            case FlowKey.PROTO_SCTP -> "sctp";
            case 136 -> "udplite";
            default -> Integer.toString(protocol);
        };
    }

    /** Reads what {@link #protocolName} writes, plus "icmpv6" and decimal numbers 0-255. */
    public static int parseProtocol(String text) {
        String s = text.trim().toLowerCase(java.util.Locale.ROOT);
        return switch (s) {
            case "any" -> ANY_PROTOCOL;
            case "icmp" -> FlowKey.PROTO_ICMP;
            case "tcp" -> FlowKey.PROTO_TCP;
            case "udp" -> FlowKey.PROTO_UDP;
            case "ipv6-icmp", "icmpv6" -> FlowKey.PROTO_ICMPV6;
            case "sctp" -> FlowKey.PROTO_SCTP;
            case "udplite" -> 136;
            default -> {
                if (s.isEmpty() || s.length() > 3 || !s.chars().allMatch(c -> c >= '0' && c <= '9')
                        || Integer.parseInt(s) > 255) {
                    throw new IllegalArgumentException("'" + text + "' is not a protocol: use any,"
                            + " tcp, udp, icmp, ipv6-icmp, sctp, udplite or a number 0-255");
                }
                yield Integer.parseInt(s);
            }
        };
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder().append(local).append(" <-> ").append(remote)
                .append(" proto ").append(protocolName(protocol));
        if (isIcmp(protocol) && !icmp.isAny()) {
            out.append(' ').append(icmp);
        } else if (!localPorts.isAny() || !remotePorts.isAny()) {
            out.append(" ports ").append(localPorts).append(" <-> ").append(remotePorts);
        }
        return out.toString();
    }
}
