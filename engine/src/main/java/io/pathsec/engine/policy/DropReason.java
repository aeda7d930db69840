package io.pathsec.engine.policy;

/** Why a packet was dropped; each SA counts drops per reason for the status view. */
public enum DropReason {
    /** Sequence number already seen or left of the window (RFC 4303 §3.4.3). */
    REPLAY,
    /** Integrity check (ICV) failed (RFC 4303 §3.4.4). */
    AUTHENTICATION,
    /** Too short, bad padding, or otherwise not a valid ESP packet. */
    MALFORMED,
    /** Decrypted inner packet not allowed by the SA's selectors (RFC 4301 §5.2 step 4). */
    SELECTOR_MISMATCH,
    /** The SA reached a hard lifetime or ran out of sequence numbers. */
    LIFETIME_EXPIRED,
    /** No SA for the SPI (inbound) or for the SPD entry's binding (outbound). */
    NO_SA,
    /** The SPD said DISCARD. */
    POLICY_DISCARD,
    /** Larger than the SA's effective MTU with DF set (RFC 4301 §8.2.1). */
    TOO_BIG,
    /** A queue between pipeline stages was full. */
    QUEUE_FULL,
    /** A dummy packet, next header 59 (RFC 4303 §2.6): consumed, never delivered. */
    DUMMY,
    /** An ICMP error that fits no SA, not carried under the profile's ICMP option (docs/icmp.md). */
    ICMP_NOT_CARRIED,
    /**
     * An ICMP error refused by a check: its type/code is rejected (RFC 4301 §6.1), or the packet it
     * quotes never crossed an SA (RFC 4301 §6.2): forged, or not about tunnelled traffic.
     */
    ICMP_REJECTED
}
