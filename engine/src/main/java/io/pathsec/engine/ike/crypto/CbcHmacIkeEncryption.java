package io.pathsec.engine.ike.crypto;

import io.pathsec.engine.ike.message.IntegrityAlgorithm;
import io.pathsec.engine.ike.message.InvalidSyntaxException;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * AES-CBC with HMAC-SHA2 (RFC 7296 §3.14, RFC 4868): a random 16-octet IV, the plaintext
 * padded to the block size, and an ICV over the message from the IKE header to the end of the
 * ciphertext, truncated to half the hash (RFC 4868 §2.6). The ICV is checked before
 * decrypting, in constant time.
 */
public final class CbcHmacIkeEncryption implements IkeEncryption {
    private static final int BLOCK = 16;

    private final SecretKeySpec encryptionKey;
    private final SecretKeySpec integrityKey;
    private final String macName;
    private final int icvLength;
    private final SecureRandom random;

    CbcHmacIkeEncryption(IntegrityAlgorithm integrity, byte[] encryptionKey, byte[] integrityKey, SecureRandom random) {
        if (encryptionKey.length != 16 && encryptionKey.length != 24 && encryptionKey.length != 32) {
            throw new IllegalArgumentException("AES key of " + encryptionKey.length + " octets");
        }
        this.macName = switch (integrity) {
            case AUTH_HMAC_SHA2_256_128 -> "HmacSHA256";
            case AUTH_HMAC_SHA2_384_192 -> "HmacSHA384";
            case AUTH_HMAC_SHA2_512_256 -> "HmacSHA512";
            default -> throw new IllegalArgumentException(integrity + " is not offered for IKE");
        };
        this.icvLength = IkeEncryption.integrityKeyLength(integrity) / 2;
        if (integrityKey.length != IkeEncryption.integrityKeyLength(integrity)) {
            throw new IllegalArgumentException(integrity + " key of " + integrityKey.length + " octets");
        }
        this.encryptionKey = new SecretKeySpec(encryptionKey, "AES");
        this.integrityKey = new SecretKeySpec(integrityKey, macName);
        this.random = random;
    }

    @Override
    public int ivLength() {
        return BLOCK;
    }

    @Override
    public int icvLength() {
        return icvLength;
    }

    @Override
    public int sealedLength(int chainLength) {
        return BLOCK + paddedLength(chainLength) + icvLength;
    }

    private static int paddedLength(int chainLength) {
        return (chainLength + 1 + BLOCK - 1) / BLOCK * BLOCK;
    }

    @Override
    public byte[] seal(byte[] associatedPrefix, byte[] chain) {
        int padded = paddedLength(chain.length);
        byte[] plaintext = Arrays.copyOf(chain, padded); // zero padding octets
        plaintext[padded - 1] = (byte) (padded - chain.length - 1);
        byte[] iv = new byte[BLOCK];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, encryptionKey, new IvParameterSpec(iv));
            byte[] body = KeyBytes.concat(iv, cipher.doFinal(plaintext));
            return KeyBytes.concat(body, icv(associatedPrefix, body, body.length));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CBC encryption failed", e);
        }
    }

    @Override
    public byte[] open(byte[] associatedPrefix, byte[] sealed) throws IkeIntegrityException, InvalidSyntaxException {
        int cipherLength = sealed.length - BLOCK - icvLength;
        if (cipherLength <= 0 || cipherLength % BLOCK != 0) {
            throw new InvalidSyntaxException("SK ciphertext of " + cipherLength + " octets is not whole AES blocks");
        }
        byte[] expected = icv(associatedPrefix, sealed, sealed.length - icvLength);
        byte[] received = Arrays.copyOfRange(sealed, sealed.length - icvLength, sealed.length);
        if (!MessageDigest.isEqual(expected, received)) {
            throw new IkeIntegrityException("HMAC ICV mismatch");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, encryptionKey, new IvParameterSpec(sealed, 0, BLOCK));
            return stripPadding(cipher.doFinal(sealed, BLOCK, cipherLength));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CBC decryption failed", e);
        }
    }

    private byte[] icv(byte[] prefix, byte[] body, int bodyLength) {
        try {
            Mac mac = Mac.getInstance(macName);
            mac.init(integrityKey);
            mac.update(prefix);
            mac.update(body, 0, bodyLength);
            return Arrays.copyOf(mac.doFinal(), icvLength);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(macName + " unavailable", e);
        }
    }

    /** Removes Padding and the Pad Length octet (§3.14); a Pad Length beyond the data is INVALID_SYNTAX. */
    static byte[] stripPadding(byte[] plaintext) throws InvalidSyntaxException {
        if (plaintext.length == 0) {
            throw new InvalidSyntaxException("SK plaintext without Pad Length");
        }
        int padLength = plaintext[plaintext.length - 1] & 0xff;
        if (padLength + 1 > plaintext.length) {
            throw new InvalidSyntaxException("SK Pad Length " + padLength + " exceeds plaintext");
        }
        return Arrays.copyOf(plaintext, plaintext.length - 1 - padLength);
    }
}
