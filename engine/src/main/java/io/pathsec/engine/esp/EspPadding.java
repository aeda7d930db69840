package io.pathsec.engine.esp;

import io.netty.buffer.ByteBuf;

/**
 * The Padding field of RFC 4303 §2.4: the monotonic sequence 1, 2, 3, … that brings the
 * encrypted part to the cipher's boundary. The receiver checks it after the ICV verified.
 */
final class EspPadding {
    /** The Pad Length field is one octet. */
    static final int MAX_LENGTH = 255;

    private EspPadding() {
    }

    /**
     * Octets of padding so that {@code unpadded} (payload, TFC padding, and the two trailer
     * octets) becomes a multiple of {@code boundary}, a power of two. Minimal padding: RFC 4303
     * §2.4 allows more, but more only costs MTU.
     */
    static int length(int unpadded, int boundary) {
        return -unpadded & (boundary - 1);
    }

    /** Writes 1, 2, … {@code length} at {@code index}. */
    static void write(ByteBuf buf, int index, int length) {
        for (int i = 0; i < length; i++) {
            buf.setByte(index + i, i + 1);
        }
    }

    /** True if the {@code length} octets at {@code index} are 1, 2, … (RFC 4303 §2.4). */
    static boolean isValid(ByteBuf buf, int index, int length) {
        int mismatch = 0;
        for (int i = 0; i < length; i++) {
            mismatch |= buf.getUnsignedByte(index + i) ^ (i + 1);
        }
        return mismatch == 0;
    }
}
