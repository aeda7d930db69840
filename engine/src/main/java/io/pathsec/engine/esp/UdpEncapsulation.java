package io.pathsec.engine.esp;

import io.netty.buffer.ByteBuf;

/**
 * Tells apart what arrives on UDP port 4500 (RFC 3948): NAT keepalives, IKE behind the non-ESP
 * marker, and ESP. All methods look at the readable bytes and consume nothing.
 */
public final class UdpEncapsulation {
    /** The NAT-T port shared by IKE and ESP-in-UDP (RFC 3948 §2, RFC 7296 §2.23). */
    public static final int PORT = 4500;

    private UdpEncapsulation() {
    }

    /** A NAT-keepalive: exactly one octet, 0xFF (RFC 3948 §2.3). Receivers ignore it. */
    public static boolean isNatKeepalive(ByteBuf udpPayload) {
        return udpPayload.readableBytes() == 1
                && udpPayload.getUnsignedByte(udpPayload.readerIndex()) == 0xFF;
    }

    /**
     * IKE: the four-octet non-ESP marker of zeros (RFC 3948 §2.2), which sits where an ESP
     * packet has its SPI; SPI 0 is reserved (RFC 4303 §2.1), so the two never collide. The
     * caller strips the marker before handing the rest to the IKE decoder.
     */
    public static boolean isIke(ByteBuf udpPayload) {
        return udpPayload.readableBytes() >= 4 && udpPayload.getInt(udpPayload.readerIndex()) == 0;
    }

    /** ESP: at least SPI and sequence number (8 octets) and a non-zero SPI (RFC 3948 §2.1). */
    public static boolean isEsp(ByteBuf udpPayload) {
        return udpPayload.readableBytes() >= 8 && udpPayload.getInt(udpPayload.readerIndex()) != 0;
    }
}
