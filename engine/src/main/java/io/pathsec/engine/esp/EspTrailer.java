package io.pathsec.engine.esp;

import io.netty.buffer.ByteBuf;

/**
 * The two octets that end the encrypted part of every ESP packet (RFC 4303 §2.5, §2.6):
 * Pad Length, then Next Header.
 */
final class EspTrailer {
    static final int LENGTH = 2;
    /** Next header of a dummy packet (RFC 4303 §2.6): the receiver discards it. */
    static final int NEXT_HEADER_DUMMY = 59;
    static final int NEXT_HEADER_IPV4 = 4;
    static final int NEXT_HEADER_IPV6 = 41;

    private EspTrailer() {
    }

    static void write(ByteBuf buf, int index, int padLength, int nextHeader) {
        buf.setByte(index, padLength);
        buf.setByte(index + 1, nextHeader);
    }

    static int padLength(ByteBuf buf, int index) {
        return buf.getUnsignedByte(index);
    }

    static int nextHeader(ByteBuf buf, int index) {
        return buf.getUnsignedByte(index + 1);
    }

    /**
     * Whether the payload carries its own length, so TFC padding after it can be stripped by the
     * receiver (RFC 4303 §2.7): inner IPv4/IPv6 in tunnel mode, and dummy packets, which are
     * discarded whole.
     */
    static boolean allowsTfcPadding(int nextHeader) {
        return nextHeader == NEXT_HEADER_IPV4 || nextHeader == NEXT_HEADER_IPV6
                || nextHeader == NEXT_HEADER_DUMMY;
    }
}
