package io.pathsec.engine.ike.message;

import java.util.Optional;

/** Transform IDs for Transform Type 2, pseudorandom function (RFC 7296 §3.3.2, RFC 4868). */
public enum PrfAlgorithm {
    PRF_HMAC_SHA1(2),
    PRF_HMAC_SHA2_256(5),
    PRF_HMAC_SHA2_384(6),
    PRF_HMAC_SHA2_512(7);

    private final int value;

    PrfAlgorithm(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static Optional<PrfAlgorithm> fromValue(int value) {
        for (PrfAlgorithm v : values()) {
            if (v.value == value) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
