package io.pathsec.engine.ike.message;

import java.util.Optional;

/** TS Type of a traffic selector (RFC 7296 §3.13.1). */
public enum TsType {
    TS_IPV4_ADDR_RANGE(7),
    TS_IPV6_ADDR_RANGE(8);

    private final int value;

    TsType(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static Optional<TsType> fromValue(int value) {
        for (TsType v : values()) {
            if (v.value == value) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
