package io.pathsec.engine.packet;

import io.netty.buffer.ByteBuf;

import static io.pathsec.engine.packet.MalformedPacketException.Reason.BAD_QUOTED_PACKET;

/**
 * A reusable, zero-copy view of an ICMPv6 message header (RFC 4443 §2.1) at an absolute index of
 * a {@link ByteBuf}. Error messages (types 0-127) quote the invoking packet from
 * {@link #quotedPacketOffset()}. The checksum covers an IPv6 pseudo-header (RFC 4443 §2.3), so
 * its methods take the index of the enclosing IPv6 header.
 */
public final class Icmpv6Header {
    public static final int HEADER_LENGTH = 8;
    public static final int CHECKSUM_OFFSET = 2;

    public static final int TYPE_DESTINATION_UNREACHABLE = 1;
    public static final int TYPE_PACKET_TOO_BIG = 2;
    public static final int TYPE_TIME_EXCEEDED = 3;
    public static final int TYPE_PARAMETER_PROBLEM = 4;
    public static final int TYPE_ECHO_REQUEST = 128;
    public static final int TYPE_ECHO_REPLY = 129;

    /** Destination Unreachable code 4 (RFC 4443 §3.1). */
    public static final int CODE_PORT_UNREACHABLE = 4;
    /** Time Exceeded code 0: hop limit exceeded in transit (RFC 4443 §3.3). */
    public static final int CODE_HOP_LIMIT_EXCEEDED = 0;

    private ByteBuf buf;
    private int offset;

    public Icmpv6Header wrap(ByteBuf buf, int offset) {
        this.buf = buf;
        this.offset = offset;
        return this;
    }

    public ByteBuf buffer() { return buf; }
    public int offset() { return offset; }

    /** RFC 4443 §2.1: a clear high-order type bit marks an error message. */
    public static boolean isErrorType(int type) {
        return type < 128;
    }

    /** {@link #validate(int)} with the message running to the buffer's writer index. */
    public Icmpv6Header validate() throws MalformedPacketException {
        return validate(buf.writerIndex() - offset);
    }

    /**
     * Checks that the {@code messageLength} bytes hold the 8-byte header and, for error messages,
     * the invoking packet's 40-byte IPv6 header, without which the error cannot be matched to a
     * flow (RFC 4443 §2.4(b)).
     */
    public Icmpv6Header validate(int messageLength) throws MalformedPacketException {
        L4Bounds.check(buf, offset, messageLength, HEADER_LENGTH, "ICMPv6");
        if (isError()) {
            int quoted = messageLength - HEADER_LENGTH;
            if (quoted < Ipv6Header.HEADER_LENGTH) {
                throw new MalformedPacketException(BAD_QUOTED_PACKET,
                        "ICMPv6 error quotes " + quoted + " bytes, less than an IPv6 header");
            }
            int version = buf.getUnsignedByte(quotedPacketOffset()) >> 4;
            if (version != Ipv6Header.VERSION) {
                throw new MalformedPacketException(BAD_QUOTED_PACKET, "ICMPv6 error quotes IP version " + version);
            }
        }
        return this;
    }

    public int type() { return buf.getUnsignedByte(offset); }
    public int code() { return buf.getUnsignedByte(offset + 1); }
    public int checksum() { return buf.getUnsignedShort(offset + CHECKSUM_OFFSET); }
    public boolean isError() { return isErrorType(type()); }
    /** The 32 bits after the checksum (MTU, pointer, or unused). */
    public long restOfHeader() { return buf.getUnsignedInt(offset + 4); }
    /** Packet Too Big: the MTU of the next-hop link (RFC 4443 §3.2). */
    public long mtu() { return buf.getUnsignedInt(offset + 4); }
    /** Parameter Problem: offset of the error in the invoking packet (RFC 4443 §3.4). */
    public long pointer() { return buf.getUnsignedInt(offset + 4); }
    /** Echo messages: identifier (RFC 4443 §4). */
    public int identifier() { return buf.getUnsignedShort(offset + 4); }
    public int sequenceNumber() { return buf.getUnsignedShort(offset + 6); }
    public boolean isPacketTooBig() { return type() == TYPE_PACKET_TOO_BIG; }
    /** Absolute index of the quoted invoking packet in error messages (also echo data). */
    public int quotedPacketOffset() { return offset + HEADER_LENGTH; }

    public Icmpv6Header setType(int type) { buf.setByte(offset, type); return this; }
    public Icmpv6Header setCode(int code) { buf.setByte(offset + 1, code); return this; }
    public Icmpv6Header setChecksum(int checksum) { buf.setShort(offset + CHECKSUM_OFFSET, checksum); return this; }
    public Icmpv6Header setRestOfHeader(long value) { buf.setInt(offset + 4, (int) value); return this; }
    public Icmpv6Header setMtu(long mtu) { return setRestOfHeader(mtu); }
    public Icmpv6Header setIdentifier(int id) { buf.setShort(offset + 4, id); return this; }
    public Icmpv6Header setSequenceNumber(int seq) { buf.setShort(offset + 6, seq); return this; }

    /** Recomputes the checksum with the pseudo-header of the IPv6 header at {@code ipOffset}. */
    public Icmpv6Header updateChecksum(int ipOffset, int messageLength) {
        Checksums.updateTransportChecksum(buf, ipOffset, offset, messageLength, IpProtocol.ICMPV6);
        return this;
    }

    public boolean isChecksumValid(int ipOffset, int messageLength) {
        return Checksums.verifyTransport(buf, ipOffset, offset, messageLength, IpProtocol.ICMPV6);
    }
}
