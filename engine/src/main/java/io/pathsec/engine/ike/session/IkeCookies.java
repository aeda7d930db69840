package io.pathsec.engine.ike.session;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;

/**
 * Stateless cookies against IKE_SA_INIT floods (RFC 7296 §2.6). The responder answers with
 * {@code Cookie = <VersionIDofSecret> | Hash(Ni | IPi | SPIi | <secret>)} and keeps nothing; only
 * an initiator that can receive at its claimed address can return it. The secret changes every
 * {@link #ROTATION}; cookies made with the previous one are still accepted, so a change does not
 * fail an exchange in progress.
 */
final class IkeCookies {
    /** §2.6 suggests regenerating the secret periodically; two minutes outlives any IKE_SA_INIT retry. */
    static final Duration ROTATION = Duration.ofMinutes(2);
    private static final int SECRET_LENGTH = 32;

    private final SecureRandom random;
    private byte[] secret;
    private byte[] previousSecret;
    private byte version;
    private Instant rotated;

    IkeCookies(SecureRandom random, Instant now) {
        this.random = random;
        this.secret = newSecret();
        this.rotated = now;
    }

    /** The cookie for this initiator (the data of the COOKIE notify). */
    byte[] cookie(byte[] ni, InetAddress initiator, long spiI, Instant now) {
        rotateIfDue(now);
        return make(version, secret, ni, initiator, spiI);
    }

    /** Whether {@code cookie} is one we made, with the current or the previous secret. */
    boolean verify(byte[] cookie, byte[] ni, InetAddress initiator, long spiI, Instant now) {
        rotateIfDue(now);
        if (cookie == null || cookie.length < 1) {
            return false;
        }
        if (cookie[0] == version) {
            return MessageDigest.isEqual(cookie, make(version, secret, ni, initiator, spiI));
        }
        byte previousVersion = (byte) (version - 1);
        return previousSecret != null && cookie[0] == previousVersion
                && MessageDigest.isEqual(cookie, make(previousVersion, previousSecret, ni, initiator, spiI));
    }

    private void rotateIfDue(Instant now) {
        if (Duration.between(rotated, now).compareTo(ROTATION) >= 0) {
            previousSecret = secret;
            secret = newSecret();
            version++;
            rotated = now;
        }
    }

    private byte[] newSecret() {
        byte[] s = new byte[SECRET_LENGTH];
        random.nextBytes(s);
        return s;
    }

    private static byte[] make(byte version, byte[] secret, byte[] ni, InetAddress initiator, long spiI) {
        try {
            // A keyed hash (HMAC-SHA-256) over Ni | IPi | SPIi stands in for Hash(... | secret).
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(ni);
            mac.update(initiator.getAddress());
            mac.update(ByteBuffer.allocate(8).putLong(spiI).array());
            byte[] hash = mac.doFinal();
            byte[] cookie = new byte[1 + hash.length];
            cookie[0] = version;
            System.arraycopy(hash, 0, cookie, 1, hash.length);
            return cookie;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
        }
    }
}
