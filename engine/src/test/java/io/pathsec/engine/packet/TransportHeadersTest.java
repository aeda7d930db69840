package io.pathsec.engine.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static io.pathsec.engine.packet.MalformedPacketException.Reason.BAD_HEADER_LENGTH;
import static io.pathsec.engine.packet.MalformedPacketException.Reason.BAD_LENGTH;
import static io.pathsec.engine.packet.MalformedPacketException.Reason.BAD_OPTION;
import static io.pathsec.engine.packet.MalformedPacketException.Reason.BAD_QUOTED_PACKET;
import static io.pathsec.engine.packet.MalformedPacketException.Reason.TRUNCATED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TCP, UDP, ICMP and ICMPv6 views. */
class TransportHeadersTest {
    private final TcpHeader tcp = new TcpHeader();
    private final UdpHeader udp = new UdpHeader();
    private final IcmpHeader icmp = new IcmpHeader();
    private final Icmpv6Header icmp6 = new Icmpv6Header();

    @Test
    void readsCapturedSynAndIteratesItsOptions() throws MalformedPacketException {
        ByteBuf syn = Packets.buf(Packets.IPV4_TCP_SYN);
        tcp.wrap(syn, 20).validate(40);
        assertEquals(40678, tcp.sourcePort());
        assertEquals(5555, tcp.destinationPort());
        assertEquals(3699528745L, tcp.sequenceNumber());
        assertEquals(0, tcp.acknowledgmentNumber());
        assertEquals(10, tcp.dataOffset());
        assertEquals(TcpHeader.SYN, tcp.flags());
        assertTrue(tcp.isSyn());
        assertFalse(tcp.hasFlags(TcpHeader.SYN | TcpHeader.ACK));
        assertEquals(65495, tcp.window());
        assertEquals(0x030a, tcp.checksum());
        assertEquals(20, tcp.optionsLength());
        assertEquals(65495, tcp.maximumSegmentSize());
        assertTrue(tcp.isChecksumValid(0, 40));

        // RFC 9293 / 7323 / 2018 options in capture order.
        int[][] expected = {{2, 4}, {4, 2}, {8, 10}, {1, 1}, {3, 3}};
        TcpOptions options = tcp.options();
        for (int[] option : expected) {
            assertTrue(options.next());
            assertEquals(option[0], options.kind());
            assertEquals(option[1], options.length());
        }
        assertFalse(options.next());
        assertEquals(20 + 20 + 4, tcp.findOption(TcpOptions.KIND_SACK_PERMITTED));
        assertEquals(-1, tcp.findOption(TcpOptions.KIND_SACK));
    }

    @Test
    void tcpSettersRoundTripWithChecksum() throws MalformedPacketException {
        ByteBuf syn = Packets.buf(Packets.IPV4_TCP_SYN);
        tcp.wrap(syn, 20).setSourcePort(1).setDestinationPort(65535).setSequenceNumber(0xffff_fffeL)
                .setAcknowledgmentNumber(7).setFlags(TcpHeader.SYN | TcpHeader.ACK | TcpHeader.ECE)
                .setWindow(1024).setUrgentPointer(3).updateChecksum(0, 40);
        assertTrue(tcp.isChecksumValid(0, 40));
        assertEquals(1, tcp.sourcePort());
        assertEquals(65535, tcp.destinationPort());
        assertEquals(0xffff_fffeL, tcp.sequenceNumber());
        assertEquals(7, tcp.acknowledgmentNumber());
        assertTrue(tcp.hasFlags(TcpHeader.SYN | TcpHeader.ACK));
        assertEquals(1024, tcp.window());
        assertEquals(3, tcp.urgentPointer());
        tcp.setDataOffset(5);
        assertEquals(5, tcp.dataOffset());
        assertEquals(-1, tcp.maximumSegmentSize());
        tcp.validate(40);
    }

    @Test
    void tcpRejectsBadDataOffsetTruncationAndBadOptions() {
        byte[] syn = Packets.bytes(Packets.IPV4_TCP_SYN);
        assertTcpReason(TRUNCATED, Unpooled.wrappedBuffer(syn), 19);
        assertTcpReason(TRUNCATED, Unpooled.wrappedBuffer(syn), 41); // beyond the buffer
        assertTcpReason(TRUNCATED, Unpooled.wrappedBuffer(syn), 39); // header of 40 in 39
        ByteBuf small = Unpooled.wrappedBuffer(syn.clone());
        small.setByte(32, 0x40);
        assertTcpReason(BAD_HEADER_LENGTH, small, 40);

        ByteBuf zeroLengthOption = Unpooled.wrappedBuffer(syn.clone());
        zeroLengthOption.setByte(41, 0); // MSS option length 0 would loop forever if accepted
        assertThrowsReason(BAD_OPTION, () -> tcp.wrap(zeroLengthOption, 20).validate(40).findOption(8));
        ByteBuf overrun = Unpooled.wrappedBuffer(syn.clone());
        overrun.setByte(58, 0x05); // window scale claims 5 bytes in the last 3
        assertThrowsReason(BAD_OPTION, () -> tcp.wrap(overrun, 20).validate(40).findOption(99));
        ByteBuf badMss = Unpooled.wrappedBuffer(syn.clone());
        badMss.setByte(41, 3);
        assertThrowsReason(BAD_OPTION, () -> tcp.wrap(badMss, 20).validate(40).maximumSegmentSize());
    }

