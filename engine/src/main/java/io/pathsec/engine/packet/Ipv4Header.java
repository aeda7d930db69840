package io.pathsec.engine.packet;

import io.netty.buffer.ByteBuf;

import static io.pathsec.engine.packet.MalformedPacketException.Reason.BAD_HEADER_LENGTH;
import static io.pathsec.engine.packet.MalformedPacketException.Reason.BAD_LENGTH;
import static io.pathsec.engine.packet.MalformedPacketException.Reason.BAD_OPTION;
import static io.pathsec.engine.packet.MalformedPacketException.Reason.BAD_VERSION;
import static io.pathsec.engine.packet.MalformedPacketException.Reason.TRUNCATED;

/**
 * A reusable, zero-copy view of an IPv4 header (RFC 791 §3.1) at an absolute index of a
 * {@link ByteBuf}. {@link #wrap} only records where the header is; every getter and setter reads
 * or writes the buffer directly. Call {@link #validate()} before trusting any getter on data from
 * the network: getters do no bounds checks of their own beyond Netty's.
 *
 * <p>The packet is taken to end at the buffer's writer index; trailing bytes beyond the total
 * length (link-layer padding) are allowed.
 */
public final class Ipv4Header {
    public static final int VERSION = 4;
    public static final int MIN_HEADER_LENGTH = 20;
    /** 15 32-bit words: the IHL field has 4 bits. */
    public static final int MAX_HEADER_LENGTH = 60;
    public static final int TOTAL_LENGTH_OFFSET = 2;
    public static final int IDENTIFICATION_OFFSET = 4;
    public static final int FLAGS_OFFSET = 6;
    public static final int TTL_OFFSET = 8;
    public static final int PROTOCOL_OFFSET = 9;
    public static final int CHECKSUM_OFFSET = 10;
    public static final int SOURCE_OFFSET = 12;
    public static final int DESTINATION_OFFSET = 16;

    private static final int FLAG_DF = 0x4000;
    private static final int FLAG_MF = 0x2000;
    private static final int FRAGMENT_OFFSET_MASK = 0x1fff;

    /** RFC 791 §3.1 options: end of option list, no operation, and the "copied" flag bit. */
    public static final int OPTION_END = 0;
    public static final int OPTION_NOP = 1;
    public static final int OPTION_COPIED_FLAG = 0x80;

    private ByteBuf buf;
    private int offset;

    /** Points this view at the header starting at absolute index {@code offset}. */
    public Ipv4Header wrap(ByteBuf buf, int offset) {
        this.buf = buf;
        this.offset = offset;
        return this;
    }

    public ByteBuf buffer() { return buf; }
    public int offset() { return offset; }

    /**
     * Checks that the header and the whole datagram announced by it lie inside the buffer, so
     * that every getter of this view, and the payload range, are safe to use.
     */
    public Ipv4Header validate() throws MalformedPacketException {
        int available = buf.writerIndex() - offset;
        if (offset < 0 || available < MIN_HEADER_LENGTH) {
            throw new MalformedPacketException(TRUNCATED,
                    "IPv4 header needs 20 bytes, " + Math.max(available, 0) + " available");
        }
        if (version() != VERSION) {
            throw new MalformedPacketException(BAD_VERSION, "IP version " + version() + ", expected 4");
        }
        int headerLength = headerLength();
        if (headerLength < MIN_HEADER_LENGTH) {
            throw new MalformedPacketException(BAD_HEADER_LENGTH, "IHL " + ihl() + " < 5");
        }
        if (headerLength > available) {
            throw new MalformedPacketException(TRUNCATED,
                    "IPv4 header length " + headerLength + " > " + available + " available");
        }
        int totalLength = totalLength();
        if (totalLength < headerLength) {
            throw new MalformedPacketException(BAD_LENGTH,
                    "total length " + totalLength + " < header length " + headerLength);
        }
        if (totalLength > available) {
            throw new MalformedPacketException(TRUNCATED,
                    "total length " + totalLength + " > " + available + " available");
        }
        return this;
    }

    /**
     * Checks that the options area is a well-formed list (RFC 791 §3.1: single-octet EOL/NOP, or
     * type, length ≥ 2, data). Call after {@link #validate()}.
     */
    public void validateOptions() throws MalformedPacketException {
        int index = optionsOffset();
        int end = payloadOffset();
        while (index < end) {
            if (buf.getUnsignedByte(index) == OPTION_END) {
                return;
            }
            index += optionLength(index);
        }
    }

    /**
     * The length of the option starting at absolute {@code index} inside the options area: 1 for
     * EOL and NOP, the option's own length octet otherwise.
     */
    public int optionLength(int index) throws MalformedPacketException {
        int type = buf.getUnsignedByte(index);
        if (type == OPTION_END || type == OPTION_NOP) {
            return 1;
        }
        int end = payloadOffset();
        if (index + 2 > end) {
            throw new MalformedPacketException(BAD_OPTION, "IPv4 option " + type + " without length");
        }
        int length = buf.getUnsignedByte(index + 1);
        if (length < 2 || index + length > end) {
            throw new MalformedPacketException(BAD_OPTION,
                    "IPv4 option " + type + " length " + length + " outside the options area");
        }
        return length;
    }

