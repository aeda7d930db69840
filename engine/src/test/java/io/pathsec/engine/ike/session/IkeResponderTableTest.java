package io.pathsec.engine.ike.session;

import io.pathsec.engine.esp.EspTransform;
import io.pathsec.engine.ike.message.DhGroup;
import io.pathsec.engine.ike.message.ExchangeType;
import io.pathsec.engine.ike.message.IkeMessage;
import io.pathsec.engine.ike.message.IkeNotifyPayload;
import io.pathsec.engine.ike.message.IkeProtocolException;
import io.pathsec.engine.ike.message.NotifyType;
import io.pathsec.engine.ike.message.TrafficSelector;
import io.pathsec.engine.policy.AddressRange;
import io.pathsec.engine.policy.IpsecMode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The gateway's table of responders against a PathSec initiator, in memory on a manual clock:
 * cookies (RFC 7296 §2.6), PathSec's Vendor ID, transport mode (§1.3.1) granted, refused and
 * fallen back from, half-open expiry and Delete.
 */
class IkeResponderTableTest {
    private static final byte[] PSK = "unit-test-psk-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final InetSocketAddress CLIENT = new InetSocketAddress(AddressRange.parseAddress("198.51.100.1"), 500);
    private static final InetSocketAddress GATEWAY = new InetSocketAddress(AddressRange.parseAddress("198.51.100.130"), 500);
    private static final TrafficSelector LAN = TrafficSelector.range(AddressRange.parseAddress("203.0.113.0"),
            AddressRange.parseAddress("203.0.113.255"));
    private static final IkeSuite SUITE = new IkeSuite(IkeSuite.DEFAULT.encryption(), 256, IkeSuite.DEFAULT.integrity(),
            IkeSuite.DEFAULT.prf(), List.of(DhGroup.CURVE25519));

    /** What the table reports. */
    static final class Events implements IkeResponderTable.Events {
        final List<IkeSessionListener.Established> established = new ArrayList<>();
        final List<IkeResponder> closed = new ArrayList<>();
        final List<ChildSa> inboundReady = new ArrayList<>();
        final List<ChildSa> outboundActive = new ArrayList<>();

        @Override
        public void childSaInboundReady(IkeResponder session, ChildSa child) {
            inboundReady.add(child);
        }

        @Override
        public void childSaOutboundActive(IkeResponder session, ChildSa child, ChildSa replaced) {
            outboundActive.add(child);
        }

        @Override
        public void established(IkeResponder session, IkeSessionListener.Established info) {
            established.add(info);
        }

        @Override
        public void closed(IkeResponder session, IkeSessionException cause) {
            closed.add(session);
        }
    }

    private ManualIkeScheduler clock;
    private LoopbackNetwork net;
    private IkeSessionStateMachineTest.Recorder clientEvents;
    private Events gatewayEvents;

    @BeforeEach
    void setUp() {
        clock = new ManualIkeScheduler();
        net = new LoopbackNetwork(CLIENT, GATEWAY);
        clientEvents = new IkeSessionStateMachineTest.Recorder();
        gatewayEvents = new Events();
    }

