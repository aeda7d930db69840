package io.pathsec.engine.ike.crypto;

import java.nio.ByteBuffer;

/**
 * The seven keys of an IKE SA (RFC 7296 §2.14), in the order prf+ produces them. For AEAD
 * ciphers SK_ai/SK_ar are empty and SK_ei/SK_er include the salt (RFC 5282 §7.1, RFC 7634 §3).
 */
public record IkeKeyMaterial(byte[] skD, byte[] skAi, byte[] skAr, byte[] skEi, byte[] skEr, byte[] skPi, byte[] skPr) {

    /** SKEYSEED = prf(Ni | Nr, g^ir) for a new IKE SA (§2.14). */
    public static byte[] skeyseed(Prf prf, byte[] ni, byte[] nr, byte[] sharedSecret) {
        return prf.compute(KeyBytes.concat(ni, nr), sharedSecret);
    }

    /** SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr) when an IKE SA is rekeyed (§2.18). */
    public static byte[] rekeyedSkeyseed(Prf prf, byte[] oldSkD, byte[] newSharedSecret, byte[] ni, byte[] nr) {
        return prf.compute(oldSkD, newSharedSecret, ni, nr);
    }

    /**
     * {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr} = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr).
     * SK_d, SK_pi and SK_pr take the PRF's preferred key length (§2.14).
     *
     * @param integKeyLength integrity key length in octets, 0 for AEAD
     * @param encrKeyLength  encryption key length in octets, salt included for AEAD
     */
    public static IkeKeyMaterial derive(Prf prf, byte[] skeyseed, byte[] ni, byte[] nr, long spiI, long spiR,
                                        int integKeyLength, int encrKeyLength) {
        int p = prf.outputLength();
        byte[] seed = KeyBytes.concat(ni, nr, ByteBuffer.allocate(16).putLong(spiI).putLong(spiR).array());
        ByteBuffer keys = ByteBuffer.wrap(prf.prfPlus(skeyseed, seed, 3 * p + 2 * integKeyLength + 2 * encrKeyLength));
        return new IkeKeyMaterial(take(keys, p), take(keys, integKeyLength), take(keys, integKeyLength),
                take(keys, encrKeyLength), take(keys, encrKeyLength), take(keys, p), take(keys, p));
    }

    /**
     * KEYMAT = prf+(SK_d, Ni | Nr), or prf+(SK_d, g^ir (new) | Ni | Nr) when the CREATE_CHILD_SA
     * exchange carried a KE payload (§2.17). The caller splits it: for each direction encryption
     * key then integrity key, initiator-to-responder first.
     *
     * @param newSharedSecret null without PFS
     */
    public static byte[] childKeymat(Prf prf, byte[] skD, byte[] newSharedSecret, byte[] ni, byte[] nr, int length) {
        byte[] seed = newSharedSecret == null ? KeyBytes.concat(ni, nr) : KeyBytes.concat(newSharedSecret, ni, nr);
        return prf.prfPlus(skD, seed, length);
    }

    /**
     * Key material for one of PathSec's own extensions, bound to an IKE SA: prf+(SK_d, label | Ni
     * | Nr). It is built like KEYMAT (§2.17) with a label in front of the seed, so it never equals
     * a CHILD_SA's keys, and a distinct label per extension keeps their keys apart.
     */
    public static byte[] extensionKey(Prf prf, byte[] skD, byte[] label, byte[] ni, byte[] nr, int length) {
        return prf.prfPlus(skD, KeyBytes.concat(label, ni, nr), length);
    }

    private static byte[] take(ByteBuffer from, int n) {
        byte[] out = new byte[n];
        from.get(out);
        return out;
    }
}
