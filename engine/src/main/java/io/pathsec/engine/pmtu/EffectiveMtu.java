package io.pathsec.engine.pmtu;

import java.util.function.IntUnaryOperator;

/**
 * The arithmetic of DESIGN.md "Path MTU": the largest inner packet whose ESP packet fits a
 * PLPMTU, {@code PMTU − outer IP − UDP − ESP header − IV − padding/trailer − ICV}. Padding
 * depends on the payload length, so the answer is searched rather than subtracted.
 *
 * <p>Tunnel mode (RFC 4303 §3.1.2) carries the whole inner packet behind a new outer header;
 * transport mode (§3.1.1) keeps the inner header as the outer one and encrypts what follows it.
 */
public final class EffectiveMtu {
    public static final int IPV4_HEADER = 20;
    public static final int IPV6_HEADER = 40;
    /** RFC 3948 §2.1: ESP-in-UDP adds a UDP header. */
    public static final int UDP_HEADER = 8;

    private final int fixedOuter;
    private final int strippedHeader;
    private final IntUnaryOperator espOverhead;

    /**
     * @param espOverhead octets ESP adds to a payload of a given length (EspCodec::overhead)
     */
    public EffectiveMtu(boolean outerIpv6, boolean udpEncapsulation, boolean tunnelMode, IntUnaryOperator espOverhead) {
        int ip = outerIpv6 ? IPV6_HEADER : IPV4_HEADER;
        int udp = udpEncapsulation ? UDP_HEADER : 0;
        this.fixedOuter = tunnelMode ? ip + udp : udp;
        this.strippedHeader = tunnelMode ? 0 : ip;
        this.espOverhead = espOverhead;
    }

    /** Outer packet size for an inner packet of {@code innerLength} octets. */
    public int outerLength(int innerLength) {
        int payload = innerLength - strippedHeader;
        return fixedOuter + innerLength + espOverhead.applyAsInt(payload);
    }

    /** The largest inner packet that fits {@code plpmtu}, or 0 if none does. */
    public int innerMtu(int plpmtu) {
        // Walk down from an upper bound (no ESP at all): ESP adds a few dozen octets, so this
        // runs a few dozen times, and only when the PLPMTU changes.
        int inner = plpmtu - fixedOuter;
        for (int i = 0; i < 4096 && inner > strippedHeader; i++, inner--) {
            if (outerLength(inner) <= plpmtu) {
                return inner;
            }
        }
        return 0;
    }
}
