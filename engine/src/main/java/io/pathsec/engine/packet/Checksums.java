package io.pathsec.engine.packet;

import io.netty.buffer.ByteBuf;

/**
 * The Internet checksum (RFC 1071) and the checksums built on it: the IPv4 header checksum
 * (RFC 791 §3.1), the TCP, UDP and ICMPv6 checksums over a pseudo-header (RFC 9293 §3.1,
 * RFC 768, RFC 8200 §8.1, RFC 4443 §2.3), and incremental update (RFC 1624).
 *
 * <p>Sums are accumulated in a {@code long} from 64-bit big-endian reads, split into two 32-bit
 * halves: RFC 1071 §2(C) allows summing wider words and folding at the end, because 2^16 ≡ 1
 * modulo 2^16 − 1. Partial sums ({@link #partialSum}) may be chained across ranges, provided each
 * range but the last has an even length. All methods read at absolute indices and never move the
 * buffer's reader or writer index; they expect the caller to have validated the lengths.
 */
public final class Checksums {

    private Checksums() {
    }

    /**
     * Adds the 16-bit big-endian words of {@code buf[index, index + length)} to {@code initial},
     * without folding. An odd final byte counts as the high byte of a word padded with zero
     * (RFC 1071 §1).
     */
    public static long partialSum(ByteBuf buf, int index, int length, long initial) {
        long sum = initial;
        int i = index;
        int end = index + length;
        while (end - i >= 8) {
            long word = buf.getLong(i);
            sum += (word >>> 32) + (word & 0xffff_ffffL);
            i += 8;
        }
        if (end - i >= 4) {
            sum += buf.getUnsignedInt(i);
            i += 4;
        }
        if (end - i >= 2) {
            sum += buf.getUnsignedShort(i);
            i += 2;
        }
        if (i < end) {
            sum += buf.getUnsignedByte(i) << 8;
        }
        return sum;
    }

