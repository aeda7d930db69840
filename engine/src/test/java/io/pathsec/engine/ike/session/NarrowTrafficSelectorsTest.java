package io.pathsec.engine.ike.session;

import io.pathsec.engine.esp.EspTransform;
import io.pathsec.engine.ike.message.DhGroup;
import io.pathsec.engine.ike.message.TrafficSelector;
import io.pathsec.engine.ike.message.TsType;
import io.pathsec.engine.policy.AddressRange;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Traffic selectors with protocol and ports (RFC 7296 §2.9, §3.13.1): intersection, and a
 * responder that offers only "LAN, TCP 5201" and "LAN, UDP 5001" narrowing a client that asks for
 * everything, or a client that asks for less than the gateway offers.
 */
class NarrowTrafficSelectorsTest {
    private static final byte[] PSK = "unit-test-psk-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final InetSocketAddress CLIENT = new InetSocketAddress(AddressRange.parseAddress("198.51.100.1"), 500);
    private static final InetSocketAddress GATEWAY = new InetSocketAddress(AddressRange.parseAddress("198.51.100.130"), 500);

    private static TrafficSelector ts(String low, String high, int protocol, int startPort, int endPort) {
        return new TrafficSelector(TsType.TS_IPV4_ADDR_RANGE, protocol, startPort, endPort,
                AddressRange.parseAddress(low), AddressRange.parseAddress(high));
    }

    private static final TrafficSelector LAN_TCP_5201 = ts("203.0.113.0", "203.0.113.255", 6, 5201, 5201);
    private static final TrafficSelector LAN_UDP_5001 = ts("203.0.113.0", "203.0.113.255", 17, 5001, 5001);

    @Test
    void intersectionKeepsTheCommonAddressesProtocolAndPorts() {
        TrafficSelector all = TrafficSelectors.allIpv4();
        assertEquals(LAN_TCP_5201, TrafficSelectors.intersect(LAN_TCP_5201, all).orElseThrow());
        assertEquals(LAN_TCP_5201, TrafficSelectors.intersect(all, LAN_TCP_5201).orElseThrow());
        assertEquals(ts("203.0.113.128", "203.0.113.255", 6, 5201, 5201), TrafficSelectors.intersect(LAN_TCP_5201,
                ts("203.0.113.128", "203.0.114.9", 6, 5000, 6000)).orElseThrow());
        assertTrue(TrafficSelectors.intersect(LAN_TCP_5201, LAN_UDP_5001).isEmpty(), "TCP and UDP share nothing");
        assertTrue(TrafficSelectors.intersect(LAN_TCP_5201, ts("203.0.113.0", "203.0.113.255", 6, 5202, 6000)).isEmpty(),
                "disjoint ports");
        assertTrue(TrafficSelectors.intersect(LAN_TCP_5201, ts("192.0.2.0", "192.0.2.255", 0, 0, 65535)).isEmpty(),
                "disjoint addresses");
        assertTrue(TrafficSelectors.intersect(LAN_TCP_5201, TrafficSelectors.allIpv6()).isEmpty(), "other family");
    }

    @Test
    void aGatewayWithNarrowSelectorsNarrowsAClientThatAsksForEverything() {
        Negotiated n = negotiate(List.of(), List.of(LAN_TCP_5201, LAN_UDP_5001));
        assertEquals(List.of(LAN_TCP_5201, LAN_UDP_5001), n.client.child().remoteTs());
        assertEquals(List.of(LAN_TCP_5201, LAN_UDP_5001), n.gateway.child().localTs());
        assertEquals("[10.200.0.1]", TrafficSelectors.describe(n.client.child().localTs()));
    }

    @Test
    void aClientWithNarrowSelectorsGetsOnlyWhatItAskedForFromAWholeSubnetGateway() {
        TrafficSelector lan = TrafficSelector.range(AddressRange.parseAddress("203.0.113.0"),
                AddressRange.parseAddress("203.0.113.255"));
        Negotiated n = negotiate(List.of(LAN_UDP_5001), List.of(lan));
        assertEquals(List.of(LAN_UDP_5001), n.client.child().remoteTs());
        assertEquals(List.of(LAN_UDP_5001), n.gateway.child().localTs());
    }

    @Test
    void selectorsThatShareNothingAreRefusedWithTsUnacceptable() {
        ManualIkeScheduler clock = new ManualIkeScheduler();
        LoopbackNetwork net = new LoopbackNetwork(CLIENT, GATEWAY);
        IkeSessionStateMachineTest.Recorder c = new IkeSessionStateMachineTest.Recorder();
        IkeInitiator client = pair(clock, net, c, new IkeSessionStateMachineTest.Recorder(), List.of(LAN_TCP_5201),
                List.of(LAN_UDP_5001));
        client.start();
        net.pump(clock);
        assertInstanceOf(IkeInitiator.Closed.class, client.state());
        assertEquals(IkeSessionException.Reason.TS_UNACCEPTABLE, c.closed.get(0).reason());
    }

    private record Negotiated(IkeSessionListener.Established client, IkeSessionListener.Established gateway) {
    }

    private Negotiated negotiate(List<TrafficSelector> clientTsr, List<TrafficSelector> gatewayTs) {
        ManualIkeScheduler clock = new ManualIkeScheduler();
        LoopbackNetwork net = new LoopbackNetwork(CLIENT, GATEWAY);
        IkeSessionStateMachineTest.Recorder c = new IkeSessionStateMachineTest.Recorder();
        IkeSessionStateMachineTest.Recorder g = new IkeSessionStateMachineTest.Recorder();
        IkeInitiator client = pair(clock, net, c, g, clientTsr, gatewayTs);
        client.start();
        net.pump(clock);
        assertInstanceOf(IkeInitiator.Established.class, client.state(), () -> "closed: " + c.closed);
        return new Negotiated(c.established.get(0), g.established.get(0));
    }

    private static IkeInitiator pair(ManualIkeScheduler clock, LoopbackNetwork net,
                                     IkeSessionStateMachineTest.Recorder c, IkeSessionStateMachineTest.Recorder g,
                                     List<TrafficSelector> clientTsr, List<TrafficSelector> gatewayTs) {
        IkeSuite suite = new IkeSuite(IkeSuite.DEFAULT.encryption(), 256, IkeSuite.DEFAULT.integrity(),
                IkeSuite.DEFAULT.prf(), List.of(DhGroup.CURVE25519));
        IkeInitiator i = new IkeInitiator(new IkeInitiatorConfig(CLIENT, GATEWAY, new IkeIdentity("client.pathsec.test"),
                new IkeIdentity("gw.pathsec.test"), PSK, List.of(suite), List.of(EspTransform.AES_GCM_16_256), true,
                clientTsr), clock, net.transport(true), IkeSessionStateMachineTest.seeded(1), c);
        IkeResponder r = new IkeResponder(new IkeResponderConfig(GATEWAY, new IkeIdentity("gw.pathsec.test"), PSK,
                List.of(suite), List.of(EspTransform.AES_GCM_16_256), gatewayTs,
                new AddressPool(AddressRange.parse("10.200.0.0/24"))), clock, net.transport(false),
                IkeSessionStateMachineTest.seeded(2), g);
        net.initiator = i::receive;
        net.responder = r::receive;
        return i;
    }
}
