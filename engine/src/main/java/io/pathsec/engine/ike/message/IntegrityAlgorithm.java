package io.pathsec.engine.ike.message;

import java.util.Optional;

/** Transform IDs for Transform Type 3, integrity (RFC 7296 §3.3.2, RFC 4868). */
public enum IntegrityAlgorithm {
    NONE(0),
    AUTH_HMAC_SHA1_96(2),
    AUTH_HMAC_SHA2_256_128(12),
    AUTH_HMAC_SHA2_384_192(13),
    AUTH_HMAC_SHA2_512_256(14);

    private final int value;

    IntegrityAlgorithm(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static Optional<IntegrityAlgorithm> fromValue(int value) {
        for (IntegrityAlgorithm v : values()) {
            if (v.value == value) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
