package io.pathsec.engine.pmtu.tcpmss;

/**
 * Why a TCP-MSS connection was refused or gave up. Every one is counted ({@link TcpMssStats});
 * none of them delays or harms the tunnel, which keeps the path MTU its other sources give.
 */
public enum TcpMssRejection {
    /** Shorter or longer than the message expected, a wrong magic, version, type or length, an absurd MSS. */
    MALFORMED,
    /** The HELLO names no IKE SA that is waiting for a TCP-MSS connection. */
    UNKNOWN_IKE_SA,
    /** The transcript MAC does not verify: a wrong key, or bytes changed in flight (a hijack). */
    BAD_MAC,
    /** The connection comes from an address that is not the IKE SA's peer. */
    UNEXPECTED_PEER,
    /** Too many TCP-MSS connections at once on the responder. */
    BUSY,
    /** The exchange did not finish within its time. */
    TIMEOUT,
    /** The other side closed before the exchange was complete. */
    CLOSED_EARLY,
    /** No connection: refused, unreachable, or no answer to the SYN (a blocked port). */
    UNREACHABLE,
    /** The responder could not listen, or a socket option could not be read or set. */
    LOCAL_ERROR
}
