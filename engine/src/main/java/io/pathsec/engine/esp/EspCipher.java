package io.pathsec.engine.esp;

import java.nio.ByteBuffer;

/**
 * The cryptographic half of one SA direction, behind which AEAD and CBC + HMAC look alike.
 *
 * <p>Every method works on {@code packet}, a view of one whole ESP packet whose index 0 is the
 * SPI: SPI (4) · sequence number (4) · IV ({@link EspTransform#ivLength}) · encrypted part ·
 * ICV. Implementations may move the view's position and limit. Not thread-safe: each holds JCE
 * objects that are re-initialised for every packet.
 */
interface EspCipher {
    /** Offset of the IV in an ESP packet: after the SPI and the 32-bit sequence number. */
    int IV_OFFSET = 8;

    /** Writes the IV for the packet with sequence number {@code seq} at {@link #IV_OFFSET}. */
    void writeIv(ByteBuffer packet, long seq) throws EspException;

    /**
     * Encrypts, in place, the {@code plaintextLength} octets after the IV (payload, padding and
     * trailer, already written) and writes the ICV right after them. SPI, sequence number and
     * IV are already in place.
     *
     * @param seqHigh the high 32 bits of the 64-bit sequence number, authenticated (not sent)
     *     when the SA uses extended sequence numbers
     */
    void seal(ByteBuffer packet, int plaintextLength, int seqHigh) throws EspException;

    /**
     * Verifies the ICV that follows the {@code ciphertextLength} octets after the IV and, only
     * if it verifies, decrypts them in place.
     *
     * @throws EspException {@code AUTHENTICATION_FAILED} if the ICV does not verify,
     *     {@code MALFORMED} if the length cannot be a ciphertext of this cipher
     */
    void open(ByteBuffer packet, int ciphertextLength, int seqHigh) throws EspException;

    /** A view of {@code length} octets of {@code packet} from {@code offset}. */
    static ByteBuffer region(ByteBuffer packet, int offset, int length) {
        ByteBuffer view = packet.duplicate();
        view.limit(offset + length).position(offset);
        return view;
    }
}
