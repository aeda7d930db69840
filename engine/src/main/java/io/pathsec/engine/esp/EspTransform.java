package io.pathsec.engine.esp;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The ESP transforms PathSec speaks, with the sizes the codec and the PMTU arithmetic need.
 * Key material is taken from KEYMAT in the order of RFC 7296 §2.17: encryption key first, then
 * the salt (AEAD) or the integrity key (CBC + HMAC).
 */
public enum EspTransform {
    /** AES-GCM with a 16-octet ICV, RFC 4106; keymat = 16-octet key || 4-octet salt (§8.1). */
    AES_GCM_16_128("aes128gcm16", 16 + 4, 8, 16, 4),
    /** AES-GCM with a 16-octet ICV, RFC 4106; keymat = 32-octet key || 4-octet salt (§8.1). */
    AES_GCM_16_256("aes256gcm16", 32 + 4, 8, 16, 4),
    /** ChaCha20-Poly1305, RFC 7634; keymat = 32-octet key || 4-octet salt (§2). */
    CHACHA20_POLY1305("chacha20poly1305", 32 + 4, 8, 16, 4),
    /** AES-CBC-128 (RFC 3602) with HMAC-SHA-256-128 (RFC 4868); keymat = 16 + 32 octets. */
    AES_CBC_128_HMAC_SHA2_256_128("aes128-sha256", 16 + 32, 16, 16, 16),
    /** AES-CBC-256 (RFC 3602) with HMAC-SHA-256-128 (RFC 4868); keymat = 32 + 32 octets. */
    AES_CBC_256_HMAC_SHA2_256_128("aes256-sha256", 32 + 32, 16, 16, 16);

    private final String ikeName;
    private final int keyMaterialLength;
    private final int ivLength;
    private final int icvLength;
    private final int blockSize;

    EspTransform(String ikeName, int keyMaterialLength, int ivLength, int icvLength, int blockSize) {
        this.ikeName = ikeName;
        this.keyMaterialLength = keyMaterialLength;
        this.ivLength = ivLength;
        this.icvLength = icvLength;
        this.blockSize = blockSize;
    }

    /** Octets of KEYMAT this transform consumes per SA direction. */
    public int keyMaterialLength() {
        return keyMaterialLength;
    }

    /** Octets of IV sent in every packet: 8 for the AEADs (explicit IV), 16 for AES-CBC. */
    public int ivLength() {
        return ivLength;
    }

    /** Octets of Integrity Check Value at the end of every packet. */
    public int icvLength() {
        return icvLength;
    }

    /**
     * The boundary the encrypted part (payload, padding, pad length, next header) is padded to:
     * the cipher block for AES-CBC, 4 octets for the AEADs, which are stream modes and only need
     * the 32-bit alignment of RFC 4303 §2.4.
     */
    public int blockSize() {
        return blockSize;
    }

    /** The strongSwan-style proposal keyword, as in {@code esp=aes256gcm16}. */
    public String ikeName() {
        return ikeName;
    }

    boolean isAead() {
        return this == AES_GCM_16_128 || this == AES_GCM_16_256 || this == CHACHA20_POLY1305;
    }

    /**
     * Looks a transform up by its strongSwan-style name ({@code aes128gcm16}, {@code aes256gcm16},
     * {@code chacha20poly1305}, {@code aes128-sha256}, {@code aes256-sha256}) or its enum name,
     * ignoring case.
     *
     * @throws IllegalArgumentException naming the valid choices
     */
    public static EspTransform fromName(String name) {
        if (name != null) {
            String wanted = name.trim();
            for (EspTransform t : values()) {
                if (t.ikeName.equalsIgnoreCase(wanted) || t.name().equalsIgnoreCase(wanted)) {
                    return t;
                }
            }
        }
        String valid = Arrays.stream(values())
                .map(t -> t.ikeName + " (" + t.name() + ")")
                .collect(Collectors.joining(", "));
        throw new IllegalArgumentException(String.format(Locale.ROOT,
                "unknown ESP transform '%s'; valid names: %s", name, valid));
    }
}
