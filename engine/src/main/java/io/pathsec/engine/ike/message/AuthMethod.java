package io.pathsec.engine.ike.message;

import java.util.Optional;

/** Auth Method of the AUTH payload (RFC 7296 §3.8; ECDSA from RFC 4754; Digital Signature from RFC 7427). */
public enum AuthMethod {
    RSA_DIGITAL_SIGNATURE(1),
    SHARED_KEY_MIC(2),
    DSS_DIGITAL_SIGNATURE(3),
    ECDSA_SHA256_P256(9),
    ECDSA_SHA384_P384(10),
    ECDSA_SHA512_P521(11),
    DIGITAL_SIGNATURE(14);

    private final int value;

    AuthMethod(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static Optional<AuthMethod> fromValue(int value) {
        for (AuthMethod v : values()) {
            if (v.value == value) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
