package io.pathsec.engine.diag;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Writes datagrams as a classic pcap file with link type RAW (101): each record is an IP packet
 * whose IPv4 or IPv6 and UDP headers are made up from the datagram's addresses, so that
 * Wireshark decodes UDP 4500 as ESP-in-UDP or IKE (RFC 3948) as if it had been captured on the
 * wire. The UDP checksum is 0 for IPv4 (allowed, RFC 768) and computed for IPv6 (RFC 8200 §8.1).
 */
public final class PcapFile {
    static final int LINKTYPE_RAW = 101;
    private static final int MAGIC = 0xa1b2c3d4;
    private static final int SNAPLEN = 65535;
    private static final int UDP = 17;

    private PcapFile() {
    }

    public static byte[] write(List<OuterPacketRing.Datagram> datagrams) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(MAGIC).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(SNAPLEN)
                .putInt(LINKTYPE_RAW);
        out.writeBytes(header.array());
        for (OuterPacketRing.Datagram d : datagrams) {
            byte[] packet = packet(d.source(), d.destination(), d.payload());
            int original = packet.length + (d.originalLength() - d.payload().length);
            ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            record.putInt((int) (d.epochMicros() / 1_000_000)).putInt((int) (d.epochMicros() % 1_000_000))
                    .putInt(packet.length).putInt(original);
            out.writeBytes(record.array());
            out.writeBytes(packet);
        }
        return out.toByteArray();
    }

    /** IP and UDP headers around {@code payload}; both addresses are of one family. */
    static byte[] packet(InetSocketAddress src, InetSocketAddress dst, byte[] payload) {
        boolean v4 = src.getAddress() instanceof Inet4Address;
        int udpLength = 8 + payload.length;
        ByteBuffer b = ByteBuffer.allocate((v4 ? 20 : 40) + udpLength);
        if (v4) {
            b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + udpLength)).putShort((short) 0)
                    .putShort((short) 0x4000).put((byte) 64).put((byte) UDP).putShort((short) 0)
                    .put(src.getAddress().getAddress()).put(dst.getAddress().getAddress());
            b.putShort(10, (short) checksum(b.array(), 0, 20, 0));
        } else {
            b.putInt(0x60000000).putShort((short) udpLength).put((byte) UDP).put((byte) 64)
                    .put(src.getAddress().getAddress()).put(dst.getAddress().getAddress());
        }
        int udp = b.position();
        b.putShort((short) src.getPort()).putShort((short) dst.getPort()).putShort((short) udpLength)
                .putShort((short) 0).put(payload);
        if (!v4) {
            long pseudo = sum(src.getAddress().getAddress()) + sum(dst.getAddress().getAddress()) + udpLength + UDP;
            int c = checksum(b.array(), udp, udpLength, pseudo);
            b.putShort(udp + 6, (short) (c == 0 ? 0xffff : c));
        }
        return b.array();
    }

    private static long sum(byte[] a) {
        long s = 0;
        for (int i = 0; i < a.length; i += 2) {
            s += ((a[i] & 0xff) << 8) | (a[i + 1] & 0xff);
        }
        return s;
    }

    /** The Internet checksum (RFC 1071) of {@code length} octets, plus {@code initial}. */
    private static int checksum(byte[] data, int offset, int length, long initial) {
        long s = initial;
        for (int i = 0; i < length; i += 2) {
            int hi = data[offset + i] & 0xff;
            int lo = i + 1 < length ? data[offset + i + 1] & 0xff : 0;
            s += (hi << 8) | lo;
        }
        while ((s >> 16) != 0) {
            s = (s & 0xffff) + (s >> 16);
        }
        return (int) (~s & 0xffff);
    }
}
