package io.pathsec.engine.tun;

import io.netty.buffer.ByteBuf;

import java.net.InetAddress;

/**
 * Plays the far end of a ping through a TUN in tests: recognises an ICMP / ICMPv6 echo request
 * (RFC 792, RFC 4443 §4.1) and turns it into the echo reply in place. Written by hand on
 * purpose: the packet package is another team's, and this is all a TUN test needs.
 */
final class IcmpEcho {

    private IcmpEcho() {
    }

    /**
     * Writes an IPv4 ICMP echo request of {@code totalLength} bytes (DF set, TTL 64) at the
     * writer index of {@code out}, with both checksums.
     */
    static void writeIpv4Request(ByteBuf out, InetAddress from, InetAddress to, int id, int seq, int totalLength) {
        int at = out.writerIndex();
        out.writeByte(0x45).writeByte(0).writeShort(totalLength)
                .writeShort(id).writeShort(0x4000).writeByte(64).writeByte(1).writeShort(0)
                .writeBytes(from.getAddress()).writeBytes(to.getAddress());
        out.setShort(at + 10, ~fold(sum(out, at, 20, 0)));
        out.writeByte(8).writeByte(0).writeShort(0).writeShort(id).writeShort(seq);
        out.writeZero(totalLength - 28);
        out.setShort(at + 22, ~fold(sum(out, at + 20, totalLength - 20, 0)));
    }

    /** Whether {@code p} (readable bytes) is an echo request addressed to {@code to}. */
    static boolean isEchoRequest(ByteBuf p, InetAddress to) {
        int at = p.readerIndex();
        if (p.readableBytes() < 28) {
            return false;
        }
        byte[] dst = to.getAddress();
        int version = (p.getByte(at) & 0xf0) >> 4;
        if (version == 4 && dst.length == 4) {
            int ihl = (p.getByte(at) & 0x0f) * 4;
            return p.getByte(at + 9) == 1 && sameBytes(p, at + 16, dst) && p.getByte(at + ihl) == 8;
        }
        if (version == 6 && dst.length == 16 && p.readableBytes() >= 48) {
            return p.getByte(at + 6) == 58 && sameBytes(p, at + 24, dst) && (p.getByte(at + 40) & 0xff) == 128;
        }
        return false;
    }

    /** Rewrites an echo request into its reply: swapped addresses, reply type, new checksum. */
    static void turnIntoReply(ByteBuf p) {
        int at = p.readerIndex();
        int version = (p.getByte(at) & 0xf0) >> 4;
        if (version == 4) {
            int ihl = (p.getByte(at) & 0x0f) * 4;
            swap(p, at + 12, at + 16, 4); // the IPv4 header checksum is a sum: a swap keeps it
            int icmp = at + ihl;
            p.setByte(icmp, 0);
            p.setShort(icmp + 2, 0);
            p.setShort(icmp + 2, ~fold(sum(p, icmp, p.writerIndex() - icmp, 0)));
        } else {
            swap(p, at + 8, at + 24, 16);
            int icmp = at + 40;
            int length = p.writerIndex() - icmp;
            p.setByte(icmp, 129);
            p.setShort(icmp + 2, 0);
            // RFC 8200 §8.1 pseudo-header: source, destination, upper-layer length, next header
            long pseudo = sum(p, at + 8, 32, 0) + length + 58;
            p.setShort(icmp + 2, ~fold(sum(p, icmp, length, pseudo)));
        }
    }

    private static boolean sameBytes(ByteBuf p, int offset, byte[] expected) {
        for (int i = 0; i < expected.length; i++) {
            if (p.getByte(offset + i) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static void swap(ByteBuf p, int a, int b, int length) {
        for (int i = 0; i < length; i++) {
            byte t = p.getByte(a + i);
            p.setByte(a + i, p.getByte(b + i));
            p.setByte(b + i, t);
        }
    }

    /** RFC 1071 one's-complement sum of 16-bit words, odd byte padded with zero. */
    private static long sum(ByteBuf p, int offset, int length, long initial) {
        long sum = initial;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += p.getUnsignedShort(offset + i);
        }
        if ((length & 1) != 0) {
            sum += (p.getUnsignedByte(offset + length - 1) << 8);
        }
        return sum;
    }

    private static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }
}