    /** Folds a sum into 16 bits with end-around carry (RFC 1071 §4.1). */
    public static int fold(long sum) {
        long s = sum;
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) s;
    }

    /** One's complement of the folded sum of the range: the value to put in a checksum field. */
    public static int internetChecksum(ByteBuf buf, int index, int length) {
        return ~fold(partialSum(buf, index, length, 0)) & 0xffff;
    }

    /**
     * The IPv4 header checksum for the header at {@code ipOffset}, computed as if the checksum
     * field were zero (RFC 791 §3.1). The IHL must have been validated.
     */
    public static int ipv4HeaderChecksum(ByteBuf buf, int ipOffset) {
        int headerLength = (buf.getUnsignedByte(ipOffset) & 0x0f) * 4;
        long sum = partialSum(buf, ipOffset, Ipv4Header.CHECKSUM_OFFSET, 0);
        sum = partialSum(buf, ipOffset + Ipv4Header.CHECKSUM_OFFSET + 2,
                headerLength - Ipv4Header.CHECKSUM_OFFSET - 2, sum);
        return ~fold(sum) & 0xffff;
    }

    /** Computes and stores the IPv4 header checksum of the header at {@code ipOffset}. */
    public static void updateIpv4HeaderChecksum(ByteBuf buf, int ipOffset) {
        buf.setShort(ipOffset + Ipv4Header.CHECKSUM_OFFSET, ipv4HeaderChecksum(buf, ipOffset));
    }

    /** Whether the header at {@code ipOffset} sums to all ones, checksum field included. */
    public static boolean verifyIpv4Header(ByteBuf buf, int ipOffset) {
        int headerLength = (buf.getUnsignedByte(ipOffset) & 0x0f) * 4;
        return internetChecksum(buf, ipOffset, headerLength) == 0;
    }

    /**
     * The unfolded sum of the pseudo-header of the IP packet at {@code ipOffset}: source and
     * destination addresses, protocol and upper-layer length (RFC 9293 §3.1 for IPv4,
     * RFC 8200 §8.1 for IPv6). For IPv6 the destination is the one in the fixed header, which is
     * the final destination for packets without a Routing header.
     */
    public static long pseudoHeaderSum(ByteBuf buf, int ipOffset, int protocol, int upperLayerLength) {
        int version = buf.getUnsignedByte(ipOffset) >> 4;
        long sum;
        if (version == 4) {
            sum = partialSum(buf, ipOffset + Ipv4Header.SOURCE_OFFSET, 8, 0);
        } else {
            sum = partialSum(buf, ipOffset + Ipv6Header.SOURCE_OFFSET, 32, 0);
        }
        return sum + protocol + (upperLayerLength & 0xffff_ffffL);
    }

    /**
     * The transport checksum of the upper-layer message at {@code l4Offset}: over the
     * pseudo-header and the message for TCP, UDP and ICMPv6, over the message alone for ICMPv4
     * (RFC 792). The checksum field is summed as it stands: zero it first to compute a value to
     * store, or leave it to verify (a correct message then yields 0).
     */
    public static int transportChecksum(ByteBuf buf, int ipOffset, int l4Offset, int l4Length,
                                        int protocol) {
        long sum = protocol == IpProtocol.ICMP ? 0 : pseudoHeaderSum(buf, ipOffset, protocol, l4Length);
        return ~fold(partialSum(buf, l4Offset, l4Length, sum)) & 0xffff;
    }

    /**
     * Computes and stores the checksum of a TCP, UDP, ICMP or ICMPv6 message. A computed UDP
     * checksum of zero is sent as all ones, since zero means "no checksum" (RFC 768).
     */
    public static void updateTransportChecksum(ByteBuf buf, int ipOffset, int l4Offset, int l4Length,
                                               int protocol) {
        int field = l4Offset + checksumFieldOffset(protocol);
        buf.setShort(field, 0);
        int checksum = transportChecksum(buf, ipOffset, l4Offset, l4Length, protocol);
        if (checksum == 0 && protocol == IpProtocol.UDP) {
            checksum = 0xffff;
        }
        buf.setShort(field, checksum);
    }

    /**
     * Whether a TCP, UDP, ICMP or ICMPv6 message carries a correct checksum. A UDP checksum of
     * zero over IPv4 means the sender computed none and is accepted (RFC 768); over IPv6 it is
     * an error (RFC 8200 §8.1).
     */
    public static boolean verifyTransport(ByteBuf buf, int ipOffset, int l4Offset, int l4Length,
                                          int protocol) {
        if (protocol == IpProtocol.UDP
                && buf.getUnsignedShort(l4Offset + UdpHeader.CHECKSUM_OFFSET) == 0) {
            return (buf.getUnsignedByte(ipOffset) >> 4) == 4;
        }
        return transportChecksum(buf, ipOffset, l4Offset, l4Length, protocol) == 0;
    }

    /** Where the checksum field sits inside the upper-layer header of {@code protocol}. */
    public static int checksumFieldOffset(int protocol) {
        return switch (protocol) {
            case IpProtocol.TCP -> TcpHeader.CHECKSUM_OFFSET;
            case IpProtocol.UDP -> UdpHeader.CHECKSUM_OFFSET;
            case IpProtocol.ICMP, IpProtocol.ICMPV6 -> IcmpHeader.CHECKSUM_OFFSET;
            default -> throw new IllegalArgumentException("no checksum known for protocol " + protocol);
        };
    }

    /**
     * The checksum after one 16-bit word of the covered data changes from {@code oldWord} to
     * {@code newWord}: RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m'), which unlike eqn. 2 never yields
     * the negative zero 0x0000 for a non-zero sum.
     *
     * <p>A 16-bit field at an odd offset from the start of the checksummed data straddles two
     * words; pass both values byte-swapped ({@link Short#reverseBytes}) — the one's complement sum
     * is byte-order independent (RFC 1071 §2(B)).
     */
    public static int incrementalUpdate(int checksum, int oldWord, int newWord) {
        int sum = (~checksum & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff);
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = (sum & 0xffff) + (sum >>> 16);
        return ~sum & 0xffff;
    }

    /** {@link #incrementalUpdate} for a 32-bit field (an IPv4 address), as two 16-bit words. */
    public static int incrementalUpdate32(int checksum, int oldValue, int newValue) {
        int c = incrementalUpdate(checksum, oldValue >>> 16, newValue >>> 16);
        return incrementalUpdate(c, oldValue & 0xffff, newValue & 0xffff);
    }
}