    public int version() { return buf.getUnsignedByte(offset) >> 4; }
    /** Internet Header Length in 32-bit words. */
    public int ihl() { return buf.getUnsignedByte(offset) & 0x0f; }
    public int headerLength() { return ihl() * 4; }
    public int optionsLength() { return headerLength() - MIN_HEADER_LENGTH; }
    public int optionsOffset() { return offset + MIN_HEADER_LENGTH; }
    /** Differentiated Services codepoint, the upper six bits of the former TOS (RFC 2474). */
    public int dscp() { return buf.getUnsignedByte(offset + 1) >> 2; }
    /** Explicit Congestion Notification, the lower two bits of the former TOS (RFC 3168). */
    public int ecn() { return buf.getUnsignedByte(offset + 1) & 0x03; }
    public int totalLength() { return buf.getUnsignedShort(offset + TOTAL_LENGTH_OFFSET); }
    public int identification() { return buf.getUnsignedShort(offset + IDENTIFICATION_OFFSET); }
    public boolean dontFragment() { return (flagsAndOffset() & FLAG_DF) != 0; }
    public boolean moreFragments() { return (flagsAndOffset() & FLAG_MF) != 0; }
    /** Fragment offset in units of 8 octets. */
    public int fragmentOffset() { return flagsAndOffset() & FRAGMENT_OFFSET_MASK; }
    /** Whether this datagram is a fragment (first, middle or last) rather than a whole one. */
    public boolean isFragment() { return (flagsAndOffset() & (FLAG_MF | FRAGMENT_OFFSET_MASK)) != 0; }
    public int ttl() { return buf.getUnsignedByte(offset + TTL_OFFSET); }
    public int protocol() { return buf.getUnsignedByte(offset + PROTOCOL_OFFSET); }
    public int headerChecksum() { return buf.getUnsignedShort(offset + CHECKSUM_OFFSET); }
    /** The source address as a big-endian 32-bit value. */
    public int sourceAddress() { return buf.getInt(offset + SOURCE_OFFSET); }
    public int destinationAddress() { return buf.getInt(offset + DESTINATION_OFFSET); }
    /** Copies the 4 source address bytes into {@code dst} at {@code dstIndex}. */
    public void getSource(byte[] dst, int dstIndex) { buf.getBytes(offset + SOURCE_OFFSET, dst, dstIndex, 4); }
    public void getDestination(byte[] dst, int dstIndex) { buf.getBytes(offset + DESTINATION_OFFSET, dst, dstIndex, 4); }
    /** Absolute index of the first payload byte. */
    public int payloadOffset() { return offset + headerLength(); }
    public int payloadLength() { return totalLength() - headerLength(); }

    private int flagsAndOffset() { return buf.getUnsignedShort(offset + FLAGS_OFFSET); }

    public Ipv4Header setVersionAndIhl(int ihl) {
        buf.setByte(offset, (VERSION << 4) | (ihl & 0x0f));
        return this;
    }

    public Ipv4Header setDscp(int dscp) {
        buf.setByte(offset + 1, ((dscp & 0x3f) << 2) | ecn());
        return this;
    }

    public Ipv4Header setEcn(int ecn) {
        buf.setByte(offset + 1, (buf.getUnsignedByte(offset + 1) & 0xfc) | (ecn & 0x03));
        return this;
    }

    public Ipv4Header setTotalLength(int totalLength) {
        buf.setShort(offset + TOTAL_LENGTH_OFFSET, totalLength);
        return this;
    }

    public Ipv4Header setIdentification(int identification) {
        buf.setShort(offset + IDENTIFICATION_OFFSET, identification);
        return this;
    }

    public Ipv4Header setDontFragment(boolean df) {
        return setFlagsAndOffset(df ? flagsAndOffset() | FLAG_DF : flagsAndOffset() & ~FLAG_DF);
    }

    public Ipv4Header setMoreFragments(boolean mf) {
        return setFlagsAndOffset(mf ? flagsAndOffset() | FLAG_MF : flagsAndOffset() & ~FLAG_MF);
    }

    /** Sets the fragment offset, in units of 8 octets, keeping the flags. */
    public Ipv4Header setFragmentOffset(int units) {
        return setFlagsAndOffset((flagsAndOffset() & ~FRAGMENT_OFFSET_MASK) | (units & FRAGMENT_OFFSET_MASK));
    }

    public Ipv4Header setTtl(int ttl) {
        buf.setByte(offset + TTL_OFFSET, ttl);
        return this;
    }

    public Ipv4Header setProtocol(int protocol) {
        buf.setByte(offset + PROTOCOL_OFFSET, protocol);
        return this;
    }

    public Ipv4Header setHeaderChecksum(int checksum) {
        buf.setShort(offset + CHECKSUM_OFFSET, checksum);
        return this;
    }

    public Ipv4Header setSourceAddress(int address) {
        buf.setInt(offset + SOURCE_OFFSET, address);
        return this;
    }

    public Ipv4Header setDestinationAddress(int address) {
        buf.setInt(offset + DESTINATION_OFFSET, address);
        return this;
    }

    /** Recomputes the header checksum after the other fields are final (RFC 791 §3.1). */
    public Ipv4Header updateHeaderChecksum() {
        Checksums.updateIpv4HeaderChecksum(buf, offset);
        return this;
    }

    public boolean isHeaderChecksumValid() {
        return Checksums.verifyIpv4Header(buf, offset);
    }

    private Ipv4Header setFlagsAndOffset(int value) {
        buf.setShort(offset + FLAGS_OFFSET, value);
        return this;
    }
}
