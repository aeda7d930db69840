package io.pathsec.engine.pmtu.tcpmss;

import io.pathsec.engine.ike.session.IkeSaExtensionKey;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The running transcript of one TCP-MSS exchange and its MAC. Each message ends with
 * HMAC-SHA-256(K, every earlier message | this message without its MAC), K the TCP-MSS key of the
 * IKE SA ({@link #KEY_LABEL}). So a message verifies only in its place in this very exchange: a
 * changed byte anywhere, a message replayed from another exchange (the responder's fresh
 * challenge is in the transcript) or a key other than the IKE SA's fails.
 */
final class TcpMssTranscript {
    /** The prf+ label of the key: prf+(SK_d, label | Ni | Nr) (IKE_AUTH's IKE SA, RFC 7296 §2.13). */
    static final byte[] KEY_LABEL = "PathSec TCP-MSS 1".getBytes(StandardCharsets.US_ASCII);
    /** HMAC-SHA-256 key length (RFC 4868 §2.1.2 preferred: the output length). */
    static final int KEY_LENGTH = 32;
    static final int MAC_LENGTH = 32;
    private static final String HMAC = "HmacSHA256";

    private final SecretKeySpec key;
    private final ByteArrayOutputStream transcript = new ByteArrayOutputStream(256);

    TcpMssTranscript(byte[] key) {
        if (key.length != KEY_LENGTH) {
            throw new IllegalArgumentException("TCP-MSS key must be " + KEY_LENGTH + " octets");
        }
        this.key = new SecretKeySpec(key, HMAC);
    }

    static TcpMssTranscript of(IkeSaExtensionKey key) {
        return new TcpMssTranscript(key.key());
    }

    /** {@code body} with its MAC appended; the whole message joins the transcript. */
    byte[] seal(byte[] body) {
        byte[] message = Arrays.copyOf(body, body.length + MAC_LENGTH);
        System.arraycopy(mac(body, body.length), 0, message, body.length, MAC_LENGTH);
        transcript.writeBytes(message);
        return message;
    }

    /** Checks a received message's MAC (constant time) and adds it to the transcript. */
    void open(byte[] message) throws TcpMssException {
        if (message.length < MAC_LENGTH) {
            throw new TcpMssException(TcpMssRejection.MALFORMED, "message shorter than its MAC");
        }
        int bodyLength = message.length - MAC_LENGTH;
        byte[] expected = mac(message, bodyLength);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(message, bodyLength, message.length))) {
            throw new TcpMssException(TcpMssRejection.BAD_MAC, "transcript MAC does not verify");
        }
        transcript.writeBytes(message);
    }

    private byte[] mac(byte[] body, int bodyLength) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            mac.update(transcript.toByteArray());
            mac.update(body, 0, bodyLength);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(HMAC + " is required of every JDK", e);
        }
    }
}
