package io.pathsec.engine.esp;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;

/**
 * HMAC-SHA-256-128 (RFC 4868 §2.1): the JDK's HmacSHA256 with its 32-octet output truncated to
 * the leftmost 16 octets, keyed with a 32-octet key (RFC 4868 §2.1.1). Not thread-safe.
 */
final class TruncatedHmacSha256 {
    static final int KEY_LENGTH = 32;
    static final int ICV_LENGTH = 16;

    private final Mac mac;
    private final byte[] full = new byte[32];
    private final byte[] seqHigh = new byte[4];
    private final byte[] received = new byte[ICV_LENGTH];

    TruncatedHmacSha256(byte[] keyMaterial, int offset) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(keyMaterial, offset, KEY_LENGTH, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }

    /**
     * Computes the ICV over {@code data}'s remaining octets followed, with ESN, by the high 32
     * bits of the sequence number (RFC 4303 §3.3.2.1: appended for the ICV only, never sent),
     * and returns it in the first 16 octets of an internal array that the next call overwrites.
     */
    byte[] compute(ByteBuffer data, boolean appendSeqHigh, int high) {
        mac.update(data);
        if (appendSeqHigh) {
            seqHigh[0] = (byte) (high >>> 24);
            seqHigh[1] = (byte) (high >>> 16);
            seqHigh[2] = (byte) (high >>> 8);
            seqHigh[3] = (byte) high;
            mac.update(seqHigh);
        }
        try {
            mac.doFinal(full, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("32-octet buffer refused for HMAC-SHA-256", e);
        }
        return full;
    }

    /** Constant-time comparison of the computed ICV with the 16 octets of {@code icv}. */
    boolean verify(ByteBuffer data, boolean appendSeqHigh, int high, ByteBuffer icv) {
        icv.get(received);
        byte[] computed = compute(data, appendSeqHigh, high);
        int diff = 0;
        for (int i = 0; i < ICV_LENGTH; i++) {
            diff |= computed[i] ^ received[i];
        }
        return diff == 0;
    }

    /** For tests against RFC 4868 §2.7.2: the truncated ICV of {@code data}. */
    byte[] icv(byte[] data) {
        byte[] out = new byte[ICV_LENGTH];
        System.arraycopy(compute(ByteBuffer.wrap(data), false, 0), 0, out, 0, ICV_LENGTH);
        return out;
    }
}
