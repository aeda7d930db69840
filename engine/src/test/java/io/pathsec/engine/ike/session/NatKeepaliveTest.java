package io.pathsec.engine.ike.session;

import io.pathsec.engine.esp.EspTransform;
import io.pathsec.engine.policy.AddressRange;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NAT detection by the initiator's own hash (RFC 7296 §2.23) and the NAT-keepalives that follow
 * (RFC 3948 §4), on a manual clock: the gateway sees the client from another address than the
 * client's own, so the client is behind a NAT and keeps the mapping alive; without a NAT it
 * sends none.
 */
class NatKeepaliveTest {
    private static final byte[] PSK = "unit-test-psk-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final InetSocketAddress CLIENT = new InetSocketAddress(AddressRange.parseAddress("192.0.2.10"), 500);
    private static final InetSocketAddress NAT = new InetSocketAddress(AddressRange.parseAddress("198.51.100.65"), 500);
    private static final InetSocketAddress GATEWAY = new InetSocketAddress(AddressRange.parseAddress("198.51.100.130"), 500);

    private final ManualIkeScheduler clock = new ManualIkeScheduler();

    private IkeInitiator connect(LoopbackNetwork net, Duration keepalive) {
        IkeInitiatorConfig config = new IkeInitiatorConfig(CLIENT, GATEWAY, new IkeIdentity("client.pathsec.test"),
                new IkeIdentity("gw.pathsec.test"), PSK, List.of(IkeSuite.DEFAULT), List.of(EspTransform.AES_GCM_16_256),
                true, List.of(), IkeSessionTimers.DEFAULT.withNatKeepalive(keepalive));
        IkeInitiator client = new IkeInitiator(config, clock, net.transport(true), IkeSessionStateMachineTest.seeded(1),
                new IkeSessionStateMachineTest.Recorder());
        IkeResponder gateway = new IkeResponder(new IkeResponderConfig(GATEWAY, new IkeIdentity("gw.pathsec.test"), PSK,
                List.of(IkeSuite.DEFAULT), List.of(EspTransform.AES_GCM_16_256),
                List.of(TrafficSelectors.of(AddressRange.parse("203.0.113.0/24"))),
                new AddressPool(AddressRange.parse("10.201.0.0/24"))), clock, net.transport(false),
                IkeSessionStateMachineTest.seeded(2), new IkeSessionStateMachineTest.Recorder());
        net.initiator = client::receive;
        net.responder = gateway::receive;
        client.start();
        net.pump(clock);
        assertInstanceOf(IkeInitiator.Established.class, client.state());
        return client;
    }

    @Test
    void clientBehindNatSendsKeepalivesToTheGatewaysNatTraversalPort() {
        LoopbackNetwork net = new LoopbackNetwork(NAT, GATEWAY); // the gateway sees the NAT's address
        IkeInitiator client = connect(net, Duration.ofSeconds(20));
        assertTrue(client.behindNat());
        assertEquals(0, net.keepalives.size());
        clock.advance(Duration.ofSeconds(20));
        net.pump(clock);
        assertEquals(List.of(new InetSocketAddress(GATEWAY.getAddress(), 4500)), net.keepalives);
        clock.advance(Duration.ofSeconds(40));
        net.pump(clock);
        assertEquals(3, net.keepalives.size(), "every 20 s");
        client.close();
        net.pump(clock);
        clock.advance(Duration.ofSeconds(60));
        net.pump(clock);
        assertEquals(3, net.keepalives.size(), "none after the session ended");
    }

    @Test
    void withoutNatOrWithKeepalivesOffNoneAreSent() {
        LoopbackNetwork direct = new LoopbackNetwork(CLIENT, GATEWAY);
        IkeInitiator client = connect(direct, Duration.ofSeconds(20));
        assertFalse(client.behindNat());
        clock.advance(Duration.ofSeconds(60));
        direct.pump(clock);
        assertEquals(0, direct.keepalives.size());

        LoopbackNetwork natted = new LoopbackNetwork(NAT, GATEWAY);
        IkeInitiator quiet = connect(natted, Duration.ZERO);
        assertTrue(quiet.behindNat());
        clock.advance(Duration.ofSeconds(60));
        natted.pump(clock);
        assertEquals(0, natted.keepalives.size(), "natKeepalive 0 turns them off");
    }
}
