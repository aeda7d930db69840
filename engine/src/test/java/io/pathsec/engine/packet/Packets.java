package io.pathsec.engine.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.HexFormat;

/**
 * Test packets captured with tcpdump on a Linux loopback (kernel 6.x), and helpers to build more.
 * Loopback leaves TCP checksums partial; the TCP checksum fields below hold the value tcpdump
 * computed as correct ("incorrect -> 0x030a").
 */
final class Packets {
    /** 127.0.0.1:40678 > 127.0.0.1:5555 SYN, DF, TTL 64, MSS 65495, SACK-permitted, TS, NOP, WS 10. */
    static final String IPV4_TCP_SYN = """
            4500 003c a5a2 4000 4006 9717 7f00 0001
            7f00 0001 9ee6 15b3 dc82 5429 0000 0000
            a002 ffd7 030a 0000 0204 ffd7 0402 080a
            449c 2313 0000 0000 0103 030a""";
    static final int IPV4_TCP_SYN_IP_CHECKSUM = 0x9717;
    static final int IPV4_TCP_SYN_TCP_CHECKSUM = 0x030a;

    /** [::1]:58852 > [::1]:5555 SYN, flow label 0x782ba, MSS 65476, same options. */
    static final String IPV6_TCP_SYN = """
            6007 82ba 0028 0640 0000 0000 0000 0000
            0000 0000 0000 0001 0000 0000 0000 0000
            0000 0000 0000 0001 e5e4 15b3 9cee 4605
            0000 0000 a002 ffc4 27a8 0000 0204 ffc4
            0402 080a 4bf4 fbfd 0000 0000 0103 030a""";
    static final int IPV6_TCP_SYN_TCP_CHECKSUM = 0x27a8;

    /** ::1 > ::1 ICMPv6 echo request id 7022 seq 1, 16 data bytes; tcpdump: "icmp6 sum ok". */
    static final String IPV6_ICMPV6_ECHO = """
            6005 b0de 0018 3a40 0000 0000 0000 0000
            0000 0000 0000 0001 0000 0000 0000 0000
            0000 0000 0000 0001 8000 9c9d 1b6e 0001
            a01a 056b 0000 0000 2219 0000 0000 0000""";
    static final int IPV6_ICMPV6_ECHO_CHECKSUM = 0x9c9d;

    private Packets() {
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s", ""));
    }

    /** The hex bytes in a fresh heap buffer, readable from index 0. */
    static ByteBuf buf(String hex) {
        return Unpooled.wrappedBuffer(bytes(hex));
    }

    /** The bytes placed {@code headroom} bytes into a buffer, reader index at the packet. */
    static ByteBuf withHeadroom(byte[] packet, int headroom) {
        ByteBuf buf = Unpooled.buffer(headroom + packet.length);
        buf.writeZero(headroom);
        buf.writeBytes(packet);
        buf.readerIndex(headroom);
        return buf;
    }

    static byte[] toArray(ByteBuf buf, int index, int length) {
        byte[] out = new byte[length];
        buf.getBytes(index, out);
        return out;
    }

    /**
     * RFC 1071 checksum the slow, obvious way — one 16-bit word at a time, folding every step — as
     * an oracle for the word-at-a-time implementation under test.
     */
    static int referenceChecksum(byte[] data, int from, int length) {
        int sum = 0;
        for (int i = 0; i < length; i += 2) {
            int hi = data[from + i] & 0xff;
            int lo = i + 1 < length ? data[from + i + 1] & 0xff : 0;
            sum += (hi << 8) | lo;
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return ~sum & 0xffff;
    }

    /**
     * An IPv4 UDP datagram 10.0.0.1:1000 > 10.9.9.9:2000 with {@code dataLength} patterned data
     * bytes, {@code options} (a multiple of 4 long) in the header, the given DF flag and correct
     * checksums.
     */
    static ByteBuf ipv4Udp(int dataLength, byte[] options, boolean dontFragment) {
        int headerLength = 20 + options.length;
        int total = headerLength + 8 + dataLength;
        ByteBuf buf = Unpooled.buffer(total);
        buf.writeZero(total);
        Ipv4Header ip = new Ipv4Header().wrap(buf, 0)
                .setVersionAndIhl(headerLength / 4)
                .setTotalLength(total)
                .setIdentification(0x1234)
                .setDontFragment(dontFragment)
                .setTtl(64)
                .setProtocol(IpProtocol.UDP)
                .setSourceAddress(0x0a000001)
                .setDestinationAddress(0x0a090909);
        buf.setBytes(20, options);
        for (int i = 0; i < dataLength; i++) {
            buf.setByte(headerLength + 8 + i, i * 7 + 3);
        }
        new UdpHeader().wrap(buf, headerLength)
                .setSourcePort(1000)
                .setDestinationPort(2000)
                .setLength(8 + dataLength)
                .updateChecksum(0);
        ip.updateHeaderChecksum();
        return buf;
    }

    /** An IPv6 UDP datagram 2001:db8::1 > 2001:db8::2 with patterned data and a correct checksum. */
    static ByteBuf ipv6Udp(int dataLength) {
        int total = 40 + 8 + dataLength;
        ByteBuf buf = Unpooled.buffer(total);
        buf.writeZero(total);
        new Ipv6Header().wrap(buf, 0)
                .setVersionTrafficClassFlowLabel(0, 0x12345)
                .setPayloadLength(8 + dataLength)
                .setNextHeader(IpProtocol.UDP)
                .setHopLimit(64)
                .setSource(bytes("20010db8000000000000000000000001"), 0)
                .setDestination(bytes("20010db8000000000000000000000002"), 0);
        for (int i = 0; i < dataLength; i++) {
            buf.setByte(48 + i, i * 13 + 1);
        }
        new UdpHeader().wrap(buf, 40).setSourcePort(1000).setDestinationPort(2000)
                .setLength(8 + dataLength).updateChecksum(0);
        return buf;
    }
}
