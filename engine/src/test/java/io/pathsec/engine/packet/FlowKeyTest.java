package io.pathsec.engine.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlowKeyTest {
    private final FlowKey key = new FlowKey();

    @Test
    void parsesCapturedPacketsAndReverses() {
        assertTrue(key.parse(Packets.buf(Packets.IPV4_TCP_SYN)));
        assertEquals(4, key.ipVersion());
        assertEquals(FlowKey.PROTO_TCP, key.protocol());
        assertEquals(40678, key.sourcePort());
        assertEquals(5555, key.destinationPort());
        key.reverse();
        assertEquals(5555, key.sourcePort());
        assertEquals("127.0.0.1:5555 > 127.0.0.1:40678 proto 6", key.toString());

        assertTrue(key.parse(Packets.buf(Packets.IPV6_ICMPV6_ECHO)));
        assertEquals(6, key.ipVersion());
        assertEquals(FlowKey.PROTO_ICMPV6, key.protocol());
        assertEquals(128, key.icmpType());
        assertEquals(-1, key.sourcePort());
    }

    @Test
    void portsComeFromTheDatagramNotFromTrailingPadding() {
        // An IPv4 header with total length 20 followed by padding that looks like ports.
        ByteBuf buf = Unpooled.buffer().writeBytes(Packets.bytes(Packets.IPV4_TCP_SYN), 0, 20).writeInt(0x11112222);
        buf.setShort(2, 20);
        assertTrue(key.parse(buf));
        assertEquals(-1, key.sourcePort());
        buf.setShort(2, 19);
        assertFalse(key.parse(buf));
    }

    @Test
    void nonFirstIpv6FragmentHasOpaquePorts() {
        ByteBuf fragment = Ipv6HeaderTest.ipv6(IpProtocol.IPV6_FRAGMENT, "0600 0100 1234 5678" + "ffff ffff", 0);
        assertTrue(key.parse(fragment));
        assertEquals(FlowKey.PROTO_TCP, key.protocol());
        assertEquals(-1, key.sourcePort());
    }
}
