package io.pathsec.engine.ike.session;

import io.netty.buffer.Unpooled;
import io.pathsec.engine.esp.EspTransform;
import io.pathsec.engine.ike.message.DhGroup;
import io.pathsec.engine.ike.message.ExchangeType;
import io.pathsec.engine.ike.message.IkeHeader;
import io.pathsec.engine.ike.message.IkeProtocolException;
import io.pathsec.engine.ike.message.TrafficSelector;
import io.pathsec.engine.policy.AddressRange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CREATE_CHILD_SA rekeying (RFC 7296 §1.3.2, §1.3.3, §2.8), simultaneous rekeys (§2.8.1, §2.8.2),
 * Delete (§1.4.1) and liveness (§2.4): a PathSec initiator and responder in memory, on a manual
 * clock, with deterministic randomness.
 */
class IkeRekeyStateMachineTest {
    private static final byte[] PSK = "unit-test-psk-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final InetSocketAddress CLIENT = new InetSocketAddress(AddressRange.parseAddress("198.51.100.1"), 500);
    private static final InetSocketAddress GATEWAY = new InetSocketAddress(AddressRange.parseAddress("198.51.100.130"), 500);
    private static final TrafficSelector LAN = TrafficSelector.range(AddressRange.parseAddress("203.0.113.0"),
            AddressRange.parseAddress("203.0.113.255"));
    /** No rekey timers (tests trigger rekeys), DPD 30 s, 1 s doubling over 6 sends, 2 s grace. */
    private static final IkeSessionTimers MANUAL = IkeSessionTimers.DEFAULT.withRekey(Duration.ZERO, Duration.ZERO,
            Duration.ZERO);

    /** Records what a session reports, in order, with how many datagrams were on the wire by then. */
    static final class Recorder implements IkeSessionListener {
        final List<String> events = new ArrayList<>();
        final List<IkeSessionException> closed = new ArrayList<>();
        private final LoopbackNetwork net;

        Recorder(LoopbackNetwork net) {
            this.net = net;
        }

        @Override
        public void established(Established session) {
            events.add("established");
        }

        @Override
        public void childSaInboundReady(ChildSa child) {
            events.add("inbound " + hex(child.inboundSpi()) + " @" + net.sent.size());
        }

        @Override
        public void childSaOutboundActive(ChildSa child, ChildSa replaced) {
            events.add("outbound " + hex(child.outboundSpi()) + " replaces " + hex(replaced.outboundSpi()));
        }

        @Override
        public void childSaDeleted(ChildSa child) {
            events.add("deleted " + hex(child.inboundSpi()));
        }

        @Override
        public void ikeSaRekeyed(IkeSuite.Chosen suite) {
            events.add("ike rekeyed");
        }

        @Override
        public void childSaAdded(ChildSa child) {
            events.add("added " + hex(child.inboundSpi()) + " " + TrafficSelectors.describe(child.localTs()));
        }

        @Override
        public void icmpRelayed(byte[] packet) {
            events.add("icmp relayed " + packet.length + " bytes starting " + hex(packet[0] & 0xff));
        }

        @Override
        public void closed(IkeSessionException cause) {
            closed.add(cause);
        }
    }

    private ManualIkeScheduler clock;
    private LoopbackNetwork net;
    private Recorder clientEvents;
    private Recorder gatewayEvents;
    private IkeInitiator client;
    private IkeResponder gateway;

    @BeforeEach
    void setUp() {
        clock = new ManualIkeScheduler();
        net = new LoopbackNetwork(CLIENT, GATEWAY);
        clientEvents = new Recorder(net);
        gatewayEvents = new Recorder(net);
    }

    private static SecureRandom seeded(long seed) {
        return IkeSessionStateMachineTest.seeded(seed);
    }

