package io.pathsec.engine.pmtu;

/** Where a path MTU observation came from (DESIGN.md "Path MTU", the four sources plus configuration). */
public enum PmtuSource {
    /** Outer ICMP Fragmentation Needed / Packet Too Big, validated (RFC 1191, RFC 8201, RFC 4301 §8.2.2). */
    CLASSIC_ICMP,
    /** A packetization-layer probe confirmed a size (RFC 8899); plugged in by the IKE prober. */
    DPLPMTUD,
    /** The MSS a TCP connection between the gateways observed (the Openswan proposal). */
    TCP_MSS,
    /** Inner TCP retransmissions showed packets vanishing with no ICMP: fell to the base. */
    BLACK_HOLE,
    /** The configured maximum or fixed override, and optimistic raises back to it (RFC 8899 §5.1.1). */
    CONFIGURED
}
