package io.pathsec.engine.packet;

import io.netty.buffer.ByteBuf;

import static io.pathsec.engine.packet.MalformedPacketException.Reason.BAD_QUOTED_PACKET;

/**
 * A reusable, zero-copy view of an ICMPv4 message header (RFC 792) at an absolute index of a
 * {@link ByteBuf}: type, code, checksum and the 32-bit "rest of header", whose meaning depends on
 * the type. Error messages quote the offending datagram starting at {@link #quotedPacketOffset()}.
 */
public final class IcmpHeader {
    public static final int HEADER_LENGTH = 8;
    public static final int CHECKSUM_OFFSET = 2;
    public static final int REST_OF_HEADER_OFFSET = 4;

    public static final int TYPE_ECHO_REPLY = 0;
    public static final int TYPE_DESTINATION_UNREACHABLE = 3;
    public static final int TYPE_SOURCE_QUENCH = 4;
    public static final int TYPE_REDIRECT = 5;
    public static final int TYPE_ECHO_REQUEST = 8;
    public static final int TYPE_TIME_EXCEEDED = 11;
    public static final int TYPE_PARAMETER_PROBLEM = 12;

    /** Destination Unreachable codes (RFC 792, RFC 1191). */
    public static final int CODE_NET_UNREACHABLE = 0;
    public static final int CODE_HOST_UNREACHABLE = 1;
    public static final int CODE_PROTOCOL_UNREACHABLE = 2;
    public static final int CODE_PORT_UNREACHABLE = 3;
    public static final int CODE_FRAGMENTATION_NEEDED = 4;
    /** Time Exceeded code 0: time to live exceeded in transit. */
    public static final int CODE_TTL_EXCEEDED = 0;

    private ByteBuf buf;
    private int offset;

    public IcmpHeader wrap(ByteBuf buf, int offset) {
        this.buf = buf;
        this.offset = offset;
        return this;
    }

    public ByteBuf buffer() { return buf; }
    public int offset() { return offset; }

    /** Whether {@code type} is an error message, one that quotes an offending datagram (RFC 792). */
    public static boolean isErrorType(int type) {
        return type == TYPE_DESTINATION_UNREACHABLE || type == TYPE_SOURCE_QUENCH
                || type == TYPE_REDIRECT || type == TYPE_TIME_EXCEEDED || type == TYPE_PARAMETER_PROBLEM;
    }

    /** {@link #validate(int)} with the message running to the buffer's writer index. */
    public IcmpHeader validate() throws MalformedPacketException {
        return validate(buf.writerIndex() - offset);
    }

    /**
     * Checks that the {@code messageLength} bytes hold the 8-byte header, and for error messages
     * an IPv4 header (version 4, IHL ≥ 5, all of it present): RFC 792 requires the internet header
     * plus 64 bits of the offending datagram, and nothing can be matched against an SA without it.
     */
    public IcmpHeader validate(int messageLength) throws MalformedPacketException {
        L4Bounds.check(buf, offset, messageLength, HEADER_LENGTH, "ICMP");
        if (isError()) {
            int quoted = messageLength - HEADER_LENGTH;
            int q = quotedPacketOffset();
            if (quoted < Ipv4Header.MIN_HEADER_LENGTH) {
                throw new MalformedPacketException(BAD_QUOTED_PACKET,
                        "ICMP error quotes " + quoted + " bytes, less than an IPv4 header");
            }
            int versionAndIhl = buf.getUnsignedByte(q);
            int quotedHeaderLength = (versionAndIhl & 0x0f) * 4;
            if ((versionAndIhl >> 4) != Ipv4Header.VERSION || quotedHeaderLength < Ipv4Header.MIN_HEADER_LENGTH
                    || quotedHeaderLength > quoted) {
                throw new MalformedPacketException(BAD_QUOTED_PACKET,
                        "ICMP error quotes no valid IPv4 header (version/IHL 0x" + Integer.toHexString(versionAndIhl) + ")");
            }
        }
        return this;
    }

    public int type() { return buf.getUnsignedByte(offset); }
    public int code() { return buf.getUnsignedByte(offset + 1); }
    public int checksum() { return buf.getUnsignedShort(offset + CHECKSUM_OFFSET); }
    public boolean isError() { return isErrorType(type()); }
    /** The 32 bits after the checksum, whatever the type makes of them. */
    public int restOfHeader() { return buf.getInt(offset + REST_OF_HEADER_OFFSET); }
    /** Echo and timestamp messages: identifier. */
    public int identifier() { return buf.getUnsignedShort(offset + 4); }
    /** Echo and timestamp messages: sequence number. */
    public int sequenceNumber() { return buf.getUnsignedShort(offset + 6); }
    /** Parameter Problem: the octet of the offending header that caused it. */
    public int pointer() { return buf.getUnsignedByte(offset + 4); }
    /** Fragmentation Needed (type 3 code 4): the next-hop MTU, 0 from pre-RFC 1191 routers (RFC 1191 §4). */
    public int nextHopMtu() { return buf.getUnsignedShort(offset + 6); }
    public boolean isFragmentationNeeded() {
        return type() == TYPE_DESTINATION_UNREACHABLE && code() == CODE_FRAGMENTATION_NEEDED;
    }
    /** Absolute index of the quoted offending datagram in error messages (also echo data). */
    public int quotedPacketOffset() { return offset + HEADER_LENGTH; }

    public IcmpHeader setType(int type) { buf.setByte(offset, type); return this; }
    public IcmpHeader setCode(int code) { buf.setByte(offset + 1, code); return this; }
    public IcmpHeader setChecksum(int checksum) { buf.setShort(offset + CHECKSUM_OFFSET, checksum); return this; }
    public IcmpHeader setRestOfHeader(int value) { buf.setInt(offset + REST_OF_HEADER_OFFSET, value); return this; }
    public IcmpHeader setIdentifier(int id) { buf.setShort(offset + 4, id); return this; }
    public IcmpHeader setSequenceNumber(int seq) { buf.setShort(offset + 6, seq); return this; }

    /** Sets the next-hop MTU, clearing the unused high 16 bits as RFC 1191 §4 requires. */
    public IcmpHeader setNextHopMtu(int mtu) { buf.setInt(offset + REST_OF_HEADER_OFFSET, mtu & 0xffff); return this; }

    /** Recomputes the checksum over the {@code messageLength}-byte message (RFC 792: no pseudo-header). */
    public IcmpHeader updateChecksum(int messageLength) {
        buf.setShort(offset + CHECKSUM_OFFSET, 0);
        buf.setShort(offset + CHECKSUM_OFFSET, Checksums.internetChecksum(buf, offset, messageLength));
        return this;
    }

    public boolean isChecksumValid(int messageLength) {
        return Checksums.internetChecksum(buf, offset, messageLength) == 0;
    }
}
