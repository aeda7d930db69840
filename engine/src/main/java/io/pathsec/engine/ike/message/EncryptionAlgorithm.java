package io.pathsec.engine.ike.message;

import java.util.Optional;

/** Transform IDs for Transform Type 1, encryption (RFC 7296 §3.3.2, RFC 5282 for GCM, RFC 7634 for ChaCha20-Poly1305). */
public enum EncryptionAlgorithm {
    ENCR_3DES(3),
    ENCR_NULL(11),
    ENCR_AES_CBC(12),
    ENCR_AES_CTR(13),
    ENCR_AES_GCM_8(18),
    ENCR_AES_GCM_12(19),
    ENCR_AES_GCM_16(20),
    ENCR_CHACHA20_POLY1305(28);

    private final int value;

    EncryptionAlgorithm(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static Optional<EncryptionAlgorithm> fromValue(int value) {
        for (EncryptionAlgorithm v : values()) {
            if (v.value == value) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
