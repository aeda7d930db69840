package io.pathsec.engine.packet;

import io.netty.buffer.ByteBuf;

import static io.pathsec.engine.packet.MalformedPacketException.Reason.BAD_OPTION;

/**
 * A reusable cursor over TCP options (RFC 9293 §3.2): single-octet End of Option List and No
 * Operation, and kind-length-value options whose length counts kind and length octets.
 *
 * <pre>{@code
 * TcpOptions o = tcp.options();
 * while (o.next()) { if (o.kind() == TcpOptions.KIND_MSS) ... o.valueOffset() ... }
 * }</pre>
 */
public final class TcpOptions {
    public static final int KIND_END = 0;
    public static final int KIND_NOP = 1;
    public static final int KIND_MSS = 2;
    public static final int KIND_WINDOW_SCALE = 3;
    public static final int KIND_SACK_PERMITTED = 4;
    public static final int KIND_SACK = 5;
    public static final int KIND_TIMESTAMPS = 8;
    public static final int MSS_LENGTH = 4;

    private ByteBuf buf;
    private int position;
    private int end;
    private int current = -1;
    private int length;

    /** Rewinds the cursor over the options in {@code [start, end)}. */
    public TcpOptions wrap(ByteBuf buf, int start, int end) {
        this.buf = buf;
        this.position = start;
        this.end = end;
        this.current = -1;
        this.length = 0;
        return this;
    }

    /**
     * Moves to the next option.
     *
     * @return false at the end of the options area or at End of Option List
     * @throws MalformedPacketException if an option's length is below 2 or runs past the area
     */
    public boolean next() throws MalformedPacketException {
        if (position >= end) {
            return false;
        }
        int kind = buf.getUnsignedByte(position);
        if (kind == KIND_END) {
            position = end;
            return false;
        }
        int optionLength = 1;
        if (kind != KIND_NOP) {
            if (position + 2 > end) {
                throw new MalformedPacketException(BAD_OPTION, "TCP option " + kind + " without length");
            }
            optionLength = buf.getUnsignedByte(position + 1);
            if (optionLength < 2 || position + optionLength > end) {
                throw new MalformedPacketException(BAD_OPTION,
                        "TCP option " + kind + " length " + optionLength + " outside the options area");
            }
        }
        current = position;
        length = optionLength;
        position += optionLength;
        return true;
    }

    public int kind() { return buf.getUnsignedByte(current); }
    /** Total option length including kind and length octets (1 for NOP). */
    public int length() { return length; }
    /** Absolute index of the option's kind octet. */
    public int offset() { return current; }
    /** Absolute index of the option's value, past kind and length. */
    public int valueOffset() { return current + 2; }
}