    private static SecureRandom seeded(long seed) {
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

    private IkeInitiator roadWarrior() {
        return initiator(new IkeInitiatorConfig(CLIENT, GATEWAY, new IkeIdentity("client.pathsec.test"),
                new IkeIdentity("gw.pathsec.test"), PSK, List.of(SUITE), List.of(EspTransform.AES_GCM_16_256), true,
                List.of()));
    }

    private IkeInitiator host(ChildSaModeRequest mode) {
        return initiator(new IkeInitiatorConfig(CLIENT, GATEWAY, new IkeIdentity("g1.pathsec.test"), null, PSK,
                List.of(SUITE), List.of(EspTransform.AES_GCM_16_256), false,
                List.of(TrafficSelectors.single(GATEWAY.getAddress())), IkeSessionTimers.DEFAULT, mode));
    }

    private IkeInitiator initiator(IkeInitiatorConfig config) {
        IkeInitiator i = new IkeInitiator(config, clock, net.transport(true), seeded(1), clientEvents);
        net.initiator = i::receive;
        return i;
    }

    private IkeResponderTable roadWarriorGateway(int cookieThreshold) {
        return table(new IkeResponderConfig(GATEWAY, new IkeIdentity("gw.pathsec.test"), PSK, List.of(SUITE),
                List.of(EspTransform.AES_GCM_16_256), List.of(LAN), new AddressPool(AddressRange.parse("10.200.0.0/24"))),
                cookieThreshold);
    }

    private IkeResponderTable hostGateway(boolean allowTransport) {
        return table(new IkeResponderConfig(GATEWAY, new IkeIdentity("g2.pathsec.test"), PSK, List.of(SUITE),
                List.of(EspTransform.AES_GCM_16_256), List.of(TrafficSelectors.single(GATEWAY.getAddress())), null,
                allowTransport), 32);
    }

    private IkeResponderTable table(IkeResponderConfig config, int cookieThreshold) {
        IkeResponderTable t = new IkeResponderTable(config, clock, net.transport(false), seeded(2), gatewayEvents,
                cookieThreshold, Duration.ofSeconds(30));
        net.responder = t::receive;
        return t;
    }

    @Test
    void cookieIsAskedForAndReturnedBeforeAnyStateIsKept() throws IkeProtocolException {
        IkeResponderTable gateway = roadWarriorGateway(0); // threshold 0: every initiator must return a cookie
        IkeInitiator client = roadWarrior();
        client.start();
        net.pump(clock);

        assertInstanceOf(IkeInitiator.Established.class, client.state(), () -> "closed: " + clientEvents.closed);
        assertEquals(1, gateway.cookiesSent());
        IkeMessage cookieAnswer = IkeMessage.decode(net.sent.get(1).message());
        assertEquals(0, cookieAnswer.header().responderSpi(), "a cookie answer keeps no state: SPIr 0 (§2.6)");
        assertEquals(List.of(NotifyType.COOKIE.value()), cookieAnswer.all(IkeNotifyPayload.class).stream()
                .map(IkeNotifyPayload::notifyType).toList());
        IkeMessage retry = IkeMessage.decode(net.sent.get(2).message());
        assertTrue(retry.payloads().get(0) instanceof IkeNotifyPayload n && n.notifyType() == NotifyType.COOKIE.value(),
                "the retry carries the cookie as its first payload");
        assertEquals(1, gateway.sessions().size());
        assertEquals("10.200.0.1", clientEvents.established.get(0).virtualAddress().getHostAddress());
    }

    @Test
    void forgedCookieIsAnsweredWithAFreshCookieOnly() {
        IkeResponderTable gateway = roadWarriorGateway(0);
        IkeInitiator client = roadWarrior();
        int[] fromClient = {0};
        net.drop = d -> d.fromInitiator() && ++fromClient[0] >= 2; // the initiator's retries stay off the wire
        client.start();
        net.pump(clock);
        byte[] retry = net.sent.get(2).message();
        assertEquals(0, gateway.sessions().size());

        byte[] forged = retry.clone();
        forged[40] ^= 1; // inside the cookie: header (28), notify header (8), version octet, hash
        gateway.receive(forged, CLIENT, false);
        net.pump(clock);
        assertEquals(0, gateway.sessions().size(), "no state for a cookie we did not make");
        assertEquals(2, gateway.cookiesSent(), "answered with a fresh cookie");

        net.drop = d -> false;
        gateway.receive(retry, CLIENT, false); // the genuine cookie still works
        net.pump(clock);
        assertEquals(1, gateway.sessions().size());
        assertInstanceOf(IkeInitiator.Established.class, client.state());
    }

    @Test
    void bothSidesRecogniseThePathSecVendorId() {
        roadWarriorGateway(32);
        IkeInitiator client = roadWarrior();
        client.start();
        net.pump(clock);
        assertInstanceOf(IkeInitiator.Established.class, client.state());
        assertTrue(client.peerSpeaksPathSec(), "the gateway's IKE_SA_INIT answer carries the Vendor ID");
        assertEquals(16, PathSecVendorId.value().length);
    }

    @Test
    void gatewayRecognisesTheVendorIdOfItsClient() {
        IkeResponderTable gateway = roadWarriorGateway(32);
        roadWarrior().start();
        net.pump(clock);
        assertEquals(1, gateway.sessions().size());
        assertTrue(gateway.sessions().get(0).peerSpeaksPathSec());
    }

    @Test
    void transportModeIsNegotiatedHostToHost() {
        hostGateway(true);
        IkeInitiator client = host(ChildSaModeRequest.TRANSPORT);
        client.start();
        net.pump(clock);
        assertInstanceOf(IkeInitiator.Established.class, client.state(), () -> "closed: " + clientEvents.closed);
        assertEquals(IpsecMode.TRANSPORT, clientEvents.established.get(0).child().mode());
        assertEquals(IpsecMode.TRANSPORT, gatewayEvents.established.get(0).child().mode());
        assertEquals("[198.51.100.1]", TrafficSelectors.describe(clientEvents.established.get(0).child().localTs()));
        assertEquals("[198.51.100.130]", TrafficSelectors.describe(clientEvents.established.get(0).child().remoteTs()));
    }

    @Test
    void refusedTransportModeFailsWhenTheProfileRequiresIt() {
        IkeResponderTable gateway = hostGateway(false);
        IkeInitiator client = host(ChildSaModeRequest.TRANSPORT);
        client.start();
        net.pump(clock);
        assertInstanceOf(IkeInitiator.Closed.class, client.state());
        IkeSessionException e = clientEvents.closed.get(0);
        assertEquals(IkeSessionException.Reason.TRANSPORT_MODE_REFUSED, e.reason());
        assertEquals("the gateway refused transport mode, and this profile does not allow falling back to tunnel mode",
                e.getMessage());
        assertEquals(1, gatewayEvents.closed.size(), "the initiator deleted the tunnel-mode SA (§1.3.1)");
        assertEquals(0, gateway.sessions().size());
    }

    @Test
    void refusedTransportModeFallsBackToTunnelModeWhenAllowed() {
        hostGateway(false);
        IkeInitiator client = host(ChildSaModeRequest.TRANSPORT_OR_TUNNEL);
        client.start();
        net.pump(clock);
        assertInstanceOf(IkeInitiator.Established.class, client.state());
        assertEquals(IpsecMode.TUNNEL, clientEvents.established.get(0).child().mode());
        assertEquals(IpsecMode.TUNNEL, gatewayEvents.established.get(0).child().mode());
    }

    @Test
    void halfOpenSaIsForgottenAfterTheTimeout() {
        IkeResponderTable gateway = roadWarriorGateway(32);
        IkeInitiator client = roadWarrior();
        net.drop = d -> d.fromInitiator() && d.natTraversal(); // IKE_AUTH never arrives
        client.start();
        net.pump(clock);
        assertEquals(1, gateway.halfOpenCount());
        clock.advance(Duration.ofSeconds(29));
        net.pump(clock);
        assertEquals(1, gateway.sessions().size());
        clock.advance(Duration.ofSeconds(1));
        net.pump(clock);
        assertEquals(0, gateway.sessions().size());
        assertEquals(0, gateway.halfOpenCount());
    }

    @Test
    void clientDeleteRemovesTheSessionAndFreesItsAddress() {
        IkeResponderTable gateway = roadWarriorGateway(32);
        IkeInitiator client = roadWarrior();
        client.start();
        net.pump(clock);
        assertEquals(1, gateway.sessions().size());
        client.close();
        net.pump(clock);
        assertEquals(0, gateway.sessions().size());
        assertEquals(1, gatewayEvents.closed.size());
        assertTrue(clientEvents.closedCleanly);
    }

    @Test
    void rekeyedIkeSaIsStillFoundAndTransportModeSurvivesAChildRekey() {
        IkeResponderTable gateway = hostGateway(true);
        IkeSessionTimers timers = IkeSessionTimers.DEFAULT.withRekey(Duration.ofMinutes(10), Duration.ofMinutes(5),
                Duration.ZERO);
        IkeInitiator client = initiator(new IkeInitiatorConfig(CLIENT, GATEWAY, new IkeIdentity("g1.pathsec.test"), null,
                PSK, List.of(SUITE), List.of(EspTransform.AES_GCM_16_256), false,
                List.of(TrafficSelectors.single(GATEWAY.getAddress())), timers, ChildSaModeRequest.TRANSPORT));
        client.start();
        net.pump(clock);
        long firstSpiR = gateway.sessions().get(0).responderSpi();
        for (int minute = 0; minute < 11; minute++) { // past the CHILD_SA rekey (5 min) and the IKE SA rekey (10 min)
            clock.advance(Duration.ofMinutes(1));
            net.pump(clock);
        }
        assertEquals(1, gateway.sessions().size());
        assertTrue(gateway.sessions().get(0).responderSpi() != firstSpiR, "the IKE SA was rekeyed: a new SPIr");
        assertFalse(gatewayEvents.outboundActive.isEmpty(), "the CHILD_SA was rekeyed");
        assertTrue(gatewayEvents.inboundReady.stream().allMatch(c -> c.mode() == IpsecMode.TRANSPORT),
                "a rekey keeps transport mode");
        client.close();
        net.pump(clock);
        assertEquals(1, gatewayEvents.closed.size(), "the Delete on the rekeyed IKE SA reached the session");
        assertEquals(0, gateway.sessions().size());
    }

    @Test
    void ikeSaRekeyedByTheGatewayIsStillFound() {
        IkeSessionTimers gatewayTimers = IkeSessionTimers.DEFAULT.withRekey(Duration.ofMinutes(10), Duration.ZERO,
                Duration.ZERO);
        IkeResponderTable gateway = table(new IkeResponderConfig(GATEWAY, new IkeIdentity("gw.pathsec.test"), PSK,
                List.of(SUITE), List.of(EspTransform.AES_GCM_16_256), List.of(LAN),
                new AddressPool(AddressRange.parse("10.200.0.0/24")), gatewayTimers, false, List.of()), 32);
        IkeInitiator client = roadWarrior();
        client.start();
        net.pump(clock);
        long first = gateway.sessions().get(0).localSpi();
        for (int minute = 0; minute < 11; minute++) {
            clock.advance(Duration.ofMinutes(1));
            net.pump(clock);
        }
        assertTrue(gateway.sessions().get(0).localSpi() != first, "the gateway rekeyed the IKE SA: our SPI is now SPIi");
        client.close();
        net.pump(clock);
        assertEquals(1, gatewayEvents.closed.size(), "the client's Delete on the new IKE SA reached the session");
        assertEquals(0, gateway.sessions().size());
    }

    @Test
    void unknownSpiIsDroppedWithoutAnAnswer() throws IkeProtocolException {
        IkeResponderTable gateway = roadWarriorGateway(32);
        IkeInitiator client = roadWarrior();
        client.start();
        net.pump(clock);
        int before = net.sent.size();
        byte[] auth = net.sent.stream().filter(d -> d.fromInitiator() && d.natTraversal()).findFirst().orElseThrow()
                .message().clone();
        auth[8] ^= 0x55; // another SPIr
        gateway.receive(auth, new InetSocketAddress(CLIENT.getAddress(), 4500), true);
        net.pump(clock);
        assertEquals(before, net.sent.size());
        assertEquals(ExchangeType.IKE_AUTH, IkeMessage.decode(net.sent.get(2).message()).header().exchangeType());
    }
}
