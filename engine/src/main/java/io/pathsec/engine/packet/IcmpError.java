package io.pathsec.engine.packet;

/**
 * The ICMP errors a security gateway sends to an inner source, with their ICMPv4 (RFC 792,
 * RFC 1191) and ICMPv6 (RFC 4443 §3) type and code, so that callers name the error once and the
 * offending packet's IP version picks the encoding.
 */
public enum IcmpError {
    /** ICMPv4 Fragmentation Needed and DF set / ICMPv6 Packet Too Big: carries an MTU. */
    PACKET_TOO_BIG(IcmpHeader.TYPE_DESTINATION_UNREACHABLE, IcmpHeader.CODE_FRAGMENTATION_NEEDED,
            Icmpv6Header.TYPE_PACKET_TOO_BIG, 0),
    /** Destination Unreachable, port unreachable. */
    PORT_UNREACHABLE(IcmpHeader.TYPE_DESTINATION_UNREACHABLE, IcmpHeader.CODE_PORT_UNREACHABLE,
            Icmpv6Header.TYPE_DESTINATION_UNREACHABLE, Icmpv6Header.CODE_PORT_UNREACHABLE),
    /** Destination Unreachable, host (ICMPv4 code 1) / address (ICMPv6 code 3) unreachable. */
    HOST_UNREACHABLE(IcmpHeader.TYPE_DESTINATION_UNREACHABLE, IcmpHeader.CODE_HOST_UNREACHABLE,
            Icmpv6Header.TYPE_DESTINATION_UNREACHABLE, 3),
    /** Destination Unreachable, communication administratively prohibited (RFC 1812 code 13 / RFC 4443 code 1). */
    ADMINISTRATIVELY_PROHIBITED(IcmpHeader.TYPE_DESTINATION_UNREACHABLE, 13,
            Icmpv6Header.TYPE_DESTINATION_UNREACHABLE, 1),
    /** Time Exceeded: TTL / hop limit exceeded in transit. */
    TIME_EXCEEDED_IN_TRANSIT(IcmpHeader.TYPE_TIME_EXCEEDED, IcmpHeader.CODE_TTL_EXCEEDED,
            Icmpv6Header.TYPE_TIME_EXCEEDED, Icmpv6Header.CODE_HOP_LIMIT_EXCEEDED);

    private final int ipv4Type;
    private final int ipv4Code;
    private final int ipv6Type;
    private final int ipv6Code;

    IcmpError(int ipv4Type, int ipv4Code, int ipv6Type, int ipv6Code) {
        this.ipv4Type = ipv4Type;
        this.ipv4Code = ipv4Code;
        this.ipv6Type = ipv6Type;
        this.ipv6Code = ipv6Code;
    }

    public int ipv4Type() { return ipv4Type; }
    public int ipv4Code() { return ipv4Code; }
    public int ipv6Type() { return ipv6Type; }
    public int ipv6Code() { return ipv6Code; }
}
