package io.pathsec.engine.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The ESP transforms a static configuration may name, with the length of their key material.
 * AEAD transforms take the cipher key followed by a 4-byte salt (RFC 4106 §8.1, RFC 7634 §4);
 * the AES-CBC + HMAC-SHA-256 pairs take the cipher key followed by a 32-byte integrity key
 * (RFC 4868 §2.1.1). The data path maps the name to its codec.
 */
public final class TransformKeyLengths {
    private static final Map<String, Integer> BYTES = new LinkedHashMap<>();

    static {
        BYTES.put("aes128gcm16", 16 + 4);
        BYTES.put("aes256gcm16", 32 + 4);
        BYTES.put("chacha20poly1305", 32 + 4);
        BYTES.put("aes128-sha256", 16 + 32);
        BYTES.put("aes256-sha256", 32 + 32);
    }

    private TransformKeyLengths() {
    }

    /** Key material length in bytes, or empty for an unknown transform. */
    public static OptionalInt keyBytes(String transform) {
        Integer bytes = BYTES.get(transform);
        return bytes == null ? OptionalInt.empty() : OptionalInt.of(bytes);
    }

    /** The known names, in a stable order. */
    public static Set<String> names() {
        return java.util.Collections.unmodifiableSet(BYTES.keySet());
    }
}
