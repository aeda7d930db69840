package io.pathsec.engine.policy;

import io.pathsec.engine.packet.FlowKey;
import org.junit.jupiter.api.Test;

import static io.pathsec.engine.policy.Flows.fragment;
import static io.pathsec.engine.policy.Flows.icmp;
import static io.pathsec.engine.policy.Flows.tcp;
import static io.pathsec.engine.policy.Flows.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SelectorTest {
    private static final AddressRange LOCAL = AddressRange.parse("192.0.2.0/24");
    private static final AddressRange REMOTE = AddressRange.parse("203.0.113.0/24");

    private static final Selector WEB = Selector.between(LOCAL, REMOTE)
            .withProtocol(FlowKey.PROTO_TCP, PortRange.parse("1024-65535"), PortRange.single(443));

    @Test
    void outboundUsesTheSourceAsLocal() {
        assertTrue(WEB.matchesOutbound(tcp("192.0.2.10", 50000, "203.0.113.5", 443)));
        assertFalse(WEB.matchesInbound(tcp("192.0.2.10", 50000, "203.0.113.5", 443)));
    }

    @Test
    void inboundUsesTheDestinationAsLocal() {
        assertTrue(WEB.matchesInbound(tcp("203.0.113.5", 443, "192.0.2.10", 50000)));
        assertFalse(WEB.matchesOutbound(tcp("203.0.113.5", 443, "192.0.2.10", 50000)));
    }

    @Test
    void portMatrix() {
        assertTrue(WEB.matchesOutbound(tcp("192.0.2.10", 1024, "203.0.113.5", 443)));
        assertTrue(WEB.matchesOutbound(tcp("192.0.2.10", 65535, "203.0.113.5", 443)));
        assertFalse(WEB.matchesOutbound(tcp("192.0.2.10", 1023, "203.0.113.5", 443)), "local port below range");
        assertFalse(WEB.matchesOutbound(tcp("192.0.2.10", 50000, "203.0.113.5", 444)), "other remote port");
        assertFalse(WEB.matchesOutbound(tcp("192.0.2.10", 50000, "203.0.113.5", 442)), "other remote port");
        assertFalse(WEB.matchesOutbound(udp("192.0.2.10", 50000, "203.0.113.5", 443)), "other protocol");
        assertFalse(WEB.matchesOutbound(tcp("192.0.3.10", 50000, "203.0.113.5", 443)), "local address");
        assertFalse(WEB.matchesOutbound(tcp("192.0.2.10", 50000, "203.0.114.5", 443)), "remote address");
    }

    @Test
    void nonFirstFragmentsMatchOnlyAnyOrOpaquePorts() {
        FlowKey fragment = fragment("192.0.2.10", "203.0.113.5", FlowKey.PROTO_TCP);
        assertFalse(WEB.matchesOutbound(fragment), "specific ports never match OPAQUE");
        Selector anyPorts = Selector.between(LOCAL, REMOTE)
                .withProtocol(FlowKey.PROTO_TCP, PortRange.ANY, PortRange.ANY);
        assertTrue(anyPorts.matchesOutbound(fragment));
        Selector opaque = Selector.between(LOCAL, REMOTE)
                .withProtocol(FlowKey.PROTO_TCP, PortRange.OPAQUE, PortRange.OPAQUE);
        assertTrue(opaque.matchesOutbound(fragment));
        assertFalse(opaque.matchesOutbound(tcp("192.0.2.10", 50000, "203.0.113.5", 443)),
                "OPAQUE matches only packets without ports");
    }

    @Test
    void ipv6Matrix() {
        Selector v6 = Selector.between(AddressRange.parse("2001:db8:a::/64"), AddressRange.parse("2001:db8:b::/64"));
        assertTrue(v6.matchesOutbound(udp("2001:db8:a::1", 5000, "2001:db8:b::ffff", 53)));
        assertTrue(v6.matchesInbound(udp("2001:db8:b::1", 53, "2001:db8:a::2", 5000)));
        assertFalse(v6.matchesOutbound(udp("2001:db8:a::1", 5000, "2001:db8:c::1", 53)));
        assertFalse(v6.matchesOutbound(udp("192.0.2.1", 5000, "203.0.113.1", 53)), "IPv4 packet");
        assertTrue(Selector.ANY.matchesOutbound(udp("2001:db8:a::1", 1, "2001:db8:c::1", 2)));
        assertTrue(Selector.ANY.matchesInbound(udp("192.0.2.1", 1, "198.51.100.1", 2)));
    }

    @Test
    void icmpTypeAndCode() {
        // RFC 4301 §6: e.g. only ICMP Destination Unreachable / Fragmentation Needed (3/4).
        Selector fragNeeded = new Selector(LOCAL, REMOTE, FlowKey.PROTO_ICMP, PortRange.ANY,
                PortRange.ANY, IcmpRange.typeAndCode(3, 4));
        assertTrue(fragNeeded.matchesOutbound(icmp("192.0.2.1", "203.0.113.1", 3, 4)));
        assertFalse(fragNeeded.matchesOutbound(icmp("192.0.2.1", "203.0.113.1", 3, 3)));
        assertFalse(fragNeeded.matchesOutbound(icmp("192.0.2.1", "203.0.113.1", 8, 0)));
        assertFalse(fragNeeded.matchesOutbound(fragment("192.0.2.1", "203.0.113.1", FlowKey.PROTO_ICMP)),
                "a non-first fragment has no type");

        Selector echo = new Selector(LOCAL, REMOTE, FlowKey.PROTO_ICMP, PortRange.ANY,
                PortRange.ANY, IcmpRange.parse("0-8", "any"));
        assertTrue(echo.matchesOutbound(icmp("192.0.2.1", "203.0.113.1", 0, 0)));
        assertTrue(echo.matchesOutbound(icmp("192.0.2.1", "203.0.113.1", 8, 0)));
        assertFalse(echo.matchesOutbound(icmp("192.0.2.1", "203.0.113.1", 9, 0)));

        Selector packetTooBig = new Selector(AddressRange.parse("2001:db8:a::/64"),
                AddressRange.parse("2001:db8:b::/64"), FlowKey.PROTO_ICMPV6, PortRange.ANY,
                PortRange.ANY, IcmpRange.type(2));
        assertTrue(packetTooBig.matchesInbound(icmp("2001:db8:b::1", "2001:db8:a::1", 2, 0)));
        assertFalse(packetTooBig.matchesInbound(icmp("2001:db8:b::1", "2001:db8:a::1", 1, 0)));
        assertFalse(fragNeeded.matchesOutbound(icmp("2001:db8:a::1", "2001:db8:b::1", 3, 4)),
                "ICMPv6 is not ICMP");
    }

    @Test
    void mirrorSwapsSides() {
        Selector mirrored = WEB.mirror();
        assertTrue(mirrored.matchesOutbound(tcp("203.0.113.5", 443, "192.0.2.10", 50000)));
        assertEquals(WEB, mirrored.mirror());
    }

    @Test
    void rejectsContradictions() {
        assertThrows(IllegalArgumentException.class, () -> Selector.between(LOCAL, AddressRange.parse("::/0")));
        assertThrows(IllegalArgumentException.class, () -> Selector.between(LOCAL, REMOTE)
                .withProtocol(FlowKey.PROTO_ICMP, PortRange.single(80), PortRange.ANY));
        assertThrows(IllegalArgumentException.class, () -> Selector.between(LOCAL, REMOTE)
                .withProtocol(Selector.ANY_PROTOCOL, PortRange.single(80), PortRange.ANY));
        assertThrows(IllegalArgumentException.class, () -> new Selector(LOCAL, REMOTE,
                FlowKey.PROTO_TCP, PortRange.ANY, PortRange.ANY, IcmpRange.type(3)));
        assertThrows(IllegalArgumentException.class, () -> new PortRange(10, 9));
        assertThrows(IllegalArgumentException.class, () -> PortRange.parse("70000"));
        assertThrows(IllegalArgumentException.class, () -> PortRange.parse("http"));
    }

    @Test
    void protocolNames() {
        assertEquals(Selector.ANY_PROTOCOL, Selector.parseProtocol("any"));
        assertEquals(58, Selector.parseProtocol("icmpv6"));
        assertEquals(50, Selector.parseProtocol("50"));
        assertEquals("ipv6-icmp", Selector.protocolName(58));
        assertThrows(IllegalArgumentException.class, () -> Selector.parseProtocol("256"));
        assertThrows(IllegalArgumentException.class, () -> Selector.parseProtocol("tcpp"));
        assertEquals("1024-65535", PortRange.parse("1024-65535").toString());
        assertEquals(PortRange.OPAQUE, PortRange.parse("opaque"));
    }
}
