package io.pathsec.engine.ike.session;

import java.net.InetSocketAddress;

/** Where a session's datagrams leave: UDP port 500, or port 4500 behind the non-ESP marker. */
public interface IkeTransport {
    /**
     * Sends one IKE message.
     *
     * @param natTraversal true to send from our port 4500 with the four-octet non-ESP marker in
     *                     front (RFC 3948 §2.2), false for plain IKE on port 500
     */
    void send(byte[] message, InetSocketAddress to, boolean natTraversal);

    /**
     * Sends one NAT-keepalive, the single octet 0xFF, from our port 4500 (RFC 3948 §2.3).
     * Transports without a port 4500 ignore it.
     */
    default void sendNatKeepalive(InetSocketAddress to) {
    }

    /**
     * Sends a DPLPMTUD probe: as {@link #send}, but with DF set and never fragmented by this host,
     * whatever MTU the kernel has cached for the route (IP_PMTUDISC_PROBE, RFC 8899 §4.4).
     */
    default void sendProbe(byte[] message, InetSocketAddress to, boolean natTraversal) {
        send(message, to, natTraversal);
    }
}
