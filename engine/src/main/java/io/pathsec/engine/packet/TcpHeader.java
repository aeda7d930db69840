package io.pathsec.engine.packet;

import io.netty.buffer.ByteBuf;

import static io.pathsec.engine.packet.MalformedPacketException.Reason.BAD_HEADER_LENGTH;
import static io.pathsec.engine.packet.MalformedPacketException.Reason.BAD_OPTION;
import static io.pathsec.engine.packet.MalformedPacketException.Reason.TRUNCATED;

/**
 * A reusable, zero-copy view of a TCP header (RFC 9293 §3.1) at an absolute index of a
 * {@link ByteBuf}. Options are walked with a {@link TcpOptions} cursor that this view owns.
 */
public final class TcpHeader {
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int DATA_OFFSET_OFFSET = 12;
    public static final int FLAGS_OFFSET = 13;
    public static final int CHECKSUM_OFFSET = 16;

    /** Control bits, RFC 9293 §3.1 and RFC 3168 §6.1 (CWR, ECE). */
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    private ByteBuf buf;
    private int offset;
    private final TcpOptions options = new TcpOptions();

    public TcpHeader wrap(ByteBuf buf, int offset) {
        this.buf = buf;
        this.offset = offset;
        return this;
    }

    public ByteBuf buffer() { return buf; }
    public int offset() { return offset; }

    /** {@link #validate(int)} with the segment running to the buffer's writer index. */
    public TcpHeader validate() throws MalformedPacketException {
        return validate(buf.writerIndex() - offset);
    }

    /**
     * Checks the header against {@code segmentLength}, the bytes the IP layer carries for the
     * segment: the data offset is at least 5 words and the header fits in the segment.
     */
    public TcpHeader validate(int segmentLength) throws MalformedPacketException {
        L4Bounds.check(buf, offset, segmentLength, MIN_HEADER_LENGTH, "TCP");
        if (dataOffset() < 5) {
            throw new MalformedPacketException(BAD_HEADER_LENGTH, "TCP data offset " + dataOffset() + " < 5");
        }
        if (headerLength() > segmentLength) {
            throw new MalformedPacketException(TRUNCATED,
                    "TCP header length " + headerLength() + " > segment length " + segmentLength);
        }
        return this;
    }

    public int sourcePort() { return buf.getUnsignedShort(offset); }
    public int destinationPort() { return buf.getUnsignedShort(offset + 2); }
    public long sequenceNumber() { return buf.getUnsignedInt(offset + 4); }
    public long acknowledgmentNumber() { return buf.getUnsignedInt(offset + 8); }
    /** Header length in 32-bit words. */
    public int dataOffset() { return buf.getUnsignedByte(offset + DATA_OFFSET_OFFSET) >> 4; }
    public int headerLength() { return dataOffset() * 4; }
    /** The eight control bits CWR..FIN; see the constants. */
    public int flags() { return buf.getUnsignedByte(offset + FLAGS_OFFSET); }
    public boolean hasFlags(int mask) { return (flags() & mask) == mask; }
    public boolean isSyn() { return (flags() & SYN) != 0; }
    public int window() { return buf.getUnsignedShort(offset + 14); }
    public int checksum() { return buf.getUnsignedShort(offset + CHECKSUM_OFFSET); }
    public int urgentPointer() { return buf.getUnsignedShort(offset + 18); }
    public int optionsOffset() { return offset + MIN_HEADER_LENGTH; }
    public int optionsLength() { return headerLength() - MIN_HEADER_LENGTH; }
    public int payloadOffset() { return offset + headerLength(); }

    /** The cursor over this header's options, rewound; valid after {@link #validate}. */
    public TcpOptions options() {
        return options.wrap(buf, optionsOffset(), offset + headerLength());
    }

    /**
     * Absolute index of the first option of {@code kind}, or -1 if there is none.
     *
     * @throws MalformedPacketException if the options before it are malformed
     */
    public int findOption(int kind) throws MalformedPacketException {
        TcpOptions cursor = options();
        while (cursor.next()) {
            if (cursor.kind() == kind) {
                return cursor.offset();
            }
        }
        return -1;
    }

    /**
     * The Maximum Segment Size option's value (RFC 9293 §3.7.1), or -1 if absent.
     *
     * @throws MalformedPacketException if the options are malformed or the MSS option is not 4 long
     */
    public int maximumSegmentSize() throws MalformedPacketException {
        int index = findOption(TcpOptions.KIND_MSS);
        if (index < 0) {
            return -1;
        }
        if (buf.getUnsignedByte(index + 1) != TcpOptions.MSS_LENGTH) {
            throw new MalformedPacketException(BAD_OPTION, "MSS option length " + buf.getUnsignedByte(index + 1));
        }
        return buf.getUnsignedShort(index + 2);
    }

    public TcpHeader setSourcePort(int port) { buf.setShort(offset, port); return this; }
    public TcpHeader setDestinationPort(int port) { buf.setShort(offset + 2, port); return this; }
    public TcpHeader setSequenceNumber(long seq) { buf.setInt(offset + 4, (int) seq); return this; }
    public TcpHeader setAcknowledgmentNumber(long ack) { buf.setInt(offset + 8, (int) ack); return this; }

    /** Sets the data offset in 32-bit words, keeping the reserved bits beside it. */
    public TcpHeader setDataOffset(int words) {
        int index = offset + DATA_OFFSET_OFFSET;
        buf.setByte(index, ((words & 0x0f) << 4) | (buf.getUnsignedByte(index) & 0x0f));
        return this;
    }

    public TcpHeader setFlags(int flags) { buf.setByte(offset + FLAGS_OFFSET, flags); return this; }
    public TcpHeader setWindow(int window) { buf.setShort(offset + 14, window); return this; }
    public TcpHeader setChecksum(int checksum) { buf.setShort(offset + CHECKSUM_OFFSET, checksum); return this; }
    public TcpHeader setUrgentPointer(int pointer) { buf.setShort(offset + 18, pointer); return this; }

    /** Recomputes the checksum of a {@code segmentLength}-byte segment under the IP header at {@code ipOffset}. */
    public TcpHeader updateChecksum(int ipOffset, int segmentLength) {
        Checksums.updateTransportChecksum(buf, ipOffset, offset, segmentLength, IpProtocol.TCP);
        return this;
    }

    public boolean isChecksumValid(int ipOffset, int segmentLength) {
        return Checksums.verifyTransport(buf, ipOffset, offset, segmentLength, IpProtocol.TCP);
    }
}
