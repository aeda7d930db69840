package io.pathsec.engine.pmtu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pathsec.engine.packet.Checksums;

/** Inner packets for PMTU tests, built by hand (documentation addresses). */
final class TestPackets {
    static final byte[] E1 = {(byte) 192, 0, 2, 2};
    static final byte[] E2 = {(byte) 203, 0, 113, 2};

    private TestPackets() {
    }

    /** IPv4 + TCP (20-byte header, or 24 with an MSS option on a SYN), {@code totalLength} octets. */
    static ByteBuf ipv4Tcp(int totalLength, long sequence, boolean dontFragment, boolean syn, int mss) {
        int tcpHeader = syn ? 24 : 20;
        ByteBuf b = Unpooled.directBuffer(totalLength);
        b.writeByte(0x45).writeByte(0).writeShort(totalLength).writeShort(7).writeShort(dontFragment ? 0x4000 : 0)
                .writeByte(64).writeByte(6).writeShort(0).writeBytes(E1).writeBytes(E2);
        Checksums.updateIpv4HeaderChecksum(b, 0);
        b.writeShort(40000).writeShort(5201).writeInt((int) sequence).writeInt(1)
                .writeByte((tcpHeader / 4) << 4).writeByte(syn ? 0x02 : 0x10).writeShort(65535).writeShort(0).writeShort(0);
        if (syn) {
            b.writeByte(2).writeByte(4).writeShort(mss);
        }
        b.writeZero(totalLength - b.writerIndex());
        Checksums.updateTransportChecksum(b, 0, 20, totalLength - 20, 6);
        return b;
    }
}
