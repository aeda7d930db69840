package io.pathsec.engine.tun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.pathsec.engine.packet.IpProtocol;
import io.pathsec.engine.packet.TcpHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Receive offload checked against its inverse: segments that {@link GsoSegmenter} cut from a
 * super-packet, coalesced again, must make a super-packet that the segmenter cuts into exactly
 * the same segments (headers, IDs, sequence numbers, flags and full checksums); and what must not
 * be coalesced is written alone, in order.
 */
class TcpCoalescerTest {
    private final List<byte[]> written = new ArrayList<>();
    private final TcpCoalescer coalescer = new TcpCoalescer(this::capture);
    private final List<ByteBuf> buffers = new ArrayList<>();

    @AfterEach
    void release() {
        coalescer.discard();
        for (ByteBuf b : buffers) {
            assertEquals(1, b.refCnt(), "the coalescer let go of every segment it held");
            b.release();
        }
    }

    /** What one writev(2) would have put into the TUN: its iovecs, one after the other. */
    private void capture(long iovecs, int count) {
        jnr.ffi.Runtime runtime = jnr.ffi.Runtime.getSystemRuntime();
        jnr.ffi.Pointer iov = jnr.ffi.Pointer.wrap(runtime, iovecs);
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            long base = iov.getLong(i * 16L);
            int length = (int) iov.getLong(i * 16L + 8);
            byte[] bytes = new byte[length];
            jnr.ffi.Pointer.wrap(runtime, base).get(0, bytes, 0, length);
            packet.writeBytes(bytes);
        }
        written.add(packet.toByteArray());
    }

    private static byte[] payload(int length) {
        byte[] p = new byte[length];
        for (int i = 0; i < length; i++) {
            p[i] = (byte) (i * 13 + 5);
        }
        return p;
    }

    /** A super-packet as the kernel hands it out (partial checksum), cut into segments by the segmenter. */
    private static List<byte[]> segmentsOf(boolean v6, int payloadLength, int mss, int tcpFlags, int seq) {
        ByteBuf staging = Unpooled.directBuffer(GsoSegmenter.VNET_HDR_LENGTH + 65_536);
        try {
            int ipLength = v6 ? 40 : 20;
            staging.writeByte(GsoSegmenter.F_NEEDS_CSUM).writeByte(v6 ? GsoSegmenter.GSO_TCPV6 : GsoSegmenter.GSO_TCPV4)
                    .writeShortLE(ipLength + 32).writeShortLE(mss).writeShortLE(ipLength).writeShortLE(16);
            if (v6) {
                staging.writeInt(0x60000000).writeShort(32 + payloadLength).writeByte(IpProtocol.TCP).writeByte(64);
                staging.writeInt(0x20010db8).writeLong(0).writeInt(1);
                staging.writeInt(0x20010db8).writeLong(0).writeInt(2);
            } else {
                staging.writeByte(0x45).writeByte(0).writeShort(20 + 32 + payloadLength).writeShort(0x1234)
                        .writeShort(0x4000).writeByte(64).writeByte(IpProtocol.TCP).writeShort(0)
                        .writeBytes(new byte[] {10, 0, 0, 1}).writeBytes(new byte[] {(byte) 203, 0, 113, 2});
            }
            staging.writeShort(40000).writeShort(5201).writeInt(seq).writeInt(77)
                    .writeByte(8 << 4).writeByte(tcpFlags).writeShort(65000).writeShort(0).writeShort(0)
                    .writeBytes(new byte[] {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2})
                    .writeBytes(payload(payloadLength));
            return cut(staging);
        } finally {
            staging.release();
        }
    }

    private static List<byte[]> cut(ByteBuf staging) {
        GsoSegmenter segmenter = new GsoSegmenter(staging);
        assertTrue(segmenter.load(staging.writerIndex()));
        List<byte[]> out = new ArrayList<>();
        ByteBuf dst = Unpooled.directBuffer(2048);
        try {
            while (segmenter.hasNext()) {
                dst.clear();
                segmenter.next(dst);
                out.add(ByteBufUtil.getBytes(dst));
            }
        } finally {
            dst.release();
        }
        return out;
    }

    private boolean offer(byte[] packet) throws Exception {
        ByteBuf b = Unpooled.directBuffer(packet.length).writeBytes(packet);
        buffers.add(b);
        return coalescer.offer(b);
    }

    /** The segments a written super-packet stands for, as the kernel would cut it. */
    private static List<byte[]> resegment(byte[] superPacket) {
        ByteBuf staging = Unpooled.directBuffer(superPacket.length).writeBytes(superPacket);
        try {
            return cut(staging);
        } finally {
            staging.release();
        }
    }

    private void assertRoundTrip(List<byte[]> segments) {
        assertEquals(1, written.size(), "one write for the whole run");
        List<byte[]> again = resegment(written.get(0));
        assertEquals(segments.size(), again.size());
        for (int i = 0; i < segments.size(); i++) {
            assertArrayEquals(segments.get(i), again.get(i), "segment " + i);
        }
    }

    @Test
    void anIpv4RunBecomesOneSuperPacketThatSegmentsBackIntoTheSameSegments() throws Exception {
        List<byte[]> segments = segmentsOf(false, 20_000, 1448, TcpHeader.ACK | TcpHeader.PSH, 1000);
        for (byte[] s : segments) {
            assertTrue(offer(s));
        }
        // the last one is shorter and carries PSH: the run was written when it arrived
        assertRoundTrip(segments);
        assertEquals(1, coalescer.superPackets());
        assertEquals(segments.size(), coalescer.coalescedSegments());
        byte[] superPacket = written.get(0);
        assertEquals(GsoSegmenter.GSO_TCPV4, superPacket[1]);
        assertEquals(1448, (superPacket[4] & 0xff) | (superPacket[5] & 0xff) << 8, "gso_size");
    }

    @Test
    void anIpv6RunIsHeldUntilTheBatchEndsAndThenWrittenAsOne() throws Exception {
        List<byte[]> segments = segmentsOf(true, 1428 * 5, 1428, TcpHeader.ACK, 7);
        for (byte[] s : segments) {
            offer(s);
        }
        assertEquals(0, written.size(), "equal segments without PSH wait for more");
        coalescer.flush();
        assertRoundTrip(segments);
    }

    @Test
    void anotherFlowOrASequenceGapEndsTheRunAndKeepsTheOrder() throws Exception {
        List<byte[]> first = segmentsOf(false, 1448 * 3, 1448, TcpHeader.ACK, 1000);
        List<byte[]> gap = segmentsOf(false, 1448 * 2, 1448, TcpHeader.ACK, 1000 + 1448 * 4);
        byte[] udp = udp();
        offer(first.get(0));
        offer(first.get(1));
        assertFalse(offer(udp), "not TCP: the caller writes it, after the run");
        assertEquals(1, written.size(), "the run went first");
        offer(first.get(2));
        offer(gap.get(0));
        offer(gap.get(1));
        coalescer.flush();
        assertEquals(3, written.size());
        assertEquals(2, resegment(written.get(0)).size());
        assertArrayEquals(first.get(2), resegment(written.get(1)).get(0), "a lone segment is written as it was");
        assertEquals(2, resegment(written.get(2)).size());
    }

    @Test
    void synAndFinSegmentsAreNeverHeld() throws Exception {
        List<byte[]> syn = segmentsOf(false, 100, 1448, TcpHeader.SYN | TcpHeader.ACK, 1);
        List<byte[]> fin = segmentsOf(false, 100, 1448, TcpHeader.FIN | TcpHeader.ACK, 1);
        assertFalse(offer(syn.get(0)));
        assertFalse(offer(fin.get(0)));
        assertEquals(0, written.size());
    }

    private static byte[] udp() {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(0x45).writeByte(0).writeShort(20 + 8 + 40).writeShort(1).writeShort(0x4000).writeByte(64)
                .writeByte(IpProtocol.UDP).writeShort(0).writeBytes(new byte[] {10, 0, 0, 1})
                .writeBytes(new byte[] {(byte) 203, 0, 113, 2}).writeShort(5001).writeShort(5001)
                .writeShort(48).writeShort(0).writeBytes(payload(40));
        return ByteBufUtil.getBytes(b);
    }
}
