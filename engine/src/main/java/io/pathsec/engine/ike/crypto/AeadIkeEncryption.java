package io.pathsec.engine.ike.crypto;

import io.pathsec.engine.ike.message.EncryptionAlgorithm;
import io.pathsec.engine.ike.message.InvalidSyntaxException;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * AES-GCM with 8, 12 or 16 octet ICVs (RFC 5282) and ChaCha20-Poly1305 (RFC 7634) for SK
 * payloads. Nonce = 4-octet salt (the tail of SK_e) | 8-octet IV. The IV is a counter that
 * starts at a random value, so it never repeats under one key, which both RFCs require.
 * No padding is needed; the Pad Length octet is still present (RFC 5282 §3, RFC 7634 §4).
 */
public final class AeadIkeEncryption implements IkeEncryption {
    static final int SALT_LENGTH = 4;
    private static final int IV_LENGTH = 8;

    private final EncryptionAlgorithm algorithm;
    private final SecretKeySpec key;
    private final byte[] salt;
    private final int icvLength;
    private long nextIv;

    AeadIkeEncryption(EncryptionAlgorithm algorithm, byte[] keyWithSalt, SecureRandom random) {
        this.algorithm = algorithm;
        int keyLength = keyWithSalt.length - SALT_LENGTH;
        boolean chacha = algorithm == EncryptionAlgorithm.ENCR_CHACHA20_POLY1305;
        if (chacha ? keyLength != 32 : keyLength != 16 && keyLength != 24 && keyLength != 32) {
            throw new IllegalArgumentException(algorithm + " key of " + keyLength + " octets");
        }
        this.key = new SecretKeySpec(keyWithSalt, 0, keyLength, chacha ? "ChaCha20" : "AES");
        this.salt = Arrays.copyOfRange(keyWithSalt, keyLength, keyWithSalt.length);
        this.icvLength = switch (algorithm) {
            case ENCR_AES_GCM_8 -> 8;
            case ENCR_AES_GCM_12 -> 12;
            default -> 16;
        };
        byte[] start = new byte[IV_LENGTH];
        random.nextBytes(start);
        this.nextIv = ByteBuffer.wrap(start).getLong();
    }

    @Override
    public int ivLength() {
        return IV_LENGTH;
    }

    @Override
    public int icvLength() {
        return icvLength;
    }

    @Override
    public int sealedLength(int chainLength) {
        return IV_LENGTH + chainLength + 1 + icvLength;
    }

    @Override
    public synchronized byte[] seal(byte[] associatedPrefix, byte[] chain) {
        byte[] iv = ByteBuffer.allocate(IV_LENGTH).putLong(nextIv++).array();
        byte[] plaintext = Arrays.copyOf(chain, chain.length + 1); // Pad Length 0
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, iv);
            cipher.updateAAD(associatedPrefix);
            return KeyBytes.concat(iv, cipher.doFinal(plaintext));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " encryption failed", e);
        }
    }

    @Override
    public byte[] open(byte[] associatedPrefix, byte[] sealed) throws IkeIntegrityException, InvalidSyntaxException {
        if (sealed.length < IV_LENGTH + icvLength + 1) {
            throw new InvalidSyntaxException("SK body of " + sealed.length + " octets");
        }
        byte[] plaintext;
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(sealed, IV_LENGTH));
            cipher.updateAAD(associatedPrefix);
            plaintext = cipher.doFinal(sealed, IV_LENGTH, sealed.length - IV_LENGTH);
        } catch (AEADBadTagException e) {
            throw new IkeIntegrityException(algorithm + " ICV mismatch");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " decryption failed", e);
        }
        return CbcHmacIkeEncryption.stripPadding(plaintext);
    }

    private Cipher cipher(int mode, byte[] iv) throws GeneralSecurityException {
        byte[] nonce = KeyBytes.concat(salt, iv);
        if (algorithm == EncryptionAlgorithm.ENCR_CHACHA20_POLY1305) {
            Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
            c.init(mode, key, new IvParameterSpec(nonce));
            return c;
        }
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, key, new GCMParameterSpec(icvLength * 8, nonce));
        return c;
    }
}
