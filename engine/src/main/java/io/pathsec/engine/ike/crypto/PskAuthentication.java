package io.pathsec.engine.ike.crypto;

import io.pathsec.engine.ike.message.IkeIdPayload;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Shared Key Message Integrity Code authentication (RFC 7296 §2.15). Each side signs its own
 * first message, the peer's nonce and a MAC of its own identity:
 * <pre>
 *   InitiatorSignedOctets = RealMessage1 | NonceRData | prf(SK_pi, RestOfInitIDPayload)
 *   ResponderSignedOctets = RealMessage2 | NonceIData | prf(SK_pr, RestOfRespIDPayload)
 *   AUTH = prf(prf(Shared Secret, "Key Pad for IKEv2"), SignedOctets)
 * </pre>
 */
public final class PskAuthentication {
    /** The 17 ASCII octets of §2.15, without a terminating NUL. */
    private static final byte[] KEY_PAD = "Key Pad for IKEv2".getBytes(StandardCharsets.US_ASCII);

    private PskAuthentication() {
    }

    /**
     * @param realMessage the signer's own IKE_SA_INIT message, as sent
     * @param peerNonce   the Nonce Data of the other side
     * @param skP         SK_pi when the initiator signs, SK_pr for the responder
     * @param signerId    the signer's IDi or IDr payload
     */
    public static byte[] signedOctets(Prf prf, byte[] realMessage, byte[] peerNonce, byte[] skP, IkeIdPayload signerId) {
        return KeyBytes.concat(realMessage, peerNonce, prf.compute(skP, signerId.restOfIdPayload()));
    }

    public static byte[] authData(Prf prf, byte[] sharedSecret, byte[] signedOctets) {
        return prf.compute(prf.compute(sharedSecret, KEY_PAD), signedOctets);
    }

    /** Constant-time comparison of received AUTH data with the expected value. */
    public static boolean verify(Prf prf, byte[] sharedSecret, byte[] signedOctets, byte[] receivedAuthData) {
        return MessageDigest.isEqual(authData(prf, sharedSecret, signedOctets), receivedAuthData);
    }
}
