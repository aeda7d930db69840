package io.pathsec.engine.ike.session;

import io.netty.buffer.Unpooled;
import io.pathsec.engine.esp.EspTransform;
import io.pathsec.engine.ike.message.DhGroup;
import io.pathsec.engine.ike.message.ExchangeType;
import io.pathsec.engine.ike.message.IkeDeletePayload;
import io.pathsec.engine.ike.message.IkeHeader;
import io.pathsec.engine.ike.message.IkeMessage;
import io.pathsec.engine.ike.message.IkeProtocolException;
import io.pathsec.engine.ike.message.TrafficSelector;
import io.pathsec.engine.policy.AddressRange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The initiator and responder state machines against each other, in memory, on a manual clock:
 * no sockets, no threads, deterministic randomness.
 */
class IkeSessionStateMachineTest {
    private static final byte[] PSK = "unit-test-psk-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final InetSocketAddress CLIENT = new InetSocketAddress(AddressRange.parseAddress("198.51.100.1"), 500);
    private static final InetSocketAddress GATEWAY = new InetSocketAddress(AddressRange.parseAddress("198.51.100.130"), 500);
    private static final TrafficSelector LAN = TrafficSelector.range(AddressRange.parseAddress("203.0.113.0"),
            AddressRange.parseAddress("203.0.113.255"));

    /** Records what a session reports. */
    static final class Recorder implements IkeSessionListener {
        final List<Established> established = new ArrayList<>();
        final List<IkeSessionException> closed = new ArrayList<>();
        boolean closedCleanly;

        @Override
        public void established(Established session) {
            established.add(session);
        }

        @Override
        public void closed(IkeSessionException cause) {
            if (cause == null) {
                closedCleanly = true;
            } else {
                closed.add(cause);
            }
        }
    }

    private ManualIkeScheduler clock;
    private LoopbackNetwork net;
    private Recorder clientEvents;
    private Recorder gatewayEvents;
    private IkeResponder gateway;

    @BeforeEach
    void setUp() {
        clock = new ManualIkeScheduler();
        net = new LoopbackNetwork(CLIENT, GATEWAY);
        clientEvents = new Recorder();
        gatewayEvents = new Recorder();
    }

    /** A SecureRandom with a fixed seed: same keys, SPIs and nonces on every run. */
    static SecureRandom seeded(long seed) {
        Random r = new Random(seed);
        return new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                r.nextBytes(bytes);
            }

            @Override
            public int nextInt() {
                return r.nextInt();
            }

