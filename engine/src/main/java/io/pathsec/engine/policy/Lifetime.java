package io.pathsec.engine.policy;

/**
 * One SA lifetime limit (RFC 4301 §4.4.2.1): bytes, packets and seconds since creation. A value
 * of 0 means "no limit" for that measure, as in Linux XFRM; the limit is reached when any
 * bounded measure reaches its value.
 */
public record Lifetime(long bytes, long packets, long seconds) {
    public static final Lifetime UNLIMITED = new Lifetime(0, 0, 0);

    public Lifetime {
        if (bytes < 0 || packets < 0 || seconds < 0) {
            throw new IllegalArgumentException("lifetime limits must be >= 0 (0 = unlimited)");
        }
    }

    public static Lifetime ofSeconds(long seconds) {
        return new Lifetime(0, 0, seconds);
    }

    /** True when any bounded measure has reached its limit. */
    public boolean reached(long usedBytes, long usedPackets, long ageSeconds) {
        return (bytes > 0 && usedBytes >= bytes)
                || (packets > 0 && usedPackets >= packets)
                || (seconds > 0 && ageSeconds >= seconds);
    }

    public boolean isUnlimited() {
        return bytes == 0 && packets == 0 && seconds == 0;
    }
}
