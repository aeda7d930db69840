package io.pathsec.engine.pmtu;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * What PMTU discovery needs to know of an outbound SA: its endpoints (to recognise our own
 * packets quoted in ICMP), the last sequence number it sent, and its PMTU state. The data path's
 * per-SA runtime implements it.
 */
public interface PmtuSaView {
    /** Our outer address and port; the address may be the wildcard when the socket is unbound. */
    InetSocketAddress localEndpoint();

    InetSocketAddress remoteEndpoint();

    /** ESP-in-UDP (RFC 3948) rather than raw ESP. */
    boolean udpEncapsulation();

    /** The last sequence number handed out, 0 before the first (RFC 4303 §3.3.3). */
    long lastSequenceNumber();

    PmtuState pmtu();

    /** Finds live outbound SAs by SPI, as the SAD does. */
    @FunctionalInterface
    interface Directory {
        /** The live outbound SA with this SPI, or null. */
        PmtuSaView outboundBySpi(int spi);

        /**
         * Every live outbound SA, to find the one whose DPLPMTUD probe an ICMP message quotes
         * (a probe is IKE, not ESP: no ESP SPI leads to it). None by default.
         */
        default List<? extends PmtuSaView> outboundSas() {
            return List.of();
        }
    }
}
