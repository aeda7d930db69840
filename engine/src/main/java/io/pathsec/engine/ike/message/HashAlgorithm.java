package io.pathsec.engine.ike.message;

import java.util.Optional;

/** Hash algorithm identifiers of SIGNATURE_HASH_ALGORITHMS (RFC 7427 §7, IANA registry). */
public enum HashAlgorithm {
    SHA1(1),
    SHA2_256(2),
    SHA2_384(3),
    SHA2_512(4),
    IDENTITY(5);

    private final int value;

    HashAlgorithm(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static Optional<HashAlgorithm> fromValue(int value) {
        for (HashAlgorithm v : values()) {
            if (v.value == value) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
