package io.pathsec.engine.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IcmpErrorBuilderTest {
    private static final byte[] GATEWAY4 = {10, 0, 0, (byte) 254};
    private static final byte[] GATEWAY6 = Packets.bytes("20010db8000000000000000000000fe0");

    private final IcmpErrorBuilder builder = new IcmpErrorBuilder();
    private final Ipv4Header ip = new Ipv4Header();
    private final Ipv6Header ip6 = new Ipv6Header();
    private final IcmpHeader icmp = new IcmpHeader();
    private final Icmpv6Header icmp6 = new Icmpv6Header();

    /** The captured SYN moved off loopback (an error to 127/8 is never sent): 192.168.1.10 > 198.51.100.7. */
    private static ByteBuf routableSyn() {
        ByteBuf syn = Packets.buf(Packets.IPV4_TCP_SYN);
        Ipv4Header header = new Ipv4Header().wrap(syn, 0);
        int tcpChecksum = syn.getUnsignedShort(20 + TcpHeader.CHECKSUM_OFFSET);
        tcpChecksum = Checksums.incrementalUpdate32(tcpChecksum, header.sourceAddress(), 0xc0a8010a);
        tcpChecksum = Checksums.incrementalUpdate32(tcpChecksum, header.destinationAddress(), 0xc6336407);
        header.setSourceAddress(0xc0a8010a).setDestinationAddress(0xc6336407).updateHeaderChecksum();
        syn.setShort(20 + TcpHeader.CHECKSUM_OFFSET, tcpChecksum);
        return syn;
    }

    @Test
    void fragmentationNeededAnswersTheCapturedSyn() throws MalformedPacketException {
        ByteBuf offending = routableSyn();
        assertTrue(Checksums.verifyTransport(offending, 0, 20, 40, IpProtocol.TCP));
        ByteBuf out = Unpooled.buffer().writeBytes(new byte[5]); // existing bytes stay put
        int written = builder.packetTooBig(out, GATEWAY4, offending, 0, 1400);
        assertEquals(20 + 8 + 60, written);
        assertEquals(5 + written, out.writerIndex());

        ip.wrap(out, 5).validate();
        assertTrue(ip.isHeaderChecksumValid());
        assertEquals(IpProtocol.ICMP, ip.protocol());
        assertEquals(0x0a0000fe, ip.sourceAddress());
        assertEquals(0xc0a8010a, ip.destinationAddress());
        assertEquals(written, ip.totalLength());
        assertTrue(ip.dontFragment());
        assertEquals(64, ip.ttl());
        icmp.wrap(out, ip.payloadOffset()).validate(ip.payloadLength());
        assertEquals(3, icmp.type());
        assertEquals(4, icmp.code());
        assertEquals(1400, icmp.nextHopMtu());
        assertEquals(1400, icmp.restOfHeader()); // RFC 1191: unused high half is zero
        assertTrue(icmp.isChecksumValid(ip.payloadLength()));
        assertArrayEquals(Packets.toArray(offending, 0, 60), Packets.toArray(out, icmp.quotedPacketOffset(), 60));
    }

    @Test
    void ipv4QuoteStopsAt576Bytes() throws MalformedPacketException {
        ByteBuf offending = Packets.ipv4Udp(1400, new byte[0], true);
        ByteBuf out = Unpooled.buffer();
        assertEquals(576, builder.packetTooBig(out, GATEWAY4, offending, 0, 1300));
        ip.wrap(out, 0).validate();
        icmp.wrap(out, 20).validate(556);
        assertTrue(icmp.isChecksumValid(556));
        assertArrayEquals(Packets.toArray(offending, 0, 548), Packets.toArray(out, 28, 548));
    }

    @Test
    void packetTooBigAnswersAnIpv6PacketQuotingUpTo1280Bytes() throws MalformedPacketException {
        ByteBuf offending = Packets.ipv6Udp(1452); // 1500 bytes
        ByteBuf out = Unpooled.buffer(16, 1280); // a caller-supplied buffer that must not grow past 1280
        int written = builder.packetTooBig(out, GATEWAY6, offending, 0, 1380);
        assertEquals(1280, written);
        ip6.wrap(out, 0).validate();
        assertEquals(IpProtocol.ICMPV6, ip6.upperLayerProtocol());
        byte[] address = new byte[16];
        ip6.getSource(address, 0);
        assertArrayEquals(GATEWAY6, address);
        ip6.getDestination(address, 0);
        assertArrayEquals(Packets.bytes("20010db8000000000000000000000001"), address);
        icmp6.wrap(out, 40).validate(1240);
        assertEquals(Icmpv6Header.TYPE_PACKET_TOO_BIG, icmp6.type());
        assertEquals(1380, icmp6.mtu());
        assertTrue(icmp6.isChecksumValid(0, 1240));
        assertArrayEquals(Packets.toArray(offending, 0, 1232), Packets.toArray(out, 48, 1232));
    }

    @Test
    void genericErrorsUseTheSameCodePath() throws MalformedPacketException {
        ByteBuf out = Unpooled.buffer();
        builder.build(out, IcmpError.PORT_UNREACHABLE, GATEWAY4, Packets.ipv4Udp(20, new byte[0], false), 0);
        icmp.wrap(out, 20).validate(out.writerIndex() - 20);
        assertEquals(3, icmp.type());
        assertEquals(3, icmp.code());
        assertEquals(0, icmp.restOfHeader());
        assertTrue(icmp.isChecksumValid(out.writerIndex() - 20));

        ByteBuf out6 = Unpooled.buffer();
        int written = builder.build(out6, IcmpError.TIME_EXCEEDED_IN_TRANSIT, GATEWAY6,
                Packets.buf(Packets.IPV6_TCP_SYN), 0);
        assertEquals(48 + 80, written);
        icmp6.wrap(out6, 40).validate(written - 40);
        assertEquals(3, icmp6.type());
        assertEquals(0, icmp6.code());
        assertTrue(icmp6.isChecksumValid(0, written - 40));
        assertArrayEquals(Packets.bytes(Packets.IPV6_TCP_SYN), Packets.toArray(out6, 48, 80));
        assertThrows(IllegalArgumentException.class,
                () -> builder.build(out6, IcmpError.PACKET_TOO_BIG, GATEWAY6, Packets.buf(Packets.IPV6_TCP_SYN), 0));
    }

    @Test
    void staysSilentWhereTheRfcsForbidAnError() throws MalformedPacketException {
        ByteBuf out = Unpooled.buffer();
        // An ICMP error about an ICMP error (RFC 1122 §3.2.2).
        ByteBuf firstError = Unpooled.buffer();
        builder.packetTooBig(firstError, GATEWAY4, routableSyn(), 0, 1400);
        assertEquals(0, builder.packetTooBig(out, GATEWAY4, firstError, 0, 1300));
        ByteBuf firstError6 = Unpooled.buffer();
        builder.packetTooBig(firstError6, GATEWAY6, Packets.buf(Packets.IPV6_TCP_SYN), 0, 1300);
        assertEquals(0, builder.packetTooBig(out, GATEWAY6, firstError6, 0, 1280));
        // A loopback source (the unmodified capture), a non-first IPv4 fragment, a multicast destination, an unspecified source.
        assertEquals(0, builder.packetTooBig(out, GATEWAY4, Packets.buf(Packets.IPV4_TCP_SYN), 0, 1400));
        ByteBuf fragment = Packets.ipv4Udp(20, new byte[0], false);
        ip.wrap(fragment, 0).setFragmentOffset(3).updateHeaderChecksum();
        assertEquals(0, builder.build(out, IcmpError.HOST_UNREACHABLE, GATEWAY4, fragment, 0));
        ByteBuf multicast = Packets.ipv4Udp(20, new byte[0], false);
        ip.wrap(multicast, 0).setDestinationAddress(0xe0000001).updateHeaderChecksum();
        assertEquals(0, builder.build(out, IcmpError.PORT_UNREACHABLE, GATEWAY4, multicast, 0));
        ByteBuf unspecified6 = Packets.ipv6Udp(20);
        ip6.wrap(unspecified6, 0).setSource(new byte[16], 0);
        assertEquals(0, builder.packetTooBig(out, GATEWAY6, unspecified6, 0, 1280));
        // IPv6 multicast destination: Packet Too Big is still sent (RFC 4443 §2.4(e.2)), others not.
        ByteBuf multicast6 = Packets.ipv6Udp(20);
        ip6.wrap(multicast6, 0).setDestination(Packets.bytes("ff0e0000000000000000000000000001"), 0);
        assertEquals(0, builder.build(out, IcmpError.PORT_UNREACHABLE, GATEWAY6, multicast6, 0));
        assertEquals(0, out.writerIndex());
        assertEquals(48 + 68, builder.packetTooBig(out, GATEWAY6, multicast6, 0, 1280));
    }

    @Test
    void rejectsMalformedOffendersAndBadArguments() {
        ByteBuf out = Unpooled.buffer();
        assertThrows(MalformedPacketException.class,
                () -> builder.packetTooBig(out, GATEWAY4, Unpooled.wrappedBuffer(new byte[]{0x45, 0}), 0, 1400));
        assertThrows(MalformedPacketException.class,
                () -> builder.packetTooBig(out, GATEWAY4, Unpooled.buffer(), 0, 1400));
        assertThrows(MalformedPacketException.class,
                () -> builder.packetTooBig(out, GATEWAY4, Unpooled.wrappedBuffer(new byte[40]), 0, 1400));
        assertThrows(IllegalArgumentException.class,
                () -> builder.packetTooBig(out, GATEWAY6, routableSyn(), 0, 1400));
        assertThrows(IllegalArgumentException.class,
                () -> builder.packetTooBig(out, GATEWAY4, routableSyn(), 0, 67));
        assertThrows(IllegalArgumentException.class,
                () -> builder.packetTooBig(out, GATEWAY6, Packets.buf(Packets.IPV6_TCP_SYN), 0, 1279));
        assertEquals(0, out.writerIndex());
    }
}
