package io.pathsec.engine.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.List;

import static io.pathsec.engine.packet.MalformedPacketException.Reason.BAD_LENGTH;

/**
 * Splits an IPv4 datagram whose DF flag is clear into fragments that fit an MTU (RFC 791 §2.3
 * and §3.2, "An Example Fragmentation Procedure"). The gateway does this to an inner packet
 * before encryption, so that each fragment travels in its own ESP packet and the peer's end node
 * reassembles (RFC 4301 §7 leaves the choice to the implementation; pre-encryption keeps the
 * outer packets free of fragmentation).
 *
 * <p>Every fragment but the last carries a multiple of 8 data bytes. The first fragment keeps
 * all options; later ones only the options whose "copied" flag is set, padded with End of Option
 * List to a 32-bit boundary. An already fragmented datagram is split further: offsets add to its
 * own, and its MF flag is kept on the last piece.
 *
 * <p>One instance holds reusable views; fragments themselves come from the allocator.
 */
public final class Ipv4Fragmenter {
    private final Ipv4Header original = new Ipv4Header();
    private final Ipv4Header fragment = new Ipv4Header();

    /**
     * Appends to {@code out}, in order, the fragments of the datagram at {@code offset} of
     * {@code packet}; a datagram that already fits is copied as a single fragment. The packet is
     * not modified. The caller owns (and must release) the buffers added.
     *
     * @return the number of fragments added
     * @throws MalformedPacketException if the datagram or its options are malformed
     * @throws IllegalArgumentException if the MTU is below 68 (RFC 791 §3.2), or the datagram is
     *         too big and has DF set: answer it with Fragmentation Needed instead (RFC 4301 §8.2.1)
     */
    public int fragment(ByteBuf packet, int offset, int mtu, ByteBufAllocator allocator, List<ByteBuf> out)
            throws MalformedPacketException {
        if (mtu < IcmpErrorBuilder.IPV4_MINIMUM_MTU) {
            throw new IllegalArgumentException("MTU " + mtu + " < 68");
        }
        Ipv4Header ip = original.wrap(packet, offset).validate();
        ip.validateOptions();
        int totalLength = ip.totalLength();
        if (totalLength <= mtu) {
            ByteBuf copy = allocator.buffer(totalLength);
            copy.writeBytes(packet, offset, totalLength);
            out.add(copy);
            return 1;
        }
        if (ip.dontFragment()) {
            throw new IllegalArgumentException("DF set on a " + totalLength + "-byte datagram over MTU " + mtu);
        }
        int headerLength = ip.headerLength();
        int laterHeaderLength = Ipv4Header.MIN_HEADER_LENGTH + align4(copiedOptionsLength(ip));
        int dataOffset = ip.payloadOffset();
        int dataLength = ip.payloadLength();
        int baseUnits = ip.fragmentOffset();
        // The reassembled datagram must still fit the 16-bit total length (RFC 791 §3.1).
        if (headerLength + baseUnits * 8 + dataLength > 0xffff) {
            throw new MalformedPacketException(BAD_LENGTH, "fragment offset " + baseUnits + " with "
                    + dataLength + " data bytes reassembles beyond 65535");
        }
        boolean originalMoreFragments = ip.moreFragments();

        int firstAdded = out.size();
        try {
            int sent = 0;
            while (sent < dataLength) {
                boolean first = sent == 0;
                int fragmentHeaderLength = first ? headerLength : laterHeaderLength;
                int room = (mtu - fragmentHeaderLength) & ~7; // RFC 791: offsets count 8-octet blocks
                int chunk = Math.min(room, dataLength - sent);
                boolean last = sent + chunk == dataLength;

                ByteBuf f = allocator.buffer(fragmentHeaderLength + chunk);
                out.add(f);
                int start = f.writerIndex();
                f.writeBytes(packet, offset, Ipv4Header.MIN_HEADER_LENGTH);
                if (first) {
                    f.writeBytes(packet, ip.optionsOffset(), ip.optionsLength());
                } else {
                    writeCopiedOptions(ip, f);
                    f.writeZero(start + fragmentHeaderLength - f.writerIndex()); // End of Option List padding
                }
                f.writeBytes(packet, dataOffset + sent, chunk);
                fragment.wrap(f, start)
                        .setVersionAndIhl(fragmentHeaderLength / 4)
                        .setTotalLength(fragmentHeaderLength + chunk)
                        .setMoreFragments(!last || originalMoreFragments)
                        .setFragmentOffset(baseUnits + sent / 8)
                        .updateHeaderChecksum();
                sent += chunk;
            }
        } catch (MalformedPacketException | RuntimeException e) {
            while (out.size() > firstAdded) {
                out.remove(out.size() - 1).release();
            }
            throw e;
        }
        return out.size() - firstAdded;
    }

    /** Bytes of the options whose copied flag is set (RFC 791 §3.1), before padding. */
    private static int copiedOptionsLength(Ipv4Header ip) throws MalformedPacketException {
        int length = 0;
        int index = ip.optionsOffset();
        int end = ip.payloadOffset();
        ByteBuf buf = ip.buffer();
        while (index < end) {
            int type = buf.getUnsignedByte(index);
            if (type == Ipv4Header.OPTION_END) {
                break;
            }
            int optionLength = ip.optionLength(index);
            if ((type & Ipv4Header.OPTION_COPIED_FLAG) != 0) {
                length += optionLength;
            }
            index += optionLength;
        }
        return length;
    }

    private static void writeCopiedOptions(Ipv4Header ip, ByteBuf f) throws MalformedPacketException {
        int index = ip.optionsOffset();
        int end = ip.payloadOffset();
        ByteBuf buf = ip.buffer();
        while (index < end) {
            int type = buf.getUnsignedByte(index);
            if (type == Ipv4Header.OPTION_END) {
                return;
            }
            int optionLength = ip.optionLength(index);
            if ((type & Ipv4Header.OPTION_COPIED_FLAG) != 0) {
                f.writeBytes(buf, index, optionLength);
            }
            index += optionLength;
        }
    }

    private static int align4(int length) {
        return (length + 3) & ~3;
    }
}