    private void connect(IkeSessionTimers clientTimers, IkeSessionTimers gatewayTimers, long seed) {
        IkeSuite suite = new IkeSuite(IkeSuite.DEFAULT.encryption(), 256, IkeSuite.DEFAULT.integrity(),
                IkeSuite.DEFAULT.prf(), List.of(DhGroup.CURVE25519));
        IkeInitiatorConfig ic = new IkeInitiatorConfig(CLIENT, GATEWAY, new IkeIdentity("client.pathsec.test"),
                new IkeIdentity("gw.pathsec.test"), PSK, List.of(suite), List.of(EspTransform.AES_GCM_16_256), true,
                List.of(), clientTimers);
        client = new IkeInitiator(ic, clock, net.transport(true), seeded(seed), clientEvents);
        net.initiator = client::receive;
        IkeResponderConfig rc = new IkeResponderConfig(GATEWAY, new IkeIdentity("gw.pathsec.test"), PSK, List.of(suite),
                List.of(EspTransform.AES_GCM_16_256), List.of(LAN), new AddressPool(AddressRange.parse("10.200.0.0/24")),
                gatewayTimers);
        gateway = new IkeResponder(rc, clock, net.transport(false), seeded(seed + 1000), gatewayEvents);
        net.responder = gateway::receive;
        client.start();
        net.pump(clock);
        assertInstanceOf(IkeInitiator.Established.class, client.state(), () -> "closed: " + clientEvents.closed);
    }

    private void connect() {
        connect(MANUAL, MANUAL, 1);
    }

    private EstablishedIkeSa c() {
        return client.established();
    }

    private EstablishedIkeSa g() {
        return gateway.established();
    }

    private static String hex(int spi) {
        return Integer.toHexString(spi);
    }

    /** Both sides hold exactly one CHILD_SA, the same pair seen from each end, and nothing pending. */
    private ChildSa assertOneMatchingChild() {
        List<ChildSa> cs = c().children().installed();
        List<ChildSa> gs = g().children().installed();
        assertEquals(1, cs.size(), () -> "client: " + c().children().children());
        assertEquals(1, gs.size(), () -> "gateway: " + g().children().children());
        assertEquals(1, c().children().children().size(), () -> "client: " + c().children().children());
        assertEquals(1, g().children().children().size(), () -> "gateway: " + g().children().children());
        ChildSa cc = cs.get(0);
        ChildSa gc = gs.get(0);
        assertEquals(cc.outboundSpi(), gc.inboundSpi());
        assertEquals(cc.inboundSpi(), gc.outboundSpi());
        assertArrayEquals(cc.outboundKey(), gc.inboundKey());
        assertArrayEquals(cc.inboundKey(), gc.outboundKey());
        return cc;
    }

    private void settle() {
        net.pump(clock);
        clock.advance(Duration.ofSeconds(3)); // the retire grace (2 s)
        net.pump(clock);
    }

    /** Lets time pass in 100 ms steps, delivering datagrams as they are sent. */
    private void runFor(Duration d) {
        for (long ms = 0; ms < d.toMillis(); ms += 100) {
            clock.advance(Duration.ofMillis(100));
            net.pump(clock);
        }
    }

