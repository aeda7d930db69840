package io.pathsec.engine.packet;

import io.netty.buffer.ByteBuf;

import static io.pathsec.engine.packet.MalformedPacketException.Reason.BAD_VERSION;
import static io.pathsec.engine.packet.MalformedPacketException.Reason.TOO_MANY_EXTENSION_HEADERS;
import static io.pathsec.engine.packet.MalformedPacketException.Reason.TRUNCATED;
import static io.pathsec.engine.packet.MalformedPacketException.Reason.UNSUPPORTED;

/**
 * A reusable, zero-copy view of an IPv6 header (RFC 8200 §3) at an absolute index of a
 * {@link ByteBuf}, with the walk through extension headers (RFC 8200 §4) to the upper-layer
 * header. {@link #validate()} checks the lengths and performs that walk once; the upper-layer
 * accessors report its result and are meaningful only after it.
 *
 * <p>The packet is taken to end at the buffer's writer index.
 */
public final class Ipv6Header {
    public static final int VERSION = 6;
    public static final int HEADER_LENGTH = 40;
    /** RFC 8200 §5: every link in the Internet carries packets of this size. */
    public static final int MINIMUM_MTU = 1280;
    public static final int PAYLOAD_LENGTH_OFFSET = 4;
    public static final int NEXT_HEADER_OFFSET = 6;
    public static final int HOP_LIMIT_OFFSET = 7;
    public static final int SOURCE_OFFSET = 8;
    public static final int DESTINATION_OFFSET = 24;
    public static final int ADDRESS_LENGTH = 16;
    /**
     * Bound on the extension headers walked, so that a packet made of thousands of empty
     * Destination Options headers costs a fixed amount of work (RFC 8504 §5.3 lets nodes set
     * such limits).
     */
    public static final int MAX_EXTENSION_HEADERS = 16;

    private ByteBuf buf;
    private int offset;
    private int upperLayerProtocol = -1;
    private int upperLayerOffset = -1;
    private int fragmentHeaderOffset = -1;
    private boolean nonFirstFragment;

    /** Points this view at the header starting at absolute index {@code offset}. */
    public Ipv6Header wrap(ByteBuf buf, int offset) {
        this.buf = buf;
        this.offset = offset;
        this.upperLayerProtocol = -1;
        this.upperLayerOffset = -1;
        this.fragmentHeaderOffset = -1;
        this.nonFirstFragment = false;
        return this;
    }

    public ByteBuf buffer() { return buf; }
    public int offset() { return offset; }

    /**
     * Checks that the fixed header and the payload it announces lie inside the buffer, and walks
     * the extension headers to the upper-layer header. Stops at a non-first fragment (what follows
     * its Fragment header is data, RFC 8200 §4.5), at ESP (encrypted) and at No Next Header.
     */
    public Ipv6Header validate() throws MalformedPacketException {
        int available = buf.writerIndex() - offset;
        if (offset < 0 || available < HEADER_LENGTH) {
            throw new MalformedPacketException(TRUNCATED,
                    "IPv6 header needs 40 bytes, " + Math.max(available, 0) + " available");
        }
        if (version() != VERSION) {
            throw new MalformedPacketException(BAD_VERSION, "IP version " + version() + ", expected 6");
        }
        int payloadLength = payloadLength();
        int next = nextHeader();
        if (payloadLength == 0 && next == IpProtocol.HOP_BY_HOP_OPTIONS) {
            // RFC 2675: a zero payload length with a Hop-by-Hop header announces a jumbogram.
            throw new MalformedPacketException(UNSUPPORTED, "IPv6 jumbogram");
        }
        if (payloadLength > available - HEADER_LENGTH) {
            throw new MalformedPacketException(TRUNCATED,
                    "payload length " + payloadLength + " > " + (available - HEADER_LENGTH) + " available");
        }
        int end = payloadEnd();
        int index = offset + HEADER_LENGTH;
        int count = 0;
        boolean nonFirst = false;
        int fragmentHeader = -1;
        while (IpProtocol.isIpv6ExtensionHeader(next)) {
            if (++count > MAX_EXTENSION_HEADERS) {
                throw new MalformedPacketException(TOO_MANY_EXTENSION_HEADERS,
                        "more than " + MAX_EXTENSION_HEADERS + " extension headers");
            }
            // Every extension header is at least 8 octets (RFC 8200 §4.3-4.6, RFC 4302 §2).
            if (index + 8 > end) {
                throw new MalformedPacketException(TRUNCATED, "extension header " + next + " truncated");
            }
            int length;
            if (next == IpProtocol.IPV6_FRAGMENT) {
                length = 8;
                fragmentHeader = index;
                nonFirst = (buf.getUnsignedShort(index + 2) & 0xfff8) != 0;
            } else if (next == IpProtocol.AH) {
                length = (buf.getUnsignedByte(index + 1) + 2) * 4; // RFC 4302 §2.2: 32-bit words minus 2
            } else {
                length = (buf.getUnsignedByte(index + 1) + 1) * 8; // RFC 8200 §4.3: 8-octet units, first excluded
            }
            if (index + length > end) {
                throw new MalformedPacketException(TRUNCATED,
                        "extension header " + next + " of " + length + " bytes runs past the payload");
            }
            next = buf.getUnsignedByte(index);
            index += length;
            if (nonFirst) {
                break;
            }
        }
        upperLayerProtocol = next;
        upperLayerOffset = index;
        fragmentHeaderOffset = fragmentHeader;
        nonFirstFragment = nonFirst;
        return this;
    }

