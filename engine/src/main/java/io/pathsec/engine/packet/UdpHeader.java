package io.pathsec.engine.packet;

import io.netty.buffer.ByteBuf;

import static io.pathsec.engine.packet.MalformedPacketException.Reason.BAD_LENGTH;
import static io.pathsec.engine.packet.MalformedPacketException.Reason.TRUNCATED;

/** A reusable, zero-copy view of a UDP header (RFC 768) at an absolute index of a {@link ByteBuf}. */
public final class UdpHeader {
    public static final int HEADER_LENGTH = 8;
    public static final int LENGTH_OFFSET = 4;
    public static final int CHECKSUM_OFFSET = 6;

    private ByteBuf buf;
    private int offset;

    public UdpHeader wrap(ByteBuf buf, int offset) {
        this.buf = buf;
        this.offset = offset;
        return this;
    }

    public ByteBuf buffer() { return buf; }
    public int offset() { return offset; }

    /** {@link #validate(int)} with the datagram running to the buffer's writer index. */
    public UdpHeader validate() throws MalformedPacketException {
        return validate(buf.writerIndex() - offset);
    }

    /**
     * Checks the header against {@code segmentLength}, the bytes the IP layer carries for it: the
     * UDP length covers at least the header and no more than that (RFC 768). A shorter UDP length
     * is accepted; the surplus belongs to UDP options (RFC 9868), not to the payload.
     */
    public UdpHeader validate(int segmentLength) throws MalformedPacketException {
        L4Bounds.check(buf, offset, segmentLength, HEADER_LENGTH, "UDP");
        int length = length();
        if (length < HEADER_LENGTH) {
            throw new MalformedPacketException(BAD_LENGTH, "UDP length " + length + " < 8");
        }
        if (length > segmentLength) {
            throw new MalformedPacketException(TRUNCATED,
                    "UDP length " + length + " > " + segmentLength + " carried by IP");
        }
        return this;
    }

    public int sourcePort() { return buf.getUnsignedShort(offset); }
    public int destinationPort() { return buf.getUnsignedShort(offset + 2); }
    /** Length of header and data in octets. */
    public int length() { return buf.getUnsignedShort(offset + LENGTH_OFFSET); }
    public int checksum() { return buf.getUnsignedShort(offset + CHECKSUM_OFFSET); }
    public int payloadOffset() { return offset + HEADER_LENGTH; }
    public int payloadLength() { return length() - HEADER_LENGTH; }

    public UdpHeader setSourcePort(int port) { buf.setShort(offset, port); return this; }
    public UdpHeader setDestinationPort(int port) { buf.setShort(offset + 2, port); return this; }
    public UdpHeader setLength(int length) { buf.setShort(offset + LENGTH_OFFSET, length); return this; }
    public UdpHeader setChecksum(int checksum) { buf.setShort(offset + CHECKSUM_OFFSET, checksum); return this; }

    /** Recomputes the checksum over the pseudo-header of the IP header at {@code ipOffset}. */
    public UdpHeader updateChecksum(int ipOffset) {
        Checksums.updateTransportChecksum(buf, ipOffset, offset, length(), IpProtocol.UDP);
        return this;
    }

    public boolean isChecksumValid(int ipOffset) {
        return Checksums.verifyTransport(buf, ipOffset, offset, length(), IpProtocol.UDP);
    }
}
