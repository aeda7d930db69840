package io.pathsec.engine.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static io.pathsec.engine.packet.MalformedPacketException.Reason.BAD_HEADER_LENGTH;
import static io.pathsec.engine.packet.MalformedPacketException.Reason.BAD_LENGTH;
import static io.pathsec.engine.packet.MalformedPacketException.Reason.BAD_OPTION;
import static io.pathsec.engine.packet.MalformedPacketException.Reason.BAD_VERSION;
import static io.pathsec.engine.packet.MalformedPacketException.Reason.TRUNCATED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ipv4HeaderTest {
    private final Ipv4Header ip = new Ipv4Header();

    @Test
    void readsCapturedSyn() throws MalformedPacketException {
        ByteBuf buf = Packets.withHeadroom(Packets.bytes(Packets.IPV4_TCP_SYN), 7);
        ip.wrap(buf, 7).validate();
        assertEquals(4, ip.version());
        assertEquals(5, ip.ihl());
        assertEquals(0, ip.optionsLength());
        assertEquals(0, ip.dscp());
        assertEquals(0, ip.ecn());
        assertEquals(60, ip.totalLength());
        assertEquals(0xa5a2, ip.identification());
        assertTrue(ip.dontFragment());
        assertFalse(ip.moreFragments());
        assertFalse(ip.isFragment());
        assertEquals(0, ip.fragmentOffset());
        assertEquals(64, ip.ttl());
        assertEquals(IpProtocol.TCP, ip.protocol());
        assertEquals(0x9717, ip.headerChecksum());
        assertEquals(0x7f000001, ip.sourceAddress());
        assertEquals(0x7f000001, ip.destinationAddress());
        assertEquals(27, ip.payloadOffset());
        assertEquals(40, ip.payloadLength());
        assertTrue(ip.isHeaderChecksumValid());
        byte[] address = new byte[4];
        ip.getSource(address, 0);
        assertEquals(127, address[0]);
    }

    @Test
    void settersRoundTripAndChecksumFollowsEveryMutation() throws MalformedPacketException {
        ByteBuf buf = Packets.buf(Packets.IPV4_TCP_SYN);
        ip.wrap(buf, 0);
        ip.setDscp(46).updateHeaderChecksum();
        assertTrue(ip.isHeaderChecksumValid());
        ip.setEcn(3).updateHeaderChecksum();
        assertTrue(ip.isHeaderChecksumValid());
        assertEquals(46, ip.dscp());
        assertEquals(3, ip.ecn());
        ip.setIdentification(0xbeef).setDontFragment(false).setMoreFragments(true)
                .setFragmentOffset(0x1abc).setTtl(1).setProtocol(IpProtocol.UDP)
                .setSourceAddress(0x0a000001).setDestinationAddress(0xc0000201);
        assertFalse(ip.isHeaderChecksumValid());
        ip.updateHeaderChecksum();
        assertTrue(ip.isHeaderChecksumValid());
        assertEquals(0xbeef, ip.identification());
        assertFalse(ip.dontFragment());
        assertTrue(ip.moreFragments());
        assertEquals(0x1abc, ip.fragmentOffset());
        assertTrue(ip.isFragment());
        assertEquals(1, ip.ttl());
        assertEquals(IpProtocol.UDP, ip.protocol());
        assertEquals(0x0a000001, ip.sourceAddress());
        assertEquals(0xc0000201, ip.destinationAddress());
        assertEquals(46, ip.dscp());
        ip.setFragmentOffset(0).setMoreFragments(false).setDontFragment(true);
        assertTrue(ip.dontFragment());
        assertFalse(ip.isFragment());
        ip.setTotalLength(44).updateHeaderChecksum();
        assertEquals(44, ip.totalLength());
        ip.validate();
    }

    @Test
    void acceptsLinkLayerPaddingAfterTheDatagram() throws MalformedPacketException {
        ByteBuf buf = Unpooled.buffer().writeBytes(Packets.bytes(Packets.IPV4_TCP_SYN)).writeZero(6);
        assertEquals(40, ip.wrap(buf, 0).validate().payloadLength());
    }

    @Test
    void rejectsMalformedHeadersWithReason() {
        byte[] syn = Packets.bytes(Packets.IPV4_TCP_SYN);
        assertReason(TRUNCATED, Unpooled.wrappedBuffer(syn, 0, 19));
        assertReason(TRUNCATED, Unpooled.buffer());
        assertReason(TRUNCATED, Unpooled.wrappedBuffer(syn, 0, 59)); // total length 60
        ByteBuf v6 = Packets.buf(Packets.IPV6_TCP_SYN);
        assertReason(BAD_VERSION, v6);
        ByteBuf ihl4 = Unpooled.wrappedBuffer(syn.clone());
        ihl4.setByte(0, 0x44);
        assertReason(BAD_HEADER_LENGTH, ihl4);
        ByteBuf ihl15 = Unpooled.wrappedBuffer(syn.clone());
        ihl15.setByte(0, 0x4f); // 60-byte header in a 60-byte packet is fine; in fewer bytes it is not
        ihl15.setShort(2, 60);
        assertEquals(60, assertValid(ihl15).headerLength());
        ByteBuf shortTotal = Unpooled.wrappedBuffer(syn.clone());
        shortTotal.setShort(2, 19);
        assertReason(BAD_LENGTH, shortTotal);
        ByteBuf hugeTotal = Unpooled.wrappedBuffer(syn.clone());
        hugeTotal.setShort(2, 0xffff);
        assertReason(TRUNCATED, hugeTotal);
        ByteBuf shortHeader = Unpooled.wrappedBuffer(syn, 0, 30);
        shortHeader.setByte(0, 0x48); // 32-byte header in 30 bytes
        assertReason(TRUNCATED, shortHeader);
        assertThrows(MalformedPacketException.class, () -> ip.wrap(Packets.buf(Packets.IPV4_TCP_SYN), -1).validate());
    }

    @Test
    void validatesOptionsList() throws MalformedPacketException {
        // Options: NOP, Router Alert (copied, type 148, length 4), EOL padding.
        ByteBuf good = Packets.ipv4Udp(4, Packets.bytes("01 940400 00 00 00 00"), false);
        ip.wrap(good, 0).validate().validateOptions();
        assertEquals(8, ip.optionsLength());
        assertEquals(1, ip.optionLength(20));
        assertEquals(4, ip.optionLength(21));

        ByteBuf zeroLength = Packets.ipv4Udp(4, Packets.bytes("94 00 0000"), false);
        MalformedPacketException e = assertThrows(MalformedPacketException.class,
                () -> ip.wrap(zeroLength, 0).validate().validateOptions());
        assertEquals(BAD_OPTION, e.reason());
        ByteBuf overrun = Packets.ipv4Udp(4, Packets.bytes("01 01 83 09"), false);
        e = assertThrows(MalformedPacketException.class, () -> ip.wrap(overrun, 0).validate().validateOptions());
        assertEquals(BAD_OPTION, e.reason());
        ByteBuf noLength = Packets.ipv4Udp(4, Packets.bytes("01 01 01 83"), false);
        e = assertThrows(MalformedPacketException.class, () -> ip.wrap(noLength, 0).validate().validateOptions());
        assertEquals(BAD_OPTION, e.reason());
    }

    private Ipv4Header assertValid(ByteBuf buf) {
        try {
            return ip.wrap(buf, 0).validate();
        } catch (MalformedPacketException e) {
            throw new AssertionError(e);
        }
    }

    private void assertReason(MalformedPacketException.Reason reason, ByteBuf buf) {
        MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> ip.wrap(buf, 0).validate());
        assertEquals(reason, e.reason(), e.getMessage());
    }
}
