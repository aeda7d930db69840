package io.pathsec.engine.policy;

/** Where an SA stands against its lifetimes (RFC 4301 §4.4.2.1, "Lifetime of this SA"). */
public enum LifetimeState {
    /** Neither limit reached. */
    NONE,
    /** The soft limit is reached: time to rekey, the SA still carries traffic. */
    SOFT,
    /** The hard limit is reached: the SA must not be used any more and is deleted. */
    HARD
}
