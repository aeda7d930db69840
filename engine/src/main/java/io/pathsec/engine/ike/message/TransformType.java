package io.pathsec.engine.ike.message;

import java.util.Optional;

/** Transform Type of an SA transform substructure (RFC 7296 §3.3.2). */
public enum TransformType {
    ENCR(1),
    PRF(2),
    INTEG(3),
    DH(4),
    ESN(5);

    private final int value;

    TransformType(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static Optional<TransformType> fromValue(int value) {
        for (TransformType v : values()) {
            if (v.value == value) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
