package io.pathsec.engine.packet;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TcpMssClampTest {
    private final TcpMssClamp clamp = new TcpMssClamp();
    private final TcpHeader tcp = new TcpHeader();

    @Test
    void clampsIpv4SynAndKeepsChecksumCorrect() throws MalformedPacketException {
        ByteBuf syn = Packets.withHeadroom(Packets.bytes(Packets.IPV4_TCP_SYN), 3);
        assertTrue(clamp.clamp(syn, 3, 1360));
        tcp.wrap(syn, 23).validate(40);
        assertEquals(1360, tcp.maximumSegmentSize());
        assertTrue(tcp.isChecksumValid(3, 40));
        assertTrue(new Ipv4Header().wrap(syn, 3).isHeaderChecksumValid());
        int incremental = tcp.checksum();
        tcp.updateChecksum(3, 40);
        assertEquals(tcp.checksum(), incremental);
        // Idempotent: already small enough.
        assertFalse(clamp.clamp(syn, 3, 1360));
        assertFalse(clamp.clamp(syn, 3, 1400));
    }

    @Test
    void clampsIpv6Syn() throws MalformedPacketException {
        ByteBuf syn = Packets.buf(Packets.IPV6_TCP_SYN);
        assertTrue(clamp.clamp(syn, 0, 1220));
        tcp.wrap(syn, 40).validate(40);
        assertEquals(1220, tcp.maximumSegmentSize());
        assertTrue(tcp.isChecksumValid(0, 40));
    }

    @Test
    void clampsAnMssBehindAnOddNumberOfNops() throws MalformedPacketException {
        // Rewrite the options as NOP, MSS 65495, NOP, NOP, NOP, then the rest padded: the MSS value
        // now starts at an odd offset from the TCP header and straddles two checksum words.
        ByteBuf syn = Packets.buf(Packets.IPV4_TCP_SYN);
        syn.setBytes(40, Packets.bytes("01 0204ffd7 010101 0101010101 0101010101 0000"));
        tcp.wrap(syn, 20).updateChecksum(0, 40);
        assertTrue(clamp.clamp(syn, 0, 1000));
        tcp.validate(40);
        assertEquals(1000, tcp.maximumSegmentSize());
        assertTrue(tcp.isChecksumValid(0, 40));
    }

    @Test
    void leavesOtherPacketsUntouched() throws MalformedPacketException {
        ByteBuf ack = Packets.buf(Packets.IPV4_TCP_SYN);
        tcp.wrap(ack, 20).setFlags(TcpHeader.ACK).updateChecksum(0, 40);
        assertUntouched(ack);
        ByteBuf noMss = Packets.buf(Packets.IPV4_TCP_SYN);
        noMss.setBytes(40, Packets.bytes("01010101"));
        tcp.wrap(noMss, 20).updateChecksum(0, 40);
        assertUntouched(noMss);
        assertUntouched(Packets.ipv4Udp(30, new byte[0], false));
        assertUntouched(Packets.buf(Packets.IPV6_ICMPV6_ECHO));
        ByteBuf fragment = Packets.buf(Packets.IPV4_TCP_SYN);
        new Ipv4Header().wrap(fragment, 0).setFragmentOffset(1).updateHeaderChecksum();
        assertUntouched(fragment);
    }

    @Test
    void malformedPacketsThrowTheTypedError() {
        ByteBuf truncated = Packets.buf(Packets.IPV4_TCP_SYN).capacity(50);
        assertThrows(MalformedPacketException.class, () -> clamp.clamp(truncated, 0, 1000));
        ByteBuf badOption = Packets.buf(Packets.IPV4_TCP_SYN);
        badOption.setByte(41, 0);
        assertThrows(MalformedPacketException.class, () -> clamp.clamp(badOption, 0, 1000));
        assertThrows(MalformedPacketException.class, () -> clamp.clamp(Packets.buf("00"), 0, 1000));
    }

    private void assertUntouched(ByteBuf packet) throws MalformedPacketException {
        byte[] before = Packets.toArray(packet, 0, packet.writerIndex());
        assertFalse(clamp.clamp(packet, 0, 536));
        assertArrayEquals(before, Packets.toArray(packet, 0, packet.writerIndex()));
    }
}