    private static ExchangeType exchangeOf(LoopbackNetwork.Datagram d) {
        try {
            return IkeHeader.decode(Unpooled.wrappedBuffer(d.message())).exchangeType();
        } catch (IkeProtocolException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean isResponse(LoopbackNetwork.Datagram d) {
        try {
            return IkeHeader.decode(Unpooled.wrappedBuffer(d.message())).response();
        } catch (IkeProtocolException e) {
            throw new AssertionError(e);
        }
    }

    // ---- CHILD_SA rekey --------------------------------------------------------------------------

    @Test
    void childRekeyAsInitiatorIsMakeBeforeBreak() {
        connect();
        ChildSa old = assertOneMatchingChild();
        clientEvents.events.clear();
        gatewayEvents.events.clear();
        client.rekeyChildSa(old.inboundSpi());
        net.pump(clock);
        ChildSa fresh = c().children().installed().get(0);
        assertNotEquals(old.inboundSpi(), fresh.inboundSpi());
        // Client (rekey initiator): new inbound, then outbound switch, old inbound only after the grace.
        assertEquals(List.of("inbound " + hex(fresh.inboundSpi()) + " @" + (sentBefore(ExchangeType.CREATE_CHILD_SA, false) + 2),
                "outbound " + hex(fresh.outboundSpi()) + " replaces " + hex(old.outboundSpi())),
                clientEvents.events);
        // Gateway (responder): inbound ready before its answer left, outbound switched on the Delete.
        assertEquals(List.of("inbound " + hex(fresh.outboundSpi()) + " @" + (sentBefore(ExchangeType.CREATE_CHILD_SA, false) + 1),
                "outbound " + hex(fresh.inboundSpi()) + " replaces " + hex(old.inboundSpi())),
                gatewayEvents.events);
        clock.advance(Duration.ofMillis(1999));
        assertEquals(2, clientEvents.events.size(), "the old inbound SA stays for the grace period");
        clock.advance(Duration.ofMillis(1));
        assertEquals("deleted " + hex(old.inboundSpi()), clientEvents.events.get(2));
        assertEquals("deleted " + hex(old.outboundSpi()), gatewayEvents.events.get(2));
        assertEquals(fresh, assertOneMatchingChild());
        assertEquals(1, c().children().rekeys());
        assertEquals(1, g().children().rekeys());
    }

    /** How many datagrams were sent before the first CREATE_CHILD_SA request. */
    private int sentBefore(ExchangeType type, boolean response) {
        for (int i = 0; i < net.sent.size(); i++) {
            if (exchangeOf(net.sent.get(i)) == type && isResponse(net.sent.get(i)) == response) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void childRekeyAsResponder() {
        connect();
        ChildSa old = assertOneMatchingChild();
        g().children().rekey(old.outboundSpi()); // the gateway's inbound SPI
        settle();
        ChildSa fresh = assertOneMatchingChild();
        assertNotEquals(old.inboundSpi(), fresh.inboundSpi());
        assertNotEquals(old.outboundSpi(), fresh.outboundSpi());
        assertTrue(clientEvents.events.contains("deleted " + hex(old.inboundSpi())), clientEvents.events::toString);
        int inbound = clientEvents.events.indexOf("inbound " + hex(fresh.inboundSpi()) + " @"
                + (sentBefore(ExchangeType.CREATE_CHILD_SA, false) + 1));
        int outbound = clientEvents.events.indexOf("outbound " + hex(fresh.outboundSpi()) + " replaces " + hex(old.outboundSpi()));
        assertTrue(inbound >= 0 && outbound > inbound, clientEvents.events::toString);
    }

    @Test
    void childRekeyTimerFiresWithJitter() {
        IkeSessionTimers timers = MANUAL.withRekey(Duration.ZERO, Duration.ofSeconds(60), Duration.ofSeconds(6));
        connect(timers, MANUAL, 1);
        clock.advance(Duration.ofSeconds(53));
        net.pump(clock);
        assertEquals(0, c().children().rekeys(), "not before rekey_time - jitter");
        clock.advance(Duration.ofSeconds(7));
        net.pump(clock);
        assertEquals(1, c().children().rekeys());
        settle();
        assertOneMatchingChild();
    }

    @Test
    void lostCreateChildSaResponseIsRetransmittedAndAnsweredFromCache() {
        connect();
        ChildSa old = assertOneMatchingChild();
        boolean[] dropped = {false};
        net.drop = d -> {
            boolean hit = !dropped[0] && !d.fromInitiator() && exchangeOf(d) == ExchangeType.CREATE_CHILD_SA;
            dropped[0] |= hit;
            return hit;
        };
        client.rekeyChildSa(old.inboundSpi());
        net.pump(clock);
        assertTrue(dropped[0]);
        assertEquals(0, c().children().rekeys(), "waiting for the answer");
        clock.advance(Duration.ofSeconds(1));
        settle();
        assertEquals(1, g().children().rekeys(), "the repeated request did not create a second CHILD_SA");
        assertOneMatchingChild();
        long requests = net.sent.stream().filter(d -> d.fromInitiator() && exchangeOf(d) == ExchangeType.CREATE_CHILD_SA).count();
        assertEquals(2, requests, "one retransmission");
    }

    @Test
    void lostDeleteIsRetransmittedAndTheOldSaGoesOnce() {
        connect();
        ChildSa old = assertOneMatchingChild();
        boolean[] dropped = {false};
        net.drop = d -> {
            boolean hit = !dropped[0] && d.fromInitiator() && exchangeOf(d) == ExchangeType.INFORMATIONAL && !isResponse(d);
            dropped[0] |= hit;
            return hit;
        };
        client.rekeyChildSa(old.inboundSpi());
        net.pump(clock);
        assertTrue(dropped[0], "the Delete was lost");
        assertEquals(2, g().children().children().size(), "the gateway still holds the old SA and has not switched");
        assertFalse(gatewayEvents.events.stream().anyMatch(e -> e.startsWith("outbound")), gatewayEvents.events::toString);
        clock.advance(Duration.ofSeconds(1)); // retransmission
        settle();
        assertOneMatchingChild();
        assertEquals(1, clientEvents.events.stream().filter(e -> e.equals("deleted " + hex(old.inboundSpi()))).count());
        assertEquals(1, gatewayEvents.events.stream().filter(e -> e.equals("deleted " + hex(old.outboundSpi()))).count());
    }

    @Test
    void responderSwitchesAfterATimeoutWhenTheDeleteNeverComes() {
        connect();
        ChildSa old = assertOneMatchingChild();
        net.drop = d -> d.fromInitiator() && exchangeOf(d) == ExchangeType.INFORMATIONAL;
        client.rekeyChildSa(old.inboundSpi());
        net.pump(clock);
        clock.advance(Duration.ofSeconds(9));
        assertFalse(gatewayEvents.events.stream().anyMatch(e -> e.startsWith("outbound")));
        clock.advance(Duration.ofSeconds(1)); // switchTimeout 10 s
        assertTrue(gatewayEvents.events.stream().anyMatch(e -> e.startsWith("outbound")), gatewayEvents.events::toString);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void simultaneousChildRekeyLeavesExactlyOneSa(long seed) {
        connect(MANUAL, MANUAL, seed);
        ChildSa old = assertOneMatchingChild();
        client.rekeyChildSa(old.inboundSpi());
        g().children().rekey(old.outboundSpi());
        settle();
        clock.advance(Duration.ofSeconds(11)); // past any fallback timer
        net.pump(clock);
        ChildSa survivor = assertOneMatchingChild();
        assertNotEquals(old.inboundSpi(), survivor.inboundSpi());
        assertInstanceOf(IkeInitiator.Established.class, client.state());
        // Every SA that was announced inbound is either the survivor or deleted again.
        for (Recorder r : List.of(clientEvents, gatewayEvents)) {
            long ready = r.events.stream().filter(e -> e.startsWith("inbound")).count();
            long deleted = r.events.stream().filter(e -> e.startsWith("deleted")).count();
            assertEquals(2, ready, r.events::toString);
            assertEquals(2, deleted, () -> "the old SA and the redundant one: " + r.events);
        }
    }

    // ---- IKE SA rekey --------------------------------------------------------------------------

    @Test
    void ikeRekeyAsInitiatorMovesTheChildSa() {
        connect();
        ChildSa child = assertOneMatchingChild();
        IkeSa old = c().currentSa();
        client.rekeyIkeSa();
        settle();
        IkeSa fresh = c().currentSa();
        assertNotEquals(old.spiI, fresh.spiI);
        assertEquals(fresh.spiI, g().currentSa().spiI);
        assertEquals(fresh.spiR, g().currentSa().spiR);
        assertTrue(old.isClosed());
        assertEquals(1, c().ikeSas().size());
        assertEquals(1, g().ikeSas().size());
        assertEquals(fresh, ((IkeInitiator.Established) client.state()).sa());
        assertEquals(child, assertOneMatchingChild(), "the CHILD_SA moved unchanged");
        // The new IKE SA works: message IDs from 0, new keys, and a CHILD_SA rekey over it.
        int before = net.sent.size();
        client.rekeyChildSa(child.inboundSpi());
        settle();
        assertOneMatchingChild();
        IkeHeader h = header(net.sent.get(before));
        assertEquals(fresh.spiI, h.initiatorSpi());
        assertEquals(0, h.messageId());
        assertTrue(h.initiator(), "the rekey initiator is the new IKE SA's initiator");
    }

    @Test
    void ikeRekeyAsResponderFlipsTheInitiatorRole() {
        connect();
        ChildSa child = assertOneMatchingChild();
        g().rekeyIke();
        settle();
        IkeSa fresh = c().currentSa();
        assertFalse(fresh.weAreInitiator, "the gateway initiated the rekey, so it is the new SA's initiator (§2.18)");
        assertEquals(fresh.spiI, g().currentSa().spiI);
        assertEquals(1, c().ikeSas().size());
        assertEquals(1, g().ikeSas().size());
        assertEquals(child, assertOneMatchingChild());
        // Requests on the new SA reach the client (the SPIs differ from the ones it started with).
        client.rekeyChildSa(child.inboundSpi());
        settle();
        assertEquals(1, c().children().rekeys());
        client.close();
        net.pump(clock);
        assertInstanceOf(IkeInitiator.Closed.class, client.state());
        assertEquals(IkeSessionException.Reason.PEER_DELETED, gatewayEvents.closed.get(0).reason());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void simultaneousIkeRekeyLeavesExactlyOneIkeSa(long seed) {
        connect(MANUAL, MANUAL, seed);
        ChildSa child = assertOneMatchingChild();
        client.rekeyIkeSa();
        g().rekeyIke();
        settle();
        clock.advance(Duration.ofSeconds(11));
        net.pump(clock);
        assertEquals(1, c().ikeSas().size(), () -> "client IKE SAs " + c().ikeSas().size());
        assertEquals(1, g().ikeSas().size());
        assertEquals(c().currentSa().spiI, g().currentSa().spiI);
        assertEquals(c().currentSa().spiR, g().currentSa().spiR);
        assertEquals(child, assertOneMatchingChild());
        client.rekeyChildSa(child.inboundSpi());
        settle();
        assertEquals(1, c().children().rekeys(), "the surviving IKE SA carries exchanges");
        assertInstanceOf(IkeInitiator.Established.class, client.state());
        assertInstanceOf(IkeResponder.Established.class, gateway.state());
    }

    private static IkeHeader header(LoopbackNetwork.Datagram d) {
        try {
            return IkeHeader.decode(Unpooled.wrappedBuffer(d.message()));
        } catch (IkeProtocolException e) {
            throw new AssertionError(e);
        }
    }

    // ---- liveness --------------------------------------------------------------------------------

    @Test
    void livenessCheckAfterDpdDelayKeepsALivePeer() {
        connect();
        runFor(Duration.ofSeconds(31));
        assertTrue(c().liveness().checksSent() + g().liveness().checksSent() >= 1);
        runFor(Duration.ofSeconds(120));
        assertInstanceOf(IkeInitiator.Established.class, client.state());
        assertTrue(c().liveness().checksSent() + g().liveness().checksSent() >= 4, "a check every 30 s");
    }

    @Test
    void deadPeerIsDeclaredAfterDpdDelayPlusTheRetransmissions() {
        IkeSessionTimers dpd = MANUAL.withDpd(Duration.ofSeconds(10), Duration.ofMillis(500), 4);
        connect(dpd, MANUAL.withDpd(Duration.ZERO, Duration.ofSeconds(1), 6), 1);
        net.drop = d -> true; // the gateway vanishes
        // DPD at 10 s, sends at 10, 10.5, 11.5, 13.5, give up at 17.5 s.
        clock.advance(Duration.ofMillis(17_499));
        assertInstanceOf(IkeInitiator.Established.class, client.state());
        assertEquals(1, c().liveness().checksSent());
        clock.advance(Duration.ofMillis(1));
        IkeInitiator.Closed closed = assertInstanceOf(IkeInitiator.Closed.class, client.state());
        assertEquals(IkeSessionException.Reason.PEER_UNREACHABLE, closed.cause().reason());
        assertEquals("gateway unreachable (no answer to liveness checks for 17 s)", closed.cause().getMessage());
        assertEquals(List.of(closed.cause()), clientEvents.closed);
        assertEquals(4, net.sent.stream().filter(d -> d.fromInitiator() && exchangeOf(d) == ExchangeType.INFORMATIONAL).count());
    }

    @Test
    void unansweredRekeyDeclaresThePeerDead() {
        connect();
        ChildSa old = assertOneMatchingChild();
        net.drop = d -> true;
        client.rekeyChildSa(old.inboundSpi());
        clock.advance(Duration.ofSeconds(63));
        IkeInitiator.Closed closed = assertInstanceOf(IkeInitiator.Closed.class, client.state());
        assertEquals(IkeSessionException.Reason.PEER_UNREACHABLE, closed.cause().reason());
    }

    @Test
    void icmpErrorsRelayedInAnInformationalReachThePeerBoundedAndBothWays() {
        connect();
        byte[] icmp = new byte[56];
        icmp[0] = 0x45;
        int before = net.sent.size();
        assertTrue(gateway.relayIcmp(icmp));
        net.pump(clock);
        assertEquals(List.of("icmp relayed 56 bytes starting 45"), clientEvents.events.stream()
                .filter(e -> e.startsWith("icmp")).toList());
        assertEquals(ExchangeType.INFORMATIONAL, exchangeOf(net.sent.get(before)));
        assertTrue(client.relayIcmp(icmp));
        net.pump(clock);
        assertEquals(1, gatewayEvents.events.stream().filter(e -> e.startsWith("icmp")).count());
        // Window size 1 (§2.3): relays queue; beyond the bound of 16 waiting they are refused.
        net.drop = d -> true;
        int accepted = 0;
        for (int i = 0; i < 20; i++) {
            accepted += gateway.relayIcmp(icmp) ? 1 : 0;
        }
        assertEquals(16, accepted);
        assertFalse(gateway.relayIcmp(new byte[IcmpRelay.MAX_PACKET + 1]), "larger than any ICMP error");
    }

    @Test
    void theExplicitIcmpChildSaIsNegotiatedOnDemandBesideTheDataSaAndNeverWeaker() {
        connect();
        List<String> outcome = new ArrayList<>();
        gateway.createIcmpChildSa(outcome::add); // the gateway initiates: it heard the ICMP error
        net.pump(clock);
        assertEquals(java.util.Arrays.asList((String) null), outcome);
        List<ChildSa> g = g().children().installed();
        List<ChildSa> c = c().children().installed();
        assertEquals(2, g.size(), () -> "gateway: " + g);
        assertEquals(2, c.size(), () -> "client: " + c);
        ChildSa gi = g.get(1);
        ChildSa ci = c.get(1);
        assertTrue(IcmpChildSa.icmpOnly(gi.localTs()) && IcmpChildSa.icmpOnly(gi.remoteTs()), gi::toString);
        assertEquals(gi.outboundSpi(), ci.inboundSpi());
        assertArrayEquals(gi.outboundKey(), ci.inboundKey());
        assertEquals(g.get(0).esp().transform(), gi.esp().transform(), "as strong as the data SA");
        // The union of the data SA's addresses (203.0.113.0/24) and the gateway's own address.
        assertEquals("[203.0.113.0/24[1/0-65535],198.51.100.130[1/0-65535]]", TrafficSelectors.describe(gi.localTs()));
        assertTrue(gatewayEvents.events.stream().anyMatch(e -> e.startsWith("added ")), gatewayEvents.events::toString);
        assertTrue(clientEvents.events.stream().anyMatch(e -> e.startsWith("added ")), clientEvents.events::toString);
    }

    @Test
    void anIcmpChildSaOfferingAWeakerTransformThanTheDataSaIsRefused() throws Exception {
        connect(); // the data SA: AES-GCM-16 with a 256-bit key
        IkeSa sa = g().currentSa();
        TrafficSelector icmpLan = new TrafficSelector(LAN.type(), 1, 0, 65535, LAN.startAddress(), LAN.endAddress());
        ChildSa data = c().children().installed().get(0);
        TrafficSelector icmpVip = new TrafficSelector(LAN.type(), 1, 0, 65535, data.localTs().get(0).startAddress(),
                data.localTs().get(0).endAddress());
        io.pathsec.engine.ike.message.IkeMessage weaker = new io.pathsec.engine.ike.message.IkeMessage(
                new IkeHeader(1, 2, 0, ExchangeType.CREATE_CHILD_SA, true, false, false, 7, 0),
                List.of(EspProposal.offer(List.of(EspTransform.AES_GCM_16_128), 0x12345678),
                        new io.pathsec.engine.ike.message.IkeNoncePayload(new byte[32]),
                        new io.pathsec.engine.ike.message.IkeTsPayload(true, List.of(icmpVip)),
                        new io.pathsec.engine.ike.message.IkeTsPayload(false, List.of(icmpLan))));
        IkeSa.Answer refused = g().icmpChild().answer(sa, weaker);
        assertEquals(io.pathsec.engine.ike.message.NotifyType.NO_PROPOSAL_CHOSEN.value(),
                ((io.pathsec.engine.ike.message.IkeNotifyPayload) refused.payloads().get(0)).notifyType());
        io.pathsec.engine.ike.message.IkeMessage wider = new io.pathsec.engine.ike.message.IkeMessage(weaker.header(),
                List.of(EspProposal.offer(List.of(EspTransform.AES_GCM_16_256), 0x12345678),
                        new io.pathsec.engine.ike.message.IkeNoncePayload(new byte[32]),
                        new io.pathsec.engine.ike.message.IkeTsPayload(true, List.of(icmpVip)),
                        new io.pathsec.engine.ike.message.IkeTsPayload(false, List.of(new TrafficSelector(LAN.type(), 1,
                                0, 65535, AddressRange.parseAddress("192.0.2.0"), AddressRange.parseAddress("192.0.2.255"))))));
        assertEquals(io.pathsec.engine.ike.message.NotifyType.TS_UNACCEPTABLE.value(),
                ((io.pathsec.engine.ike.message.IkeNotifyPayload) g().icmpChild().answer(sa, wider).payloads().get(0))
                        .notifyType(), "ICMP outside the data SAs' addresses");
        assertEquals(1, g().children().installed().size(), "nothing was added");
    }
}
