package io.pathsec.engine.packet;

import io.netty.buffer.ByteBuf;

import static io.pathsec.engine.packet.MalformedPacketException.Reason.BAD_VERSION;
import static io.pathsec.engine.packet.MalformedPacketException.Reason.TRUNCATED;

/**
 * Writes an ICMP error answering an offending inner packet, from the gateway to the packet's
 * source. The main use is RFC 4301 §8.2.1: a packet too big for the SA's effective MTU with DF
 * set (or any IPv6 packet) is answered with ICMPv4 Fragmentation Needed (RFC 1191 §4) or ICMPv6
 * Packet Too Big (RFC 4443 §3.2) carrying that MTU. Other errors use the same code path.
 *
 * <p>The message is written at the output buffer's writer index, which then advances. The error
 * quotes as much of the offending packet as fits in 576 bytes for IPv4 (RFC 1812 §4.3.2.3) and
 * 1280 for IPv6 (RFC 4443 §2.4(c)). No error is written where RFC 1122 §3.2.2, RFC 1812 §4.3.2.7
 * and RFC 4443 §2.4(e) forbid one: in answer to an ICMP error, to a source that is not a
 * unicast address, to a multicast destination (IPv6: except Packet Too Big), or to a non-first
 * IPv4 fragment.
 *
 * <p>One instance holds reusable views: keep one per thread; it allocates nothing per packet.
 */
public final class IcmpErrorBuilder {
    /** RFC 1812 §4.3.2.3: an ICMPv4 error must not exceed 576 bytes. */
    public static final int IPV4_MAX_ERROR_LENGTH = 576;
    /** RFC 4443 §2.4(c): an ICMPv6 error must not exceed the minimum IPv6 MTU. */
    public static final int IPV6_MAX_ERROR_LENGTH = Ipv6Header.MINIMUM_MTU;
    /** RFC 791 §3.2: the smallest MTU an IPv4 link may have. */
    public static final int IPV4_MINIMUM_MTU = 68;
    public static final int DEFAULT_HOP_LIMIT = 64;
    /** RFC 1812 §4.3.2.5: ICMP errors are network control traffic, precedence 6 (DSCP CS6). */
    private static final int DSCP_CS6 = 48;

    private final int hopLimit;
    private final Ipv4Header offending4 = new Ipv4Header();
    private final Ipv6Header offending6 = new Ipv6Header();
    private final Ipv4Header out4 = new Ipv4Header();
    private final Ipv6Header out6 = new Ipv6Header();
    private final IcmpHeader icmp = new IcmpHeader();
    private final Icmpv6Header icmp6 = new Icmpv6Header();

    public IcmpErrorBuilder() {
        this(DEFAULT_HOP_LIMIT);
    }

    /** @param hopLimit the TTL / hop limit of the errors written */
    public IcmpErrorBuilder(int hopLimit) {
        if (hopLimit < 1 || hopLimit > 255) {
            throw new IllegalArgumentException("hop limit " + hopLimit);
        }
        this.hopLimit = hopLimit;
    }

    /**
     * Writes Fragmentation Needed (IPv4) or Packet Too Big (IPv6) carrying {@code mtu}, the
     * effective MTU the offending packet's source must use.
     *
     * @param gatewayAddress this gateway's address in the offending packet's family (4 or 16 bytes)
     * @return the bytes written, or 0 if the rules forbid an error in answer to this packet
     * @throws MalformedPacketException if the offending packet is not a valid IP packet
     * @throws IllegalArgumentException if the MTU is below the family's minimum (68 for IPv4,
     *         1280 for IPv6: below that an IPv6 gateway must fragment the outer packet instead)
     */
    public int packetTooBig(ByteBuf out, byte[] gatewayAddress, ByteBuf offending, int offset, int mtu)
            throws MalformedPacketException {
        return write(out, IcmpError.PACKET_TOO_BIG, gatewayAddress, offending, offset, mtu);
    }

