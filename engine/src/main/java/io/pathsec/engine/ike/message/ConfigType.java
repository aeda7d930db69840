package io.pathsec.engine.ike.message;

import java.util.Optional;

/** CFG Type of the Configuration payload (RFC 7296 §3.15). */
public enum ConfigType {
    CFG_REQUEST(1),
    CFG_REPLY(2),
    CFG_SET(3),
    CFG_ACK(4);

    private final int value;

    ConfigType(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static Optional<ConfigType> fromValue(int value) {
        for (ConfigType v : values()) {
            if (v.value == value) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