    @Test
    void udpViewAndValidation() throws MalformedPacketException {
        ByteBuf datagram = Packets.ipv4Udp(100, new byte[0], true);
        udp.wrap(datagram, 20).validate(108);
        assertEquals(1000, udp.sourcePort());
        assertEquals(2000, udp.destinationPort());
        assertEquals(108, udp.length());
        assertEquals(28, udp.payloadOffset());
        assertEquals(100, udp.payloadLength());
        assertTrue(udp.isChecksumValid(0));
        udp.setSourcePort(4500).setDestinationPort(4500).updateChecksum(0);
        assertTrue(udp.isChecksumValid(0));
        udp.setChecksum(udp.checksum() ^ 0x0100);
        assertFalse(udp.isChecksumValid(0));

        assertThrowsReason(TRUNCATED, () -> udp.wrap(datagram, 20).validate(107));
        assertThrowsReason(TRUNCATED, () -> udp.wrap(datagram, 20).validate(200));
        datagram.setShort(24, 7);
        assertThrowsReason(BAD_LENGTH, () -> udp.wrap(datagram, 20).validate(108));
        assertThrowsReason(TRUNCATED, () -> udp.wrap(Unpooled.wrappedBuffer(new byte[7]), 0).validate());
    }

    @Test
    void icmpv4FragmentationNeededView() throws MalformedPacketException {
        // Type 3 code 4, next-hop MTU 1400, quoting the captured SYN's header and 8 bytes.
        byte[] quoted = Packets.toArray(Packets.buf(Packets.IPV4_TCP_SYN), 0, 28);
        ByteBuf message = Unpooled.buffer().writeBytes(Packets.bytes("0304 0000 0000 0578")).writeBytes(quoted);
        icmp.wrap(message, 0).updateChecksum(36).validate();
        assertTrue(icmp.isError());
        assertTrue(icmp.isFragmentationNeeded());
        assertEquals(1400, icmp.nextHopMtu());
        assertEquals(8, icmp.quotedPacketOffset());
        assertTrue(icmp.isChecksumValid(36));
        icmp.setNextHopMtu(1280).updateChecksum(36);
        assertEquals(1280, icmp.restOfHeader());
        assertTrue(icmp.isChecksumValid(36));

        ByteBuf echo = Unpooled.buffer().writeBytes(Packets.bytes("0800 0000 1b6e 0001"));
        icmp.wrap(echo, 0).validate();
        assertFalse(icmp.isError());
        assertEquals(0x1b6e, icmp.identifier());
        assertEquals(1, icmp.sequenceNumber());

        assertThrowsReason(TRUNCATED, () -> icmp.wrap(Unpooled.wrappedBuffer(new byte[7]), 0).validate());
        ByteBuf noQuote = Unpooled.wrappedBuffer(Packets.bytes("0b00 0000 0000 0000 4500"));
        assertThrowsReason(BAD_QUOTED_PACKET, () -> icmp.wrap(noQuote, 0).validate());
        ByteBuf badQuote = Unpooled.buffer().writeBytes(Packets.bytes("0304 0000 0000 0578")).writeBytes(quoted);
        badQuote.setByte(8, 0x46); // quoted IHL 6 = 24 bytes is fine, 0x4f = 60 is not
        icmp.wrap(badQuote, 0).validate();
        badQuote.setByte(8, 0x4f);
        assertThrowsReason(BAD_QUOTED_PACKET, () -> icmp.wrap(badQuote, 0).validate());
        badQuote.setByte(8, 0x65);
        assertThrowsReason(BAD_QUOTED_PACKET, () -> icmp.wrap(badQuote, 0).validate());
    }

    @Test
    void icmpv6CapturedEchoAndPacketTooBig() throws MalformedPacketException {
        ByteBuf echo = Packets.buf(Packets.IPV6_ICMPV6_ECHO);
        icmp6.wrap(echo, 40).validate(24);
        assertEquals(Icmpv6Header.TYPE_ECHO_REQUEST, icmp6.type());
        assertEquals(0, icmp6.code());
        assertEquals(0x1b6e, icmp6.identifier());
        assertEquals(1, icmp6.sequenceNumber());
        assertFalse(icmp6.isError());
        assertTrue(icmp6.isChecksumValid(0, 24));
        icmp6.setType(Icmpv6Header.TYPE_ECHO_REPLY).updateChecksum(0, 24);
        assertTrue(icmp6.isChecksumValid(0, 24));

        // A Packet Too Big quoting the echo request (RFC 4443 §3.2).
        byte[] invoking = Packets.bytes(Packets.IPV6_ICMPV6_ECHO);
        ByteBuf ptb = Ipv6HeaderTest.ipv6(IpProtocol.ICMPV6, "0200 0000 0000 0500" + Packets.IPV6_ICMPV6_ECHO, 0);
        icmp6.wrap(ptb, 40).updateChecksum(0, 8 + invoking.length).validate();
        assertTrue(icmp6.isPacketTooBig());
        assertTrue(icmp6.isError());
        assertEquals(1280, icmp6.mtu());
        icmp6.setMtu(0xffff_fff0L);
        assertEquals(0xffff_fff0L, icmp6.mtu());
        assertEquals(48, icmp6.quotedPacketOffset());

        ByteBuf shortQuote = Ipv6HeaderTest.ipv6(IpProtocol.ICMPV6, "0100 0000 0000 0000 6000 0000", 0);
        assertThrowsReason(BAD_QUOTED_PACKET, () -> icmp6.wrap(shortQuote, 40).validate());
        assertThrowsReason(TRUNCATED, () -> icmp6.wrap(shortQuote, 40).validate(100));
    }

    private void assertTcpReason(MalformedPacketException.Reason reason, ByteBuf buf, int length) {
        assertThrowsReason(reason, () -> tcp.wrap(buf, 20).validate(length));
    }

    private static void assertThrowsReason(MalformedPacketException.Reason reason,
                                           org.junit.jupiter.api.function.Executable executable) {
        MalformedPacketException e = assertThrows(MalformedPacketException.class, executable);
        assertEquals(reason, e.reason(), e.getMessage());
    }
}
