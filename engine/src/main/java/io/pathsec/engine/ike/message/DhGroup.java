package io.pathsec.engine.ike.message;

import java.util.Optional;

/** Transform IDs for Transform Type 4, Diffie-Hellman group (RFC 7296 §3.3.2, RFC 3526, RFC 5903, RFC 8031). */
public enum DhGroup {
    NONE(0),
    MODP_2048(14),
    ECP_256(19),
    ECP_384(20),
    CURVE25519(31);

    private final int value;

    DhGroup(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static Optional<DhGroup> fromValue(int value) {
        for (DhGroup v : values()) {
            if (v.value == value) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
