package io.pathsec.engine.policy;

/** The IPsec protocol mode of an SA (RFC 4301 §4.1, SAD field of §4.4.2.1). */
public enum IpsecMode {
    /** An outer IP header wraps the whole inner packet; used between security gateways. */
    TUNNEL,
    /** ESP sits between the original IP header and its payload; host to host only. */
    TRANSPORT
}