    public int version() { return buf.getUnsignedByte(offset) >> 4; }
    public int trafficClass() { return (buf.getUnsignedShort(offset) >> 4) & 0xff; }
    public int flowLabel() { return buf.getInt(offset) & 0x000f_ffff; }
    public int payloadLength() { return buf.getUnsignedShort(offset + PAYLOAD_LENGTH_OFFSET); }
    public int nextHeader() { return buf.getUnsignedByte(offset + NEXT_HEADER_OFFSET); }
    public int hopLimit() { return buf.getUnsignedByte(offset + HOP_LIMIT_OFFSET); }
    /** Total length of header and payload. */
    public int packetLength() { return HEADER_LENGTH + payloadLength(); }
    /** Absolute index just past the payload. */
    public int payloadEnd() { return offset + HEADER_LENGTH + payloadLength(); }
    public void getSource(byte[] dst, int dstIndex) { buf.getBytes(offset + SOURCE_OFFSET, dst, dstIndex, ADDRESS_LENGTH); }
    public void getDestination(byte[] dst, int dstIndex) { buf.getBytes(offset + DESTINATION_OFFSET, dst, dstIndex, ADDRESS_LENGTH); }

    /** After {@link #validate()}: the protocol of the first header that is not an extension header. */
    public int upperLayerProtocol() { return upperLayerProtocol; }
    /** After {@link #validate()}: absolute index of the upper-layer header (or fragment data). */
    public int upperLayerOffset() { return upperLayerOffset; }
    /** After {@link #validate()}: bytes from the upper-layer header to the end of the payload. */
    public int upperLayerLength() { return payloadEnd() - upperLayerOffset; }
    /** After {@link #validate()}: absolute index of the Fragment header, or -1. */
    public int fragmentHeaderOffset() { return fragmentHeaderOffset; }
    public boolean isFragment() { return fragmentHeaderOffset >= 0; }
    /** After {@link #validate()}: true when the upper-layer header is not in this packet. */
    public boolean isNonFirstFragment() { return nonFirstFragment; }

    public Ipv6Header setVersionTrafficClassFlowLabel(int trafficClass, int flowLabel) {
        buf.setInt(offset, (VERSION << 28) | ((trafficClass & 0xff) << 20) | (flowLabel & 0x000f_ffff));
        return this;
    }

    public Ipv6Header setTrafficClass(int trafficClass) {
        return setVersionTrafficClassFlowLabel(trafficClass, flowLabel());
    }

    public Ipv6Header setFlowLabel(int flowLabel) {
        return setVersionTrafficClassFlowLabel(trafficClass(), flowLabel);
    }

    public Ipv6Header setPayloadLength(int payloadLength) {
        buf.setShort(offset + PAYLOAD_LENGTH_OFFSET, payloadLength);
        return this;
    }

    public Ipv6Header setNextHeader(int nextHeader) {
        buf.setByte(offset + NEXT_HEADER_OFFSET, nextHeader);
        return this;
    }

    public Ipv6Header setHopLimit(int hopLimit) {
        buf.setByte(offset + HOP_LIMIT_OFFSET, hopLimit);
        return this;
    }

    public Ipv6Header setSource(byte[] src, int srcIndex) {
        buf.setBytes(offset + SOURCE_OFFSET, src, srcIndex, ADDRESS_LENGTH);
        return this;
    }

    public Ipv6Header setDestination(byte[] src, int srcIndex) {
        buf.setBytes(offset + DESTINATION_OFFSET, src, srcIndex, ADDRESS_LENGTH);
        return this;
    }
}
