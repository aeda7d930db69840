package io.pathsec.engine.tun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.pathsec.engine.packet.Checksums;
import io.pathsec.engine.packet.IpProtocol;
import io.pathsec.engine.packet.TcpHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Super-packets as a TUN with TSO hands them out, split as the kernel's tcp_gso_segment() would. */
class GsoSegmenterTest {
    private final ByteBuf staging = Unpooled.directBuffer(GsoSegmenter.VNET_HDR_LENGTH + 65_536);
    private final ByteBuf dst = Unpooled.directBuffer(2048);
    private final GsoSegmenter segmenter = new GsoSegmenter(staging);

    @AfterEach
    void release() {
        staging.release();
        dst.release();
    }

    private static byte[] payload(int length) {
        byte[] p = new byte[length];
        for (int i = 0; i < length; i++) {
            p[i] = (byte) (i * 7 + 3);
        }
        return p;
    }

    private void vnetHeader(int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset) {
        staging.clear();
        staging.writeByte(flags).writeByte(gsoType).writeShortLE(hdrLen).writeShortLE(gsoSize)
                .writeShortLE(csumStart).writeShortLE(csumOffset);
    }

    /** IPv4 (DF, id 0x1234) + TCP with 12 bytes of options, flags as given, seq 1000. */
    private void ipv4Tcp(byte[] payload, int tcpFlags) {
        int total = 20 + 32 + payload.length;
        staging.writeByte(0x45).writeByte(0).writeShort(total).writeShort(0x1234).writeShort(0x4000)
                .writeByte(64).writeByte(IpProtocol.TCP).writeShort(0)
                .writeBytes(new byte[] {10, 0, 0, 1}).writeBytes(new byte[] {(byte) 203, 0, 113, 2});
        tcp(payload, tcpFlags);
    }

    private void ipv6Tcp(byte[] payload, int tcpFlags) {
        staging.writeInt(0x60000000).writeShort(32 + payload.length).writeByte(IpProtocol.TCP).writeByte(64);
        staging.writeInt(0x20010db8).writeLong(0).writeInt(1);
        staging.writeInt(0x20010db8).writeLong(0).writeInt(2);
        tcp(payload, tcpFlags);
    }

    private void tcp(byte[] payload, int tcpFlags) {
        staging.writeShort(40000).writeShort(5201).writeInt(1000).writeInt(77)
                .writeByte(8 << 4).writeByte(tcpFlags).writeShort(65000).writeShort(0xbeef).writeShort(0)
                .writeBytes(new byte[] {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2}); // NOP NOP timestamps
        staging.writeBytes(payload);
    }

    private ByteBuf nextSegment() {
        dst.clear();
        dst.ensureWritable(segmenter.nextLength());
        int n = segmenter.next(dst);
        assertEquals(n, dst.readableBytes());
        return dst;
    }

    @Test
    void anIpv4SuperPacketBecomesMssSizedSegmentsWithTheirOwnHeaders() {
        byte[] data = payload(4000);
        vnetHeader(GsoSegmenter.F_NEEDS_CSUM, GsoSegmenter.GSO_TCPV4, 52, 1448, 20, 16);
        ipv4Tcp(data, TcpHeader.ACK | TcpHeader.PSH | TcpHeader.FIN | TcpHeader.CWR);
        assertTrue(segmenter.load(staging.writerIndex()));

        ByteBuf joined = Unpooled.buffer();
        int[] sizes = {1448, 1448, 1104};
        for (int k = 0; k < sizes.length; k++) {
            assertTrue(segmenter.hasNext());
            ByteBuf s = nextSegment();
            assertEquals(52 + sizes[k], s.readableBytes());
            assertEquals(52 + sizes[k], s.getUnsignedShort(2), "IPv4 total length");
            assertEquals(0x1234 + k, s.getUnsignedShort(4), "identification counts up per segment");
            assertTrue(Checksums.verifyIpv4Header(s, 0));
            assertEquals(1000 + 1448L * k, s.getUnsignedInt(24), "sequence number");
            int flags = s.getUnsignedByte(20 + TcpHeader.FLAGS_OFFSET);
            boolean last = k == sizes.length - 1;
            assertEquals(last, (flags & TcpHeader.FIN) != 0, "FIN only on the last");
            assertEquals(last, (flags & TcpHeader.PSH) != 0, "PSH only on the last");
            assertEquals(k == 0, (flags & TcpHeader.CWR) != 0, "CWR only on the first");
            assertTrue((flags & TcpHeader.ACK) != 0);
            assertTrue(Checksums.verifyTransport(s, 0, 20, s.readableBytes() - 20, IpProtocol.TCP),
                    "TCP checksum of segment " + k);
            joined.writeBytes(s, 52, sizes[k]);
        }
        assertFalse(segmenter.hasNext());
        assertArrayEquals(data, ByteBufUtil.getBytes(joined));
    }

