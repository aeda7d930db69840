package io.pathsec.engine.packet;

import io.netty.buffer.ByteBuf;

import static io.pathsec.engine.packet.MalformedPacketException.Reason.TRUNCATED;

/** The bounds check every upper-layer view starts its validation with. */
final class L4Bounds {
    private L4Bounds() {
    }

    /**
     * Checks that {@code [offset, offset + segmentLength)} lies in the buffer's written bytes and
     * holds at least {@code minimum} bytes.
     */
    static void check(ByteBuf buf, int offset, int segmentLength, int minimum, String what)
            throws MalformedPacketException {
        if (offset < 0 || segmentLength < 0 || segmentLength > buf.writerIndex() - offset) {
            throw new MalformedPacketException(TRUNCATED,
                    what + " segment of " + segmentLength + " bytes runs past the buffer");
        }
        if (segmentLength < minimum) {
            throw new MalformedPacketException(TRUNCATED,
                    what + " header needs " + minimum + " bytes, " + segmentLength + " available");
        }
    }
}
