package io.pathsec.engine.policy;

/** What the SPD says to do with a packet (RFC 4301 §4.4.1): the three processing choices. */
public enum PolicyAction {
    /** Apply IPsec: send through (or expect from) the SA the entry is bound to. */
    PROTECT,
    /** Pass in the clear, bypassing IPsec. */
    BYPASS,
    /** Drop the packet. */
    DISCARD
}
