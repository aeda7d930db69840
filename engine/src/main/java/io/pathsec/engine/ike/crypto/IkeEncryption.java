package io.pathsec.engine.ike.crypto;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pathsec.engine.ike.message.EncryptionAlgorithm;
import io.pathsec.engine.ike.message.IkeHeader;
import io.pathsec.engine.ike.message.IkeMessage;
import io.pathsec.engine.ike.message.IkePayload;
import io.pathsec.engine.ike.message.IkeProtocolException;
import io.pathsec.engine.ike.message.IkeSkPayload;
import io.pathsec.engine.ike.message.IntegrityAlgorithm;
import io.pathsec.engine.ike.message.InvalidSyntaxException;
import io.pathsec.engine.ike.message.PayloadType;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

/**
 * Protection of one direction of an IKE SA: builds and opens SK payloads (RFC 7296 §3.14).
 * The plaintext is the inner payload chain, then padding, then the Pad Length octet.
 *
 * <p>The associated data is everything in the message before the SK body — the IKE header and
 * the SK generic header (RFC 5282 §5.1) — and, for the non-AEAD ciphers, the ICV covers that
 * same prefix plus IV and ciphertext (§3.14). Because SK is always the last payload, the
 * prefix is simply the datagram minus the SK body.
 */
public sealed interface IkeEncryption permits AeadIkeEncryption, CbcHmacIkeEncryption {

    /**
     * @param encryptionKey SK_e for this direction (salt included for AEAD)
     * @param integrityKey  SK_a for this direction, empty for AEAD
     * @param random        source of IVs
     */
    static IkeEncryption create(EncryptionAlgorithm encryption, int keyLengthBits, IntegrityAlgorithm integrity,
                                byte[] encryptionKey, byte[] integrityKey, SecureRandom random) {
        return switch (encryption) {
            case ENCR_AES_GCM_8, ENCR_AES_GCM_12, ENCR_AES_GCM_16, ENCR_CHACHA20_POLY1305 ->
                    new AeadIkeEncryption(encryption, encryptionKey, random);
            case ENCR_AES_CBC -> new CbcHmacIkeEncryption(integrity, encryptionKey, integrityKey, random);
            default -> throw new IllegalArgumentException(encryption + " is not offered for IKE");
        };
    }

    /** Length of SK_e in octets for a transform (salt included for AEAD, RFC 5282 §7.1, RFC 7634 §3). */
    static int encryptionKeyLength(EncryptionAlgorithm encryption, int keyLengthBits) {
        return switch (encryption) {
            case ENCR_AES_GCM_8, ENCR_AES_GCM_12, ENCR_AES_GCM_16 -> keyLengthBits / 8 + AeadIkeEncryption.SALT_LENGTH;
            case ENCR_CHACHA20_POLY1305 -> 32 + AeadIkeEncryption.SALT_LENGTH;
            case ENCR_AES_CBC -> keyLengthBits / 8;
            default -> throw new IllegalArgumentException(encryption + " is not offered for IKE");
        };
    }

    /** Length of SK_a in octets: the HMAC key equals the hash output (RFC 4868 §2.1.1), 0 for AEAD. */
    static int integrityKeyLength(IntegrityAlgorithm integrity) {
        return switch (integrity) {
            case NONE -> 0;
            case AUTH_HMAC_SHA1_96 -> 20;
            case AUTH_HMAC_SHA2_256_128 -> 32;
            case AUTH_HMAC_SHA2_384_192 -> 48;
            case AUTH_HMAC_SHA2_512_256 -> 64;
        };
    }

    int ivLength();

    int icvLength();

    /** Length of IV | ciphertext | ICV for a plaintext chain of the given length. */
    int sealedLength(int chainLength);

    /**
     * Encrypts {@code chain} (padding added here) and returns IV | ciphertext | ICV.
     *
     * @param associatedPrefix the message octets before the SK body, with final length fields
     */
    byte[] seal(byte[] associatedPrefix, byte[] chain);

    /** Verifies and decrypts IV | ciphertext | ICV and returns the chain with the padding removed. */
    byte[] open(byte[] associatedPrefix, byte[] sealed) throws IkeIntegrityException, InvalidSyntaxException;

    /** A whole message whose payloads are all inside one SK payload. */
    default byte[] encryptMessage(IkeHeader header, List<? extends IkePayload> innerPayloads) {
        byte[] chain = IkeMessage.encodeChain(innerPayloads);
        int first = innerPayloads.isEmpty() ? PayloadType.NO_NEXT_PAYLOAD.value() : innerPayloads.get(0).payloadType();
        int skLength = IkePayload.GENERIC_HEADER_LENGTH + sealedLength(chain.length);
        ByteBuf prefix = Unpooled.buffer(IkeHeader.LENGTH + IkePayload.GENERIC_HEADER_LENGTH);
        header.withChain(PayloadType.SK.value(), IkeHeader.LENGTH + skLength).encode(prefix);
        prefix.writeByte(first);
        prefix.writeByte(0);
        prefix.writeShort(skLength);
        byte[] prefixBytes = new byte[prefix.readableBytes()];
        prefix.readBytes(prefixBytes);
        return KeyBytes.concat(prefixBytes, seal(prefixBytes, chain));
    }

    /**
     * Decodes a datagram whose last payload is SK, verifies and decrypts it, and returns the
     * header with the inner payloads (cleartext payloads before SK, which RFC 7296 never sends,
     * are dropped).
     */
    default IkeMessage decryptMessage(byte[] datagram) throws IkeProtocolException, IkeIntegrityException {
        IkeMessage outer = IkeMessage.decode(datagram);
        List<IkePayload> payloads = outer.payloads();
        if (payloads.isEmpty() || !(payloads.get(payloads.size() - 1) instanceof IkeSkPayload sk)) {
            throw new InvalidSyntaxException("message has no SK payload");
        }
        byte[] body = sk.encryptedBody();
        if (body.length < ivLength() + icvLength()) {
            throw new InvalidSyntaxException("SK payload shorter than IV and ICV");
        }
        byte[] prefix = Arrays.copyOf(datagram, datagram.length - body.length);
        byte[] chain = open(prefix, body);
        return new IkeMessage(outer.header(), IkeMessage.decodeInnerPayloads(sk.firstInnerPayload(), chain));
    }
}