            @Override
            public long nextLong() {
                return r.nextLong();
            }
        };
    }

    private IkeInitiator initiator(byte[] psk, List<DhGroup> groups) {
        IkeSuite suite = new IkeSuite(IkeSuite.DEFAULT.encryption(), 256, IkeSuite.DEFAULT.integrity(),
                IkeSuite.DEFAULT.prf(), groups);
        IkeInitiatorConfig config = new IkeInitiatorConfig(CLIENT, GATEWAY, new IkeIdentity("client.pathsec.test"),
                new IkeIdentity("gw.pathsec.test"), psk, List.of(suite), List.of(EspTransform.AES_GCM_16_256), true,
                List.of());
        IkeInitiator i = new IkeInitiator(config, clock, net.transport(true), seeded(1), clientEvents);
        net.initiator = i::receive;
        return i;
    }

    private IkeResponder responder(List<DhGroup> groups) {
        IkeSuite suite = new IkeSuite(IkeSuite.DEFAULT.encryption(), 256, IkeSuite.DEFAULT.integrity(),
                IkeSuite.DEFAULT.prf(), groups);
        IkeResponderConfig config = new IkeResponderConfig(GATEWAY, new IkeIdentity("gw.pathsec.test"), PSK,
                List.of(suite), List.of(EspTransform.AES_GCM_16_256), List.of(LAN),
                new AddressPool(AddressRange.parse("10.200.0.0/24")));
        IkeResponder r = new IkeResponder(config, clock, net.transport(false), seeded(2), gatewayEvents);
        net.responder = r::receive;
        gateway = r;
        return r;
    }

    private IkeInitiator connected() {
        IkeInitiator client = initiator(PSK, List.of(DhGroup.CURVE25519, DhGroup.ECP_256));
        responder(List.of(DhGroup.CURVE25519));
        client.start();
        net.pump(clock);
        assertInstanceOf(IkeInitiator.Established.class, client.state(), () -> "closed: " + clientEvents.closed);
        return client;
    }

    @Test
    void happyPathEstablishesIkeAndChildSaWithMatchingKeys() {
        IkeInitiator client = initiator(PSK, List.of(DhGroup.CURVE25519));
        IkeResponder gateway = responder(List.of(DhGroup.CURVE25519));
        client.start();
        net.pump(clock);

        assertInstanceOf(IkeInitiator.Established.class, client.state());
        assertInstanceOf(IkeResponder.Established.class, gateway.state());
        IkeSessionListener.Established c = clientEvents.established.get(0);
        IkeSessionListener.Established g = gatewayEvents.established.get(0);
        assertEquals("10.200.0.1", c.virtualAddress().getHostAddress());
        assertEquals("gw.pathsec.test", c.peerIdentity());
        assertEquals("client.pathsec.test", g.peerIdentity());
        assertTrue(c.natTraversal(), "moved to 4500 after IKE_SA_INIT");
        assertEquals(4500, c.peer().getPort());
        // Each side's outbound SA is the other's inbound one: same SPI, same key (§2.17).
        assertEquals(c.child().outboundSpi(), g.child().inboundSpi());
        assertEquals(c.child().inboundSpi(), g.child().outboundSpi());
        assertArrayEquals(c.child().outboundKey(), g.child().inboundKey());
        assertArrayEquals(c.child().inboundKey(), g.child().outboundKey());
        assertEquals(36, c.child().outboundKey().length, "AES-GCM-256 key + salt");
        assertEquals("[10.200.0.1]", TrafficSelectors.describe(c.child().localTs()));
        assertEquals("[203.0.113.0/24]", TrafficSelectors.describe(c.child().remoteTs()));
        // IKE_SA_INIT on 500, IKE_AUTH on 4500 with the non-ESP marker (added by the transport).
        assertEquals(List.of(false, false, true, true), net.sent.stream().map(LoopbackNetwork.Datagram::natTraversal).toList());
    }

    @Test
    void lostRequestIsRetransmittedWithBackoff() {
        IkeInitiator client = initiator(PSK, List.of(DhGroup.CURVE25519));
        responder(List.of(DhGroup.CURVE25519));
        int[] dropped = {0};
        net.drop = d -> d.fromInitiator() && dropped[0]++ < 2; // the first two IKE_SA_INIT sends vanish
        client.start();
        net.pump(clock);
        assertInstanceOf(IkeInitiator.CreateIkeLocalIkeInit.class, client.state());
        clock.advance(Duration.ofMillis(999));
        net.pump(clock);
        assertEquals(1, net.sent.size(), "nothing before the first timeout (1 s)");
        clock.advance(Duration.ofMillis(1));
        net.pump(clock);
        assertEquals(2, net.sent.size(), "first retransmission at 1 s");
        clock.advance(Duration.ofMillis(1999));
        net.pump(clock);
        assertEquals(2, net.sent.size(), "the timeout doubled to 2 s");
        clock.advance(Duration.ofMillis(1));
        net.pump(clock);
        assertInstanceOf(IkeInitiator.Established.class, client.state());
        assertArrayEquals(net.sent.get(0).message(), net.sent.get(1).message(), "identical octets (§2.1)");
    }

    @Test
    void lostResponseIsAnsweredFromTheResponderCache() {
        IkeInitiator client = initiator(PSK, List.of(DhGroup.CURVE25519));
        IkeResponder gateway = responder(List.of(DhGroup.CURVE25519));
        boolean[] droppedOnce = {false};
        net.drop = d -> {
            boolean authResponse = !d.fromInitiator() && d.natTraversal() && !droppedOnce[0];
            droppedOnce[0] |= authResponse;
            return authResponse;
        };
        client.start();
        net.pump(clock);
        assertInstanceOf(IkeResponder.Established.class, gateway.state());
        assertInstanceOf(IkeInitiator.CreateIkeLocalIkeAuth.class, client.state());
        clock.advance(Duration.ofSeconds(1));
        net.pump(clock);
        assertInstanceOf(IkeInitiator.Established.class, client.state());
        assertEquals(1, gatewayEvents.established.size(), "the repeated request did not create a second CHILD_SA");
        List<LoopbackNetwork.Datagram> responses = net.sent.stream().filter(d -> !d.fromInitiator() && d.natTraversal()).toList();
        assertArrayEquals(responses.get(0).message(), responses.get(1).message(), "the cached answer (§2.1)");
    }

    @Test
    void invalidKePayloadRestartsWithTheRequestedGroup() {
        IkeInitiator client = initiator(PSK, List.of(DhGroup.CURVE25519, DhGroup.ECP_256));
        responder(List.of(DhGroup.ECP_256));
        client.start();
        net.pump(clock);
        assertInstanceOf(IkeInitiator.Established.class, client.state(), () -> "closed: " + clientEvents.closed);
        assertEquals(DhGroup.ECP_256, clientEvents.established.get(0).ikeSuite().dhGroup());
        assertEquals(2, net.sent.stream().filter(d -> d.fromInitiator() && !d.natTraversal()).count(),
                "two IKE_SA_INIT requests");
    }

    @Test
    void wrongPskFailsWithAClearError() {
        IkeInitiator client = initiator("a-different-psk-000000".getBytes(StandardCharsets.UTF_8),
                List.of(DhGroup.CURVE25519));
        responder(List.of(DhGroup.CURVE25519));
        client.start();
        net.pump(clock);
        IkeInitiator.Closed closed = assertInstanceOf(IkeInitiator.Closed.class, client.state());
        assertEquals(IkeSessionException.Reason.AUTHENTICATION_FAILED, closed.cause().reason());
        assertEquals("authentication failed: the gateway rejected our PSK/AUTH", closed.cause().getMessage());
        assertEquals(1, clientEvents.closed.size());
        assertEquals(IkeSessionException.Reason.AUTHENTICATION_FAILED, gatewayEvents.closed.get(0).reason());
    }

    @Test
    void silentGatewayTimesOutAfterAllRetransmissions() {
        IkeInitiator client = initiator(PSK, List.of(DhGroup.CURVE25519));
        net.drop = d -> true;
        client.start();
        clock.advance(Duration.ofSeconds(62));
        assertInstanceOf(IkeInitiator.CreateIkeLocalIkeInit.class, client.state());
        clock.advance(Duration.ofSeconds(1));
        IkeInitiator.Closed closed = assertInstanceOf(IkeInitiator.Closed.class, client.state());
        assertEquals(IkeSessionException.Reason.TIMEOUT, closed.cause().reason());
        assertEquals(IkeConstants.RETRANSMIT_SENDS, net.sent.size());
    }

    @Test
    void malformedResponsesNeverCrashTheSession() throws IkeProtocolException {
        IkeInitiator client = initiator(PSK, List.of(DhGroup.CURVE25519));
        responder(List.of(DhGroup.CURVE25519));
        List<LoopbackNetwork.Datagram> held = new ArrayList<>();
        net.drop = d -> !d.fromInitiator() && held.add(d); // hold the gateway's answer back
        client.start();
        net.pump(clock);
        byte[] real = held.get(0).message();
        Random random = new Random(7);
        List<byte[]> garbage = new ArrayList<>();
        garbage.add(new byte[0]);
        garbage.add(new byte[] {1, 2, 3});
        garbage.add(Arrays.copyOf(real, 27));                 // truncated header
        garbage.add(Arrays.copyOf(real, real.length - 1));    // truncated body
        garbage.add(Arrays.copyOf(real, real.length + 8));    // garbage after a valid message
        for (int i = 0; i < 200; i++) {
            byte[] mutated = real.clone();
            mutated[28 + random.nextInt(real.length - 28)] ^= (byte) (1 + random.nextInt(255));
            garbage.add(mutated);
        }
        for (int i = 0; i < 50; i++) {
            byte[] noise = new byte[random.nextInt(300)];
            random.nextBytes(noise);
            garbage.add(noise);
        }
        for (byte[] g : garbage) {
            net.injectToInitiator(g);
        }
        // Mutations can still decode (a changed nonce octet, say) and end the exchange; what
        // matters is that nothing escaped as an exception and the session is in a defined state.
        assertNotNull(client.state());
        if (client.state() instanceof IkeInitiator.CreateIkeLocalIkeInit) {
            net.drop = d -> false;
            net.injectToInitiator(real);
            net.pump(clock);
            assertInstanceOf(IkeInitiator.Established.class, client.state());
        }
    }

    @Test
    void damagedProtectedMessagesAreDroppedAndTheSaSurvives() {
        IkeInitiator client = connected();
        IkeSa sa = ((IkeInitiator.Established) client.state()).sa();
        byte[] forged = new IkeMessage(new IkeHeader(sa.spiI, sa.spiR, 0, ExchangeType.INFORMATIONAL, false, false, false,
                0, 0), List.of()).toBytes();
        net.initiator.receive(forged, GATEWAY, true);
        net.initiator.receive(Arrays.copyOf(forged, 20), GATEWAY, true);
        assertInstanceOf(IkeInitiator.Established.class, client.state());
    }

    @Test
    void livenessCheckIsAnswered() {
        IkeInitiator client = connected();
        IkeSa gatewaySa = gatewaySa();
        boolean[] answered = {false};
        gatewaySa.sendRequest(ExchangeType.INFORMATIONAL, List.of(), new IkeSa.ResponseHandler() {
            @Override
            public void onResponse(IkeMessage response) {
                answered[0] = true;
            }

            @Override
            public void onTimeout() {
            }
        });
        net.pump(clock);
        assertTrue(answered[0], "empty INFORMATIONAL answered (§2.4)");
        assertEquals(1, ((IkeInitiator.Established) client.state()).sa().livenessChecksAnswered());
        assertInstanceOf(IkeInitiator.Established.class, client.state());
    }

    @Test
    void deleteFromTheGatewayClosesTheSession() {
        IkeInitiator client = connected();
        gatewaySa().sendRequest(ExchangeType.INFORMATIONAL, List.of(IkeDeletePayload.ikeSa()), new IkeSa.ResponseHandler() {
            @Override
            public void onResponse(IkeMessage response) {
            }

            @Override
            public void onTimeout() {
            }
        });
        net.pump(clock);
        IkeInitiator.Closed closed = assertInstanceOf(IkeInitiator.Closed.class, client.state());
        assertEquals(IkeSessionException.Reason.PEER_DELETED, closed.cause().reason());
    }

    @Test
    void localCloseDeletesTheIkeSa() {
        IkeInitiator client = connected();
        client.close();
        net.pump(clock);
        assertInstanceOf(IkeInitiator.Closed.class, client.state());
        assertTrue(clientEvents.closedCleanly);
        assertEquals(IkeSessionException.Reason.PEER_DELETED, gatewayEvents.closed.get(0).reason());
    }

    private IkeSa gatewaySa() {
        return ((IkeResponder.Established) gateway.state()).sa();
    }

    @Test
    void headerOfEveryMessageDecodes() throws IkeProtocolException {
        connected();
        for (LoopbackNetwork.Datagram d : net.sent) {
            IkeHeader h = IkeHeader.decode(Unpooled.wrappedBuffer(d.message()));
            assertEquals(d.fromInitiator(), h.initiator(), "I flag set exactly on the original initiator's messages");
        }
    }

    @Test
    void bothSidesDeriveTheSameExtensionKeyBoundToTheAuthenticatedIkeSa() {
        byte[] label = "PathSec test label".getBytes(StandardCharsets.US_ASCII);
        IkeInitiator client = initiator(PSK, List.of(DhGroup.CURVE25519));
        IkeResponder gateway = responder(List.of(DhGroup.CURVE25519));
        assertTrue(client.extensionKey(label, 32).isEmpty(), "no key before IKE_AUTH");
        client.start();
        net.pump(clock);
        IkeSaExtensionKey c = client.extensionKey(label, 32).orElseThrow();
        IkeSaExtensionKey g = gateway.extensionKey(label, 32).orElseThrow();
        assertArrayEquals(c.key(), g.key());
        assertEquals(32, c.key().length);
        assertEquals(client.initiatorSpi(), c.initiatorSpi());
        assertEquals(gateway.initiatorSpi(), g.initiatorSpi());
        assertEquals(gateway.responderSpi(), c.responderSpi());
        assertEquals(gateway.responderSpi(), g.responderSpi());
        byte[] other = client.extensionKey("another label".getBytes(StandardCharsets.US_ASCII), 32).orElseThrow().key();
        assertTrue(!Arrays.equals(c.key(), other), "a different label gives a different key");
        assertTrue(!Arrays.equals(c.key(), Arrays.copyOf(clientEvents.established.get(0).child().outboundKey(), 32)),
                "never a CHILD_SA key");
        assertTrue(!c.toString().contains(java.util.HexFormat.of().formatHex(c.key())), "the key is never printed");
    }
}
