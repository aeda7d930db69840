package io.pathsec.engine.pmtu;

/**
 * Why an outer ICMP Fragmentation Needed / Packet Too Big was not used (RFC 4301 §6.1.1:
 * unauthenticated ICMP is checked before it changes anything; RFC 8201 §4, RFC 5927 §4). Each
 * is counted; none changes any state.
 */
public enum IcmpRejection {
    /** Too short, or a bad ICMPv4 checksum. */
    MALFORMED,
    /** The quoted packet stops before the SPI and sequence number. */
    TRUNCATED_QUOTE,
    /** The quoted packet is not ESP, ESP-in-UDP or IKE on UDP. */
    NOT_ESP,
    /**
     * No live outbound SA has the quoted SPI; for a quoted IKE message, no live IKE SA with those
     * SPIs has a DPLPMTUD probe in flight.
     */
    UNKNOWN_SPI,
    /** The quoted source or destination address is not the SA's. */
    WRONG_ADDRESS,
    /** The quoted UDP ports are not the SA's. */
    WRONG_PORT,
    /** The quoted sequence number is not one we sent recently. */
    STALE_SEQUENCE,
    /** No next-hop MTU in the message (a pre-RFC 1191 router). */
    NO_MTU,
    /** The reported MTU is below the configured floor (e.g. the 68 of a forgery). */
    BELOW_FLOOR,
    /** The reported MTU is not smaller than the quoted packet: it cannot have been too big. */
    IMPLAUSIBLE_MTU,
    /**
     * The quoted IKE message is on an IKE SA with a probe of ours in flight, but is not that probe
     * (another message ID or size): an old probe, or a guess.
     */
    NOT_A_PROBE,
    /** RFC 4301 §6.1.1: the profile's unprotected-side table rejects this ICMP type/code. */
    TYPE_REJECTED
}
