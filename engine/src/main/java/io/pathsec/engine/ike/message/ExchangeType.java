package io.pathsec.engine.ike.message;

import java.util.Optional;

/** Exchange Type field of the IKE header (RFC 7296 §3.1; IKE_INTERMEDIATE from RFC 9242). */
public enum ExchangeType {
    IKE_SA_INIT(34),
    IKE_AUTH(35),
    CREATE_CHILD_SA(36),
    INFORMATIONAL(37),
    IKE_SESSION_RESUME(38),
    IKE_INTERMEDIATE(43);

    private final int value;

    ExchangeType(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static Optional<ExchangeType> fromValue(int value) {
        for (ExchangeType t : values()) {
            if (t.value == value) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
