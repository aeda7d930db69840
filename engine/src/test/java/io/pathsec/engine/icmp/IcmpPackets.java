package io.pathsec.engine.icmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pathsec.engine.packet.Checksums;
import io.pathsec.engine.packet.IcmpError;
import io.pathsec.engine.packet.IcmpErrorBuilder;
import io.pathsec.engine.packet.MalformedPacketException;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** IPv4 packets for ICMP tests: an offending UDP/TCP packet and the error a host or router sends about it. */
final class IcmpPackets {
    private IcmpPackets() {
    }

    static byte[] addr(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    /** An IPv4 packet with a UDP (17) or TCP (6) header and {@code payload} zero bytes, DF set. */
    static ByteBuf ipv4(int protocol, String src, int sport, String dst, int dport, int payload) {
        int l4 = protocol == 6 ? 20 : 8;
        ByteBuf b = Unpooled.buffer(20 + l4 + payload);
        b.writeByte(0x45).writeByte(0).writeShort(20 + l4 + payload).writeShort(7).writeShort(0x4000)
                .writeByte(64).writeByte(protocol).writeShort(0).writeBytes(addr(src)).writeBytes(addr(dst));
        Checksums.updateIpv4HeaderChecksum(b, 0);
        b.writeShort(sport).writeShort(dport);
        if (protocol == 6) {
            b.writeInt(1).writeInt(0).writeShort(0x5010).writeShort(65535).writeShort(0).writeShort(0);
        } else {
            b.writeShort(8 + payload).writeShort(0);
        }
        b.writeZero(payload);
        return b;
    }

    /** {@code error} from {@code from} about {@code offending}, addressed to its source. */
    static ByteBuf error(IcmpError error, String from, ByteBuf offending) {
        ByteBuf out = Unpooled.buffer(600);
        try {
            int n = error == IcmpError.PACKET_TOO_BIG
                    ? new IcmpErrorBuilder().packetTooBig(out, addr(from), offending, offending.readerIndex(), 1300)
                    : new IcmpErrorBuilder().build(out, error, addr(from), offending, offending.readerIndex());
            if (n == 0) {
                throw new IllegalStateException("the builder refused to answer this packet");
            }
            return out;
        } catch (MalformedPacketException e) {
            throw new IllegalStateException(e);
        }
    }
}
