package io.pathsec.engine.ike.crypto;

import java.nio.ByteBuffer;

/** Concatenation of octet strings, the "|" of RFC 7296. */
final class KeyBytes {
    private KeyBytes() {
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }
}
