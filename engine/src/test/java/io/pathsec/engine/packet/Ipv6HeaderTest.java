package io.pathsec.engine.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static io.pathsec.engine.packet.MalformedPacketException.Reason.BAD_VERSION;
import static io.pathsec.engine.packet.MalformedPacketException.Reason.TOO_MANY_EXTENSION_HEADERS;
import static io.pathsec.engine.packet.MalformedPacketException.Reason.TRUNCATED;
import static io.pathsec.engine.packet.MalformedPacketException.Reason.UNSUPPORTED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ipv6HeaderTest {
    private static final String LOOPBACK = "00000000000000000000000000000001";
    private final Ipv6Header ip = new Ipv6Header();

    @Test
    void readsCapturedEcho() throws MalformedPacketException {
        ip.wrap(Packets.buf(Packets.IPV6_ICMPV6_ECHO), 0).validate();
        assertEquals(6, ip.version());
        assertEquals(0, ip.trafficClass());
        assertEquals(0x5b0de, ip.flowLabel());
        assertEquals(24, ip.payloadLength());
        assertEquals(IpProtocol.ICMPV6, ip.nextHeader());
        assertEquals(64, ip.hopLimit());
        assertEquals(IpProtocol.ICMPV6, ip.upperLayerProtocol());
        assertEquals(40, ip.upperLayerOffset());
        assertEquals(24, ip.upperLayerLength());
        assertFalse(ip.isFragment());
        byte[] address = new byte[16];
        ip.getSource(address, 0);
        assertArrayEquals(Packets.bytes(LOOPBACK), address);
    }

    @Test
    void settersRoundTrip() {
        ByteBuf buf = Packets.buf(Packets.IPV6_ICMPV6_ECHO);
        ip.wrap(buf, 0).setTrafficClass(0xb8).setFlowLabel(0xfffff).setHopLimit(1).setPayloadLength(16)
                .setNextHeader(IpProtocol.UDP)
                .setSource(Packets.bytes("20010db8000000000000000000000001"), 0)
                .setDestination(Packets.bytes("ff020000000000000000000000000001"), 0);
        assertEquals(6, ip.version());
        assertEquals(0xb8, ip.trafficClass());
        assertEquals(0xfffff, ip.flowLabel());
        assertEquals(1, ip.hopLimit());
        assertEquals(16, ip.payloadLength());
        assertEquals(IpProtocol.UDP, ip.nextHeader());
        byte[] dst = new byte[16];
        ip.getDestination(dst, 0);
        assertArrayEquals(Packets.bytes("ff020000000000000000000000000001"), dst);
    }

    @Test
    void walksHopByHopDestinationOptionsAndFirstFragmentToTcp() throws MalformedPacketException {
        // HBH (8 bytes, PadN) -> Destination Options (16 bytes) -> Fragment (offset 0, M=1) -> TCP.
        String extensions = "3c00 0104 0000 0000" + "2c01 0106 0000 0000 0000 0000 0000 0000"
                + "0600 0001 1234 5678";
        ByteBuf packet = ipv6(0, extensions + "e5e4 15b3", 0);
        ip.wrap(packet, 0).validate();
        assertEquals(IpProtocol.TCP, ip.upperLayerProtocol());
        assertEquals(40 + 32, ip.upperLayerOffset());
        assertEquals(4, ip.upperLayerLength());
        assertTrue(ip.isFragment());
        assertEquals(40 + 24, ip.fragmentHeaderOffset());
        assertFalse(ip.isNonFirstFragment());
    }

    @Test
    void stopsAtNonFirstFragmentAndAtAuthenticationHeaderLengthUnits() throws MalformedPacketException {
        ByteBuf fragment = ipv6(IpProtocol.IPV6_FRAGMENT, "0600 0100 1234 5678" + "ffff ffff", 0);
        ip.wrap(fragment, 0).validate();
        assertTrue(ip.isNonFirstFragment());
        assertEquals(IpProtocol.TCP, ip.upperLayerProtocol());
        assertEquals(48, ip.upperLayerOffset());

        // AH with payload length 4 → (4 + 2) * 4 = 24 bytes (RFC 4302 §2.2), then UDP.
        ByteBuf ah = ipv6(IpProtocol.AH, "1104 0000 0000 0100 0000 0001" + "0000 0000 0000 0000 0000 0000"
                + "0400 0800 0008 0000", 0);
        ip.wrap(ah, 0).validate();
        assertEquals(IpProtocol.UDP, ip.upperLayerProtocol());
        assertEquals(64, ip.upperLayerOffset());
    }

    @Test
    void rejectsMalformedWithReason() {
        assertReason(TRUNCATED, Unpooled.wrappedBuffer(Packets.bytes(Packets.IPV6_ICMPV6_ECHO), 0, 39));
        assertReason(TRUNCATED, Unpooled.wrappedBuffer(Packets.bytes(Packets.IPV6_ICMPV6_ECHO), 0, 63));
        assertReason(BAD_VERSION, Packets.buf(Packets.IPV4_TCP_SYN + "0000"));
        // Destination Options header claiming 16 bytes in an 8-byte payload.
        assertReason(TRUNCATED, ipv6(IpProtocol.IPV6_DESTINATION_OPTIONS, "3b01 0000 0000 0000", 0));
        // Payload too short for any extension header.
        assertReason(TRUNCATED, ipv6(IpProtocol.IPV6_ROUTING, "3b00 0000", 0));
        // A chain of 17 empty Destination Options headers.
        assertReason(TOO_MANY_EXTENSION_HEADERS, ipv6(IpProtocol.IPV6_DESTINATION_OPTIONS,
                "3c00 0000 0000 0000".repeat(16) + "3b00 0000 0000 0000", 0));
        // Jumbogram: zero payload length with Hop-by-Hop.
        ByteBuf jumbo = ipv6(IpProtocol.HOP_BY_HOP_OPTIONS, "3b00 c204 0001 0000", 0);
        jumbo.setShort(4, 0);
        assertReason(UNSUPPORTED, jumbo);
    }

    /** An IPv6 packet ::1 > ::1 with the given first next header and payload hex. */
    static ByteBuf ipv6(int nextHeader, String payloadHex, int headroom) {
        byte[] payload = Packets.bytes(payloadHex);
        ByteBuf buf = Unpooled.buffer();
        buf.writeZero(headroom);
        buf.writeInt(0x6000_0000).writeShort(payload.length).writeByte(nextHeader).writeByte(64);
        buf.writeBytes(Packets.bytes(LOOPBACK)).writeBytes(Packets.bytes(LOOPBACK)).writeBytes(payload);
        return buf;
    }

    private void assertReason(MalformedPacketException.Reason reason, ByteBuf buf) {
        MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> ip.wrap(buf, 0).validate());
        assertEquals(reason, e.reason(), e.getMessage());
    }
}
