package io.pathsec.engine.ike.session;

import io.pathsec.engine.esp.EspTransform;
import io.pathsec.engine.policy.AddressRange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The configuration payload for IPv6 (RFC 7296 §2.19, §3.15.1) between PathSec's initiator and
 * responder on a manual clock: INTERNAL_IP6_ADDRESS from an IPv6 pool beside the IPv4 one,
 * INTERNAL_IP6_DNS, INTERNAL_IP4/IP6_SUBNET, selectors narrowed to both virtual addresses; and
 * the pool's leases per family.
 */
class VirtualIpv6Test {
    private static final byte[] PSK = "unit-test-psk-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final InetSocketAddress CLIENT = new InetSocketAddress(AddressRange.parseAddress("198.51.100.1"), 500);
    private static final InetSocketAddress GATEWAY = new InetSocketAddress(AddressRange.parseAddress("198.51.100.130"), 500);
    private static final AddressRange LAN4 = AddressRange.parse("203.0.113.0/24");
    private static final AddressRange LAN6 = AddressRange.parse("2001:db8:b::/64");

    private ManualIkeScheduler clock;
    private LoopbackNetwork net;
    private IkeSessionStateMachineTest.Recorder clientEvents;
    private IkeSessionStateMachineTest.Recorder gatewayEvents;

    @BeforeEach
    void setUp() {
        clock = new ManualIkeScheduler();
        net = new LoopbackNetwork(CLIENT, GATEWAY);
        clientEvents = new IkeSessionStateMachineTest.Recorder();
        gatewayEvents = new IkeSessionStateMachineTest.Recorder();
    }

    private IkeInitiator connect(boolean askIpv6, AddressPool pool) {
        IkeInitiatorConfig config = new IkeInitiatorConfig(CLIENT, GATEWAY, new IkeIdentity("client.pathsec.test"),
                new IkeIdentity("gw.pathsec.test"), PSK, List.of(IkeSuite.DEFAULT), List.of(EspTransform.AES_GCM_16_256),
                true, List.of());
        IkeInitiator client = new IkeInitiator(config, clock, net.transport(true), IkeSessionStateMachineTest.seeded(1),
                clientEvents);
        client.requestVirtualIp6(askIpv6);
        IkeResponderConfig gw = new IkeResponderConfig(GATEWAY, new IkeIdentity("gw.pathsec.test"), PSK,
                List.of(IkeSuite.DEFAULT), List.of(EspTransform.AES_GCM_16_256),
                List.of(TrafficSelectors.of(LAN4), TrafficSelectors.of(LAN6)), pool, IkeSessionTimers.DEFAULT, false,
                List.of(AddressRange.parseAddress("203.0.113.53"), AddressRange.parseAddress("2001:db8:b::53")));
        IkeResponder responder = new IkeResponder(gw, clock, net.transport(false), IkeSessionStateMachineTest.seeded(2),
                gatewayEvents);
        net.initiator = client::receive;
        net.responder = responder::receive;
        client.start();
        net.pump(clock);
        return client;
    }

    @Test
    void clientGetsBothVirtualAddressesDnsAndSubnets() {
        AddressPool pool = new AddressPool(AddressRange.parse("10.201.0.0/24"), AddressRange.parse("2001:db8:c::/112"));
        IkeInitiator client = connect(true, pool);
        assertInstanceOf(IkeInitiator.Established.class, client.state(), () -> "closed: " + clientEvents.closed);
        IkeSessionListener.Established c = clientEvents.established.get(0);
        assertEquals("10.201.0.1", c.virtualAddress().getHostAddress());
        assertEquals(AddressRange.parseAddress("2001:db8:c::1"), c.virtualAddress6());
        assertEquals(List.of(AddressRange.parseAddress("203.0.113.53"), AddressRange.parseAddress("2001:db8:b::53")),
                c.dns());
        assertEquals(List.of("203.0.113.0/24", "2001:db8:b::/64"), c.subnets());
        assertEquals("[10.201.0.1,2001:db8:c::1]", TrafficSelectors.describe(c.child().localTs()),
                "TSi narrowed to both virtual addresses (§2.9)");
        assertEquals("[203.0.113.0/24,2001:db8:b::/64]", TrafficSelectors.describe(c.child().remoteTs()));
        IkeSessionListener.Established g = gatewayEvents.established.get(0);
        assertEquals(c.virtualAddress6(), g.virtualAddress6());
        assertEquals(2, pool.leased());
    }

    @Test
    void ipv4OnlyClientGetsNoIpv6AndNoIpv6Selectors() {
        AddressPool pool = new AddressPool(AddressRange.parse("10.201.0.0/24"), AddressRange.parse("2001:db8:c::/112"));
        IkeInitiator client = connect(false, pool);
        assertInstanceOf(IkeInitiator.Established.class, client.state());
        IkeSessionListener.Established c = clientEvents.established.get(0);
        assertNull(c.virtualAddress6());
        assertEquals("[10.201.0.1]", TrafficSelectors.describe(c.child().localTs()));
        assertEquals("[203.0.113.0/24]", TrafficSelectors.describe(c.child().remoteTs()));
        assertEquals(1, pool.leased());
    }

    @Test
    void gatewayWithoutIpv6PoolStillServesTheIpv4Address() {
        IkeInitiator client = connect(true, new AddressPool(AddressRange.parse("10.201.0.0/24")));
        assertInstanceOf(IkeInitiator.Established.class, client.state());
        IkeSessionListener.Established c = clientEvents.established.get(0);
        assertNull(c.virtualAddress6());
        assertEquals("[10.201.0.1]", TrafficSelectors.describe(c.child().localTs()));
    }

    @Test
    void ipv6PoolLeasesPerIdentityAndSkipsTheAnycastAddress() throws Exception {
        AddressPool pool = new AddressPool(null, AddressRange.parse("2001:db8:c::/126"));
        assertEquals(126, pool.ipv6PrefixLength());
        assertEquals(InetAddress.getByName("2001:db8:c::1"), pool.lease6("a").orElseThrow());
        assertEquals(InetAddress.getByName("2001:db8:c::2"), pool.lease6("b").orElseThrow());
        assertEquals(InetAddress.getByName("2001:db8:c::3"), pool.lease6("c").orElseThrow(), "no broadcast in IPv6");
        assertTrue(pool.lease6("d").isEmpty(), "exhausted");
        assertEquals(InetAddress.getByName("2001:db8:c::1"), pool.lease6("a").orElseThrow(), "a reconnect keeps it");
        pool.release("a");
        assertTrue(pool.lease6("d").isEmpty(), "a still holds it once");
        pool.release("a");
        assertEquals(InetAddress.getByName("2001:db8:c::1"), pool.lease6("d").orElseThrow());
        assertTrue(pool.lease("a").isEmpty(), "no IPv4 prefix");
        assertThrows(IllegalArgumentException.class, () -> new AddressPool(LAN6, null));
    }

    @Test
    void clientDeclinesWhenTheGatewayHasNoAddressAtAll() {
        IkeInitiator client = connect(true, new AddressPool(null, null));
        assertInstanceOf(IkeInitiator.Closed.class, client.state());
        assertEquals(IkeSessionException.Reason.INTERNAL_ADDRESS_FAILURE, clientEvents.closed.get(0).reason());
    }

}