    /**
     * Writes {@code error} (other than {@link IcmpError#PACKET_TOO_BIG}, which needs an MTU).
     *
     * @return the bytes written, or 0 if the rules forbid an error in answer to this packet
     */
    public int build(ByteBuf out, IcmpError error, byte[] gatewayAddress, ByteBuf offending, int offset)
            throws MalformedPacketException {
        if (error == IcmpError.PACKET_TOO_BIG) {
            throw new IllegalArgumentException("use packetTooBig(..., mtu)");
        }
        return write(out, error, gatewayAddress, offending, offset, 0);
    }

    private int write(ByteBuf out, IcmpError error, byte[] gatewayAddress, ByteBuf offending, int offset,
                      int mtu) throws MalformedPacketException {
        if (offset < 0 || offset >= offending.writerIndex()) {
            throw new MalformedPacketException(TRUNCATED, "no offending packet at index " + offset);
        }
        int version = offending.getUnsignedByte(offset) >> 4;
        if (version == Ipv4Header.VERSION) {
            return writeIpv4(out, error, gatewayAddress, offending, offset, mtu);
        }
        if (version == Ipv6Header.VERSION) {
            return writeIpv6(out, error, gatewayAddress, offending, offset, mtu);
        }
        throw new MalformedPacketException(BAD_VERSION, "offending packet has IP version " + version);
    }

    private int writeIpv4(ByteBuf out, IcmpError error, byte[] gateway, ByteBuf offending, int offset, int mtu)
            throws MalformedPacketException {
        requireAddressLength(gateway, 4);
        int restOfHeader = 0;
        if (error == IcmpError.PACKET_TOO_BIG) {
            if (mtu < IPV4_MINIMUM_MTU || mtu > 0xffff) {
                throw new IllegalArgumentException("IPv4 next-hop MTU " + mtu + " outside [68, 65535]");
            }
            restOfHeader = mtu; // RFC 1191 §4: low-order 16 bits, high-order 16 bits unused (zero)
        }
        Ipv4Header bad = offending4.wrap(offending, offset).validate();
        if (!mayAnswerIpv4(bad)) {
            return 0;
        }
        int headerLength = Ipv4Header.MIN_HEADER_LENGTH + IcmpHeader.HEADER_LENGTH;
        int quoted = Math.min(bad.totalLength(), IPV4_MAX_ERROR_LENGTH - headerLength);
        int total = headerLength + quoted;
        out.ensureWritable(total);
        int start = out.writerIndex();
        Ipv4Header ip = out4.wrap(out, start);
        ip.setVersionAndIhl(5);
        out.setByte(start + 1, DSCP_CS6 << 2);
        ip.setTotalLength(total)
                .setIdentification(0); // RFC 6864 §4.1: atomic datagrams may carry any ID
        out.setShort(start + Ipv4Header.FLAGS_OFFSET, 0);
        ip.setDontFragment(true)
                .setTtl(hopLimit)
                .setProtocol(IpProtocol.ICMP)
                .setHeaderChecksum(0);
        out.setBytes(start + Ipv4Header.SOURCE_OFFSET, gateway, 0, 4);
        out.setBytes(start + Ipv4Header.DESTINATION_OFFSET, offending, offset + Ipv4Header.SOURCE_OFFSET, 4);
        ip.updateHeaderChecksum();
        out.setBytes(start + headerLength, offending, offset, quoted);
        icmp.wrap(out, start + Ipv4Header.MIN_HEADER_LENGTH)
                .setType(error.ipv4Type())
                .setCode(error.ipv4Code())
                .setRestOfHeader(restOfHeader)
                .updateChecksum(IcmpHeader.HEADER_LENGTH + quoted);
        out.writerIndex(start + total);
        return total;
    }

    /** RFC 1122 §3.2.2 and RFC 1812 §4.3.2.7: when an ICMPv4 error must not be sent. */
    private static boolean mayAnswerIpv4(Ipv4Header bad) {
        if (bad.fragmentOffset() != 0) {
            return false;
        }
        if (!isIpv4Unicast(bad.sourceAddress())) {
            return false;
        }
        int destination = bad.destinationAddress();
        if ((destination >>> 28) == 0xe || destination == 0xffff_ffff) {
            return false;
        }
        if (bad.protocol() == IpProtocol.ICMP && bad.payloadLength() >= 1) {
            return !IcmpHeader.isErrorType(bad.buffer().getUnsignedByte(bad.payloadOffset()));
        }
        return true;
    }

