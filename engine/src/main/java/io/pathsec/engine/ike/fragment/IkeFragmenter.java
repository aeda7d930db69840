package io.pathsec.engine.ike.fragment;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pathsec.engine.ike.crypto.IkeEncryption;
import io.pathsec.engine.ike.message.IkeHeader;
import io.pathsec.engine.ike.message.IkeMessage;
import io.pathsec.engine.ike.message.IkePayload;
import io.pathsec.engine.ike.message.IkeSkfPayload;
import io.pathsec.engine.ike.message.PayloadType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Protects an IKE message for sending, split into Encrypted Fragment payloads when it would not
 * fit one datagram (RFC 7383 §2.5). The inner payload chain is encrypted as usual and cut into
 * pieces; each piece becomes one message with the original header (same Message ID, §2.5) and
 * one SKF payload, protected on its own with its own IV and ICV. Only fragment 1 names the first
 * inner payload. The associated data of each fragment is everything before its IV: header, SKF
 * generic header, Fragment Number and Total Fragments (§2.5, RFC 5282 §5.1).
 */
public final class IkeFragmenter {
    private static final int SKF_PREFIX = IkeHeader.LENGTH + IkePayload.GENERIC_HEADER_LENGTH
            + IkeSkfPayload.FRAGMENT_FIELDS_LENGTH;

    private IkeFragmenter() {
    }

    /**
     * The datagrams that carry {@code innerPayloads}: one SK message when it fits
     * {@code maxMessageSize}, else SKF fragments that each fit.
     *
     * @throws IllegalArgumentException when {@code maxMessageSize} leaves no room for data
     */
    public static List<byte[]> protect(IkeEncryption encryption, IkeHeader header, List<? extends IkePayload> innerPayloads,
                                       int maxMessageSize) {
        byte[] chain = IkeMessage.encodeChain(innerPayloads);
        int whole = IkeHeader.LENGTH + IkePayload.GENERIC_HEADER_LENGTH + encryption.sealedLength(chain.length);
        if (whole <= maxMessageSize) {
            return List.of(encryption.encryptMessage(header, innerPayloads));
        }
        int piece = largestPiece(encryption, maxMessageSize - SKF_PREFIX);
        if (piece < 1) {
            throw new IllegalArgumentException("an IKE fragment of " + maxMessageSize + " octets has no room for data");
        }
        int total = (chain.length + piece - 1) / piece;
        if (total > 0xffff) {
            throw new IllegalArgumentException("message of " + chain.length + " octets needs " + total + " fragments");
        }
        int first = innerPayloads.get(0).payloadType();
        List<byte[]> fragments = new ArrayList<>(total);
        for (int n = 1; n <= total; n++) {
            byte[] part = Arrays.copyOfRange(chain, (n - 1) * piece, Math.min(chain.length, n * piece));
            fragments.add(fragment(encryption, header, n == 1 ? first : PayloadType.NO_NEXT_PAYLOAD.value(), n, total, part));
        }
        return fragments;
    }

    /** The longest plaintext whose sealed form fits {@code budget} octets (padding grows in steps). */
    static int largestPiece(IkeEncryption encryption, int budget) {
        int n = budget - encryption.sealedLength(0);
        while (n > 0 && encryption.sealedLength(n) > budget) {
            n--; // at most one cipher block of steps
        }
        return n;
    }

    private static byte[] fragment(IkeEncryption encryption, IkeHeader header, int firstInner, int number, int total,
                                   byte[] part) {
        int skfLength = IkePayload.GENERIC_HEADER_LENGTH + IkeSkfPayload.FRAGMENT_FIELDS_LENGTH
                + encryption.sealedLength(part.length);
        ByteBuf prefix = Unpooled.buffer(SKF_PREFIX);
        header.withChain(PayloadType.SKF.value(), IkeHeader.LENGTH + skfLength).encode(prefix);
        prefix.writeByte(firstInner);
        prefix.writeByte(0);
        prefix.writeShort(skfLength);
        prefix.writeShort(number);
        prefix.writeShort(total);
        byte[] prefixBytes = new byte[prefix.readableBytes()];
        prefix.readBytes(prefixBytes);
        byte[] sealed = encryption.seal(prefixBytes, part);
        byte[] out = Arrays.copyOf(prefixBytes, prefixBytes.length + sealed.length);
        System.arraycopy(sealed, 0, out, prefixBytes.length, sealed.length);
        return out;
    }
}
