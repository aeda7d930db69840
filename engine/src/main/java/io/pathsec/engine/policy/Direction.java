package io.pathsec.engine.policy;

/** The direction an SA carries traffic in; SAs are unidirectional (RFC 4301 §4.1). */
public enum Direction {
    INBOUND,
    OUTBOUND
}