    /** Not "this network" 0/8, loopback 127/8, multicast 224/4, reserved 240/4 or broadcast. */
    private static boolean isIpv4Unicast(int address) {
        int first = address >>> 24;
        return first != 0 && first != 127 && first < 224;
    }

    private int writeIpv6(ByteBuf out, IcmpError error, byte[] gateway, ByteBuf offending, int offset, int mtu)
            throws MalformedPacketException {
        requireAddressLength(gateway, 16);
        long restOfHeader = 0;
        if (error == IcmpError.PACKET_TOO_BIG && mtu < Ipv6Header.MINIMUM_MTU) {
            throw new IllegalArgumentException("IPv6 MTU " + mtu + " < 1280 (RFC 8200 §5)");
        }
        if (error == IcmpError.PACKET_TOO_BIG) {
            restOfHeader = mtu;
        }
        Ipv6Header bad = offending6.wrap(offending, offset).validate();
        if (!mayAnswerIpv6(bad, error)) {
            return 0;
        }
        int headerLength = Ipv6Header.HEADER_LENGTH + Icmpv6Header.HEADER_LENGTH;
        int quoted = Math.min(bad.packetLength(), IPV6_MAX_ERROR_LENGTH - headerLength);
        int total = headerLength + quoted;
        out.ensureWritable(total);
        int start = out.writerIndex();
        out6.wrap(out, start)
                .setVersionTrafficClassFlowLabel(0, 0)
                .setPayloadLength(Icmpv6Header.HEADER_LENGTH + quoted)
                .setNextHeader(IpProtocol.ICMPV6)
                .setHopLimit(hopLimit)
                .setSource(gateway, 0);
        out.setBytes(start + Ipv6Header.DESTINATION_OFFSET, offending, offset + Ipv6Header.SOURCE_OFFSET, 16);
        out.setBytes(start + headerLength, offending, offset, quoted);
        icmp6.wrap(out, start + Ipv6Header.HEADER_LENGTH)
                .setType(error.ipv6Type())
                .setCode(error.ipv6Code())
                .setRestOfHeader(restOfHeader)
                .updateChecksum(start, Icmpv6Header.HEADER_LENGTH + quoted);
        out.writerIndex(start + total);
        return total;
    }

    /** RFC 4443 §2.4(e): when an ICMPv6 error must not be sent. */
    private static boolean mayAnswerIpv6(Ipv6Header bad, IcmpError error) {
        ByteBuf buf = bad.buffer();
        int source = bad.offset() + Ipv6Header.SOURCE_OFFSET;
        // (e.5): the source must identify a single node — not unspecified (::), not multicast.
        if (buf.getUnsignedByte(source) == 0xff
                || (buf.getLong(source) == 0 && buf.getLong(source + 8) == 0)) {
            return false;
        }
        // (e.2): no errors to multicast destinations, except Packet Too Big.
        if (buf.getUnsignedByte(bad.offset() + Ipv6Header.DESTINATION_OFFSET) == 0xff
                && error != IcmpError.PACKET_TOO_BIG) {
            return false;
        }
        // Unlike RFC 1812 for IPv4, RFC 4443 allows errors about non-first fragments: a fragment
        // too big for the tunnel must still earn its source a Packet Too Big.
        // (e.1): never answer an ICMPv6 error message.
        if (bad.upperLayerProtocol() == IpProtocol.ICMPV6 && !bad.isNonFirstFragment()
                && bad.upperLayerLength() >= 1) {
            return !Icmpv6Header.isErrorType(buf.getUnsignedByte(bad.upperLayerOffset()));
        }
        return true;
    }

    private static void requireAddressLength(byte[] address, int length) {
        if (address == null || address.length != length) {
            throw new IllegalArgumentException("gateway address must be " + length + " bytes for IPv" + (length == 4 ? 4 : 6));
        }
    }
}
