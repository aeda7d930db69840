package io.pathsec.engine.ike.crypto;

import java.security.SecureRandom;
import java.util.HexFormat;

/** A SecureRandom that replays given octets (then zeros), for deterministic keys and IVs. */
final class FixedRandom extends SecureRandom {
    private final byte[] data;
    private int position;

    FixedRandom(String hex) {
        this.data = HexFormat.of().parseHex(hex);
    }

    @Override
    public void nextBytes(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = position < data.length ? data[position++] : 0;
        }
    }
}
