package io.pathsec.engine.esp;

import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Builds and opens ESP packets (RFC 4303) in place in a {@link ByteBuf}, for one SA direction.
 *
 * <p>Outbound, the readable bytes of the buffer are the payload (the inner IP packet in tunnel
 * mode); {@link #encrypt} writes SPI, sequence number and IV into the headroom before it and
 * TFC padding, padding, trailer and ICV into the tailroom after it, and leaves the whole ESP
 * packet readable:
 * <pre>
 *  headroom()                              tailroom(len)
 * |SPI|seq|IV|payload ......|TFC|pad|padlen|nh|ICV|
 *             ^ readerIndex before   ^ writerIndex before
 * </pre>
 * Inbound, {@link #decrypt} reverses it and leaves the payload readable. Nothing is copied
 * except when the buffer is composite (more than one NIO buffer), where a per-codec scratch
 * array is used.
 *
 * <p>One instance per thread per SA direction: it holds JDK {@code Cipher}/{@code Mac}
 * instances, which are re-initialised per packet, and is <strong>not thread-safe</strong>.
 *
 * <p>Sequence numbers are always the full 64-bit value. With extended sequence numbers (ESN,
 * RFC 4303 §2.2.1), the default of the short factories, only the low 32 bits are sent and the
 * high 32 are authenticated (AAD for the AEADs, appended for HMAC). An SA negotiated without
 * ESN — strongSwan's default — must use the factories that take {@code
 * extendedSequenceNumbers = false}, or no packet will authenticate at the peer.
 */
public final class EspCodec {
    private static final int HEADER_LENGTH = 8;

    /** Octets any transform needs before the payload: SPI, sequence number, 16-octet CBC IV. */
    public static final int MAX_HEADROOM = HEADER_LENGTH + 16;

    /**
     * Octets any transform needs after the payload without TFC padding: up to 15 octets of CBC
     * padding, pad length, next header, 16-octet ICV. With TFC padding ({@code tfcPadTo > 0}) an
     * outbound codec also needs {@code max(0, tfcPadTo - payloadLength)}: ask {@link
     * #tailroom(int)}; a buffer with {@code tfcPadTo + MAX_TAILROOM} octets after the start of
     * the payload always suffices.
     */
    public static final int MAX_TAILROOM = 15 + EspTrailer.LENGTH + 16;

    private final EspTransform transform;
    private final EspCipher cipher;
    private final int spi;
    private final int tfcPadTo;
    private final boolean outbound;
    private byte[] scratch = new byte[0];

    private EspCodec(EspTransform transform, byte[] keyMaterial, int spi, int tfcPadTo, boolean outbound,
                     boolean extendedSequenceNumbers) {
        this.transform = Objects.requireNonNull(transform, "transform");
        Objects.requireNonNull(keyMaterial, "keyMaterial");
        if (keyMaterial.length != transform.keyMaterialLength()) {
            throw new IllegalArgumentException(transform.ikeName() + " needs " + transform.keyMaterialLength()
                    + " octets of key material, got " + keyMaterial.length);
        }
        if (tfcPadTo < 0) {
            throw new IllegalArgumentException("tfcPadTo must be >= 0, got " + tfcPadTo);
        }
        this.spi = spi;
        this.tfcPadTo = tfcPadTo;
        this.outbound = outbound;
        this.cipher = newCipher(transform, keyMaterial, extendedSequenceNumbers);
    }

    private static EspCipher newCipher(EspTransform t, byte[] keyMaterial, boolean esn) {
        switch (t) {
            case AES_GCM_16_128:
            case AES_GCM_16_256:
                return AeadEspCipher.aesGcm(keyMaterial, esn);
            case CHACHA20_POLY1305:
                return AeadEspCipher.chaCha20Poly1305(keyMaterial, esn);
            case AES_CBC_128_HMAC_SHA2_256_128:
                return new CbcHmacEspCipher(keyMaterial, 16, esn);
            case AES_CBC_256_HMAC_SHA2_256_128:
                return new CbcHmacEspCipher(keyMaterial, 32, esn);
            default:
                throw new IllegalArgumentException("unsupported transform " + t);
        }
    }

    /** An outbound codec for an SA with extended sequence numbers. */
    public static EspCodec outbound(EspTransform t, byte[] keyMaterial, int spi, int tfcPadTo) {
        return outbound(t, keyMaterial, spi, tfcPadTo, true);
    }

    /**
     * An outbound codec.
     *
     * @param tfcPadTo 0 for no TFC padding, else the length tunnel-mode payloads (next header 4,
     *     41, 59) are padded to before ESP padding (RFC 4303 §2.7)
     * @param extendedSequenceNumbers whether IKE negotiated ESN (transform type 5, RFC 7296 §3.3.2)
     */
    public static EspCodec outbound(EspTransform t, byte[] keyMaterial, int spi, int tfcPadTo,
                                    boolean extendedSequenceNumbers) {
        return new EspCodec(t, keyMaterial, spi, tfcPadTo, true, extendedSequenceNumbers);
    }

    /** An inbound codec for an SA with extended sequence numbers. */
    public static EspCodec inbound(EspTransform t, byte[] keyMaterial, int spi) {
        return inbound(t, keyMaterial, spi, true);
    }

    /** An inbound codec; {@code extendedSequenceNumbers} as negotiated by IKE. */
    public static EspCodec inbound(EspTransform t, byte[] keyMaterial, int spi, boolean extendedSequenceNumbers) {
        return new EspCodec(t, keyMaterial, spi, 0, false, extendedSequenceNumbers);
    }

    public EspTransform transform() {
        return transform;
    }

    /** Octets needed before the payload: SPI, sequence number, IV. */
    public int headroom() {
        return HEADER_LENGTH + transform.ivLength();
    }

    /**
     * Octets needed after a payload of {@code payloadLength}: TFC padding (assuming a tunnel-mode
     * payload, so an upper bound otherwise), padding, trailer, ICV.
     */
    public int tailroom(int payloadLength) {
        int tfc = tfcPadding(payloadLength);
        int unpadded = payloadLength + tfc + EspTrailer.LENGTH;
        return tfc + EspPadding.length(unpadded, transform.blockSize()) + EspTrailer.LENGTH + transform.icvLength();
    }

    /**
     * Total octets ESP adds to a payload: header, IV, TFC padding, padding, trailer, ICV. This is
     * what the PMTU arithmetic of DESIGN.md subtracts (plus outer IP and UDP).
     */
    public int overhead(int payloadLength) {
        return headroom() + tailroom(payloadLength);
    }

    private int tfcPadding(int payloadLength) {
        return Math.max(0, tfcPadTo - payloadLength);
    }

    /**
     * Turns the readable payload into a whole ESP packet, in place.
     *
     * @param buf readable bytes = payload, with {@link #headroom()} octets before the reader
     *     index (their content is overwritten) and room for {@link #tailroom(int)} after the
     *     writer index (the buffer is asked to grow if it lacks it)
     * @param nextHeader 4 IPv4 / 41 IPv6 (tunnel mode), 59 dummy, or the transport protocol
     * @param seq the full 64-bit sequence number; must never repeat under one SA
     * @throws IllegalArgumentException if there is not enough headroom, or the buffer is read-only
     * @throws EspException {@code CIPHER_FAILURE} if the JCE refuses (such as a repeated nonce)
     */
    public void encrypt(ByteBuf buf, int nextHeader, long seq) throws EspException {
        encrypt(buf, nextHeader, seq, null);
    }

    /** As {@link #encrypt(ByteBuf, int, long)} with a given IV: for known-answer tests only. */
    void encrypt(ByteBuf buf, int nextHeader, long seq, byte[] explicitIv) throws EspException {
        if (!outbound) {
            throw new IllegalStateException("encrypt on an inbound codec");
        }
        if (nextHeader < 0 || nextHeader > 255) {
            throw new IllegalArgumentException("next header must be 0..255, got " + nextHeader);
        }
        int payloadLength = buf.readableBytes();
        int start = buf.readerIndex() - headroom();
        if (start < 0) {
            throw new IllegalArgumentException("ESP needs " + headroom() + " octets of headroom, buffer has "
                    + buf.readerIndex());
        }
        if (buf.isReadOnly()) {
            throw new IllegalArgumentException("ESP encrypts in place and cannot use a read-only buffer");
        }
        int tfc = EspTrailer.allowsTfcPadding(nextHeader) ? tfcPadding(payloadLength) : 0;
        int unpadded = payloadLength + tfc + EspTrailer.LENGTH;
        int padLength = EspPadding.length(unpadded, transform.blockSize());
        int plaintextLength = unpadded + padLength;
        int total = headroom() + plaintextLength + transform.icvLength();
        buf.ensureWritable(total - headroom() - payloadLength);

        int index = buf.writerIndex();
        buf.setZero(index, tfc);
        index += tfc;
        EspPadding.write(buf, index, padLength);
        EspTrailer.write(buf, index + padLength, padLength, nextHeader);
        buf.setInt(start, spi);
        buf.setInt(start + 4, (int) seq);

        ByteBuffer packet = view(buf, start, total, headroom() + plaintextLength);
        if (explicitIv == null) {
            cipher.writeIv(packet, seq);
        } else {
            packet.put(EspCipher.IV_OFFSET, explicitIv, 0, transform.ivLength());
        }
        cipher.seal(packet, plaintextLength, (int) (seq >>> 32));
        writeBack(buf, start, total, packet);
        buf.setIndex(start, start + total);
    }

    /**
     * Verifies and decrypts the readable ESP packet in place.
     *
     * <p>The caller drops packets whose next header is 59: they are dummy packets (RFC 4303
     * §2.6), sent for traffic-flow confidentiality or as PathSec's PMTU probes. TFC padding is
     * not stripped: the payload's own length (inner IP header) tells where it ends (§2.7).
     *
     * @param seq the full 64-bit sequence number that {@link ReplayWindow#check} inferred for
     *     this packet; its low 32 bits must match the packet's
     * @return the next header; readable bytes = the payload
     * @throws EspException {@code MALFORMED} (too short, sequence number not the packet's, bad
     *     length), {@code AUTHENTICATION_FAILED} (the buffer is then unspecified), {@code
     *     BAD_PADDING}, or {@code CIPHER_FAILURE}; never an unchecked exception for any content
     */
    public int decrypt(ByteBuf buf, long seq) throws EspException {
        if (outbound) {
            throw new IllegalStateException("decrypt on an outbound codec");
        }
        int start = buf.readerIndex();
        int total = buf.readableBytes();
        int headroom = headroom();
        int icv = transform.icvLength();
        if (total < headroom + EspTrailer.LENGTH + icv) {
            throw new EspException(EspException.Reason.MALFORMED,
                    "ESP packet of " + total + " octets is too short for " + transform.ikeName());
        }
        // A foreign SPI is not rejected here: it is authenticated, so the ICV check catches it.
        if (buf.getInt(start + 4) != (int) seq) {
            throw new EspException(EspException.Reason.MALFORMED,
                    "sequence number does not match the one inferred for this packet");
        }
        if (buf.isReadOnly()) {
            throw new IllegalArgumentException("ESP decrypts in place and cannot use a read-only buffer");
        }
        int ciphertextLength = total - headroom - icv;
        ByteBuffer packet = view(buf, start, total, total);
        cipher.open(packet, ciphertextLength, (int) (seq >>> 32));
        writeBack(buf, start, headroom + ciphertextLength, packet);

        int trailer = start + headroom + ciphertextLength - EspTrailer.LENGTH;
        int padLength = EspTrailer.padLength(buf, trailer);
        int nextHeader = EspTrailer.nextHeader(buf, trailer);
        int payloadLength = ciphertextLength - EspTrailer.LENGTH - padLength;
        if (payloadLength < 0 || !EspPadding.isValid(buf, trailer - padLength, padLength)) {
            throw new EspException(EspException.Reason.BAD_PADDING,
                    "padding of " + padLength + " octets is not 1, 2, 3, ...");
        }
        buf.setIndex(start + headroom, start + headroom + payloadLength);
        return nextHeader;
    }

    /** The SPI of the ESP packet at the reader index (the caller checked 8 readable octets). */
    public static int spi(ByteBuf espPacket) {
        return espPacket.getInt(espPacket.readerIndex());
    }

    /** The 32-bit sequence number field of the ESP packet at the reader index, unsigned. */
    public static long sequenceLow32(ByteBuf espPacket) {
        return espPacket.getUnsignedInt(espPacket.readerIndex() + 4);
    }

    /**
     * A ByteBuffer over {@code length} octets at {@code index} sharing the ByteBuf's memory, so
     * the JCE writes straight into it. A composite buffer has no such view; its first {@code
     * meaningful} octets are copied into a scratch array instead and {@link #writeBack} returns
     * them.
     */
    private ByteBuffer view(ByteBuf buf, int index, int length, int meaningful) {
        if (buf.nioBufferCount() == 1) {
            return buf.nioBuffer(index, length);
        }
        if (scratch.length < length) {
            scratch = new byte[length];
        }
        buf.getBytes(index, scratch, 0, meaningful);
        return ByteBuffer.wrap(scratch, 0, length).slice();
    }

    private void writeBack(ByteBuf buf, int index, int length, ByteBuffer packet) {
        if (packet.hasArray() && packet.array() == scratch) {
            buf.setBytes(index, scratch, 0, length);
        }
    }
}
