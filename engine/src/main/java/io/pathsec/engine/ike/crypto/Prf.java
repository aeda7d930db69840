package io.pathsec.engine.ike.crypto;

import io.pathsec.engine.ike.message.PrfAlgorithm;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;

/**
 * The negotiated pseudorandom function (RFC 7296 §2.13) and prf+ built on it. Only the
 * HMAC-SHA2 family of RFC 4868 is offered: its output length is also its preferred key length,
 * which fixes the length of SKEYSEED, SK_d, SK_pi and SK_pr.
 */
public final class Prf {
    private final PrfAlgorithm algorithm;
    private final String jcaName;
    private final int outputLength;

    private Prf(PrfAlgorithm algorithm, String jcaName, int outputLength) {
        this.algorithm = algorithm;
        this.jcaName = jcaName;
        this.outputLength = outputLength;
    }

    public static Prf of(PrfAlgorithm algorithm) {
        return switch (algorithm) {
            case PRF_HMAC_SHA2_256 -> new Prf(algorithm, "HmacSHA256", 32);
            case PRF_HMAC_SHA2_384 -> new Prf(algorithm, "HmacSHA384", 48);
            case PRF_HMAC_SHA2_512 -> new Prf(algorithm, "HmacSHA512", 64);
            case PRF_HMAC_SHA1 -> throw new IllegalArgumentException("PRF_HMAC_SHA1 is not offered by PathSec");
        };
    }

    public PrfAlgorithm algorithm() {
        return algorithm;
    }

    /** Output length in octets; for HMAC-SHA2 also the preferred key length (RFC 4868 §2.1.2). */
    public int outputLength() {
        return outputLength;
    }

    /** prf(key, data[0] | data[1] | ...). */
    public byte[] compute(byte[] key, byte[]... data) {
        try {
            Mac mac = Mac.getInstance(jcaName);
            mac.init(new SecretKeySpec(key, jcaName));
            for (byte[] d : data) {
                mac.update(d);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(jcaName + " unavailable", e);
        }
    }

    /**
     * prf+ (RFC 7296 §2.13): T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n), output the first
     * {@code length} octets of T1 | T2 | ... The counter is one octet, so at most 255 blocks.
     */
    public byte[] prfPlus(byte[] key, byte[] seed, int length) {
        if (length > 255 * outputLength) {
            throw new IllegalArgumentException("prf+ cannot produce " + length + " octets");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + outputLength);
        byte[] t = new byte[0];
        for (int n = 1; out.size() < length; n++) {
            t = compute(key, t, seed, new byte[] {(byte) n});
            out.writeBytes(t);
        }
        byte[] all = out.toByteArray();
        return java.util.Arrays.copyOf(all, length);
    }
}