    @Test
    void anIpv6SuperPacketIsSplitWithPayloadLengthsAndChecksums() {
        byte[] data = payload(3000);
        vnetHeader(GsoSegmenter.F_NEEDS_CSUM, GsoSegmenter.GSO_TCPV6 | GsoSegmenter.GSO_ECN, 72, 1208, 40, 16);
        ipv6Tcp(data, TcpHeader.ACK);
        assertTrue(segmenter.load(staging.writerIndex()));
        int total = 0;
        int k = 0;
        while (segmenter.hasNext()) {
            ByteBuf s = nextSegment();
            int payload = s.readableBytes() - 72;
            assertEquals(32 + payload, s.getUnsignedShort(4), "IPv6 payload length");
            assertEquals(1000 + 1208L * k, s.getUnsignedInt(44));
            assertTrue(Checksums.verifyTransport(s, 0, 40, s.readableBytes() - 40, IpProtocol.TCP));
            total += payload;
            k++;
        }
        assertEquals(3, k);
        assertEquals(3000, total);
    }

    @Test
    void aPlainPacketWithAPartialChecksumIsCompleted() {
        // UDP over IPv4 whose checksum field holds only the pseudo-header sum (CHECKSUM_PARTIAL).
        byte[] data = payload(100);
        vnetHeader(GsoSegmenter.F_NEEDS_CSUM, GsoSegmenter.GSO_NONE, 0, 0, 20, 6);
        int start = staging.writerIndex();
        staging.writeByte(0x45).writeByte(0).writeShort(128).writeShort(1).writeShort(0)
                .writeByte(64).writeByte(IpProtocol.UDP).writeShort(0)
                .writeBytes(new byte[] {10, 0, 0, 1}).writeBytes(new byte[] {10, 0, 0, 2});
        staging.writeShort(5000).writeShort(53).writeShort(108).writeShort(0).writeBytes(data);
        ByteBuf packet = staging.slice(start, 128);
        Checksums.updateIpv4HeaderChecksum(packet, 0);
        packet.setShort(26, Checksums.fold(Checksums.pseudoHeaderSum(packet, 0, IpProtocol.UDP, 108)));

        assertTrue(segmenter.load(staging.writerIndex()));
        ByteBuf s = nextSegment();
        assertEquals(128, s.readableBytes());
        assertTrue(Checksums.verifyTransport(s, 0, 20, 108, IpProtocol.UDP));
        assertFalse(segmenter.hasNext());
    }

    @Test
    void aPlainPacketWithoutFlagsIsCopiedUnchanged() {
        vnetHeader(0, GsoSegmenter.GSO_NONE, 0, 0, 0, 0);
        staging.writeBytes(payload(60));
        assertTrue(segmenter.load(staging.writerIndex()));
        assertArrayEquals(payload(60), ByteBufUtil.getBytes(nextSegment()));
    }

    @Test
    void headersThatDoNotAddUpAreDroppedAndCounted() {
        vnetHeader(0, 3, 0, 1400, 0, 0); // UDP fragmentation offload: never offered
        ipv4Tcp(payload(3000), TcpHeader.ACK);
        assertFalse(segmenter.load(staging.writerIndex()));

        vnetHeader(0, GsoSegmenter.GSO_TCPV6, 0, 1400, 0, 0); // says IPv6, carries IPv4
        ipv4Tcp(payload(3000), TcpHeader.ACK);
        assertFalse(segmenter.load(staging.writerIndex()));

        vnetHeader(0, GsoSegmenter.GSO_TCPV4, 0, 0, 0, 0); // gso_size 0
        ipv4Tcp(payload(3000), TcpHeader.ACK);
        assertFalse(segmenter.load(staging.writerIndex()));

        assertFalse(segmenter.load(5)); // shorter than the virtio header
        assertEquals(4, segmenter.malformed());
        assertFalse(segmenter.hasNext());
    }
}
