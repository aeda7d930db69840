package io.pathsec.engine.datapath;

/** The data path's limits in one place (as wireguard-go's device/constants.go). */
final class TunnelLimits {
    /** Largest inner packet read from the TUN; the TUN MTU never exceeds it. */
    static final int MAX_INNER_PACKET = 9000;
    /** Packets in flight per direction (job pool size): bounds memory and queueing delay. */
    static final int IN_FLIGHT_PER_DIRECTION = 2048;
    /**
     * How long the UDP event loop waits for a free inbound job before it drops a packet; the
     * wait pushes back into the socket's receive buffer.
     */
    static final long INBOUND_WAIT_MILLIS = 2;
    /** Queue in front of the crypto workers, shared by both directions. */
    static final int WORKER_QUEUE = 2 * IN_FLIGHT_PER_DIRECTION;
    /**
     * Packets up to this size (inner packet outbound, ESP packet inbound) are encrypted or
     * decrypted by the producer itself when nothing else is in flight (OrderedLane#submit):
     * pings, TCP acknowledgments, DNS. Bulk segments are larger and keep the workers.
     */
    static final int INLINE_PACKET_BYTES = 320;
    /** RFC 4303 §3.4.3 asks for at least 32 and recommends 64; we keep 1024 by default. */
    static final int DEFAULT_REPLAY_WINDOW = 1024;

    private TunnelLimits() {
    }
}
