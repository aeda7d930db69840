package io.pathsec.engine.ike.session;

import io.netty.buffer.Unpooled;
import io.pathsec.engine.esp.EspTransform;
import io.pathsec.engine.ike.message.ExchangeType;
import io.pathsec.engine.ike.message.IkeHeader;
import io.pathsec.engine.ike.message.IkeProtocolException;
import io.pathsec.engine.ike.message.TrafficSelector;
import io.pathsec.engine.pmtu.PmtuSettings;
import io.pathsec.engine.pmtu.PmtuSource;
import io.pathsec.engine.pmtu.PmtuState;
import io.pathsec.engine.pmtu.PmtuStateTest;
import io.pathsec.engine.pmtu.ProbeQuote;
import io.pathsec.engine.pmtu.dplpmtud.Dplpmtud;
import io.pathsec.engine.pmtu.dplpmtud.DplpmtudPhase;
import io.pathsec.engine.pmtu.DplpmtudSettings;
import io.pathsec.engine.pmtu.dplpmtud.PacketizationLayer;
import io.pathsec.engine.policy.AddressRange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DPLPMTUD probes as padded INFORMATIONAL exchanges between a PathSec initiator and responder in
 * memory, over a simulated path that drops every datagram larger than its MTU (DF set, no ICMP).
 */
class IkeProbeLayerTest {
    private static final byte[] PSK = "unit-test-psk-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final InetSocketAddress CLIENT = new InetSocketAddress(AddressRange.parseAddress("198.51.100.1"), 500);
    private static final InetSocketAddress GATEWAY = new InetSocketAddress(AddressRange.parseAddress("198.51.100.130"), 500);
    private static final Duration PROBE_TIMER = Duration.ofSeconds(2);
    /** IPv4 and UDP in front of IKE. */
    private static final int OUTER = 28;
    /** The non-ESP marker in front of IKE on port 4500 (RFC 3948 §2.2), which the loopback leaves out. */
    private static final int MARKER = 4;

    private final ManualIkeScheduler clock = new ManualIkeScheduler();
    private final LoopbackNetwork net = new LoopbackNetwork(CLIENT, GATEWAY);
    private final List<String> outcomes = new ArrayList<>();
    private IkeRekeyStateMachineTest.Recorder clientEvents;
    private IkeInitiator client;
    private IkeResponder gateway;
    private int pathMtu = 1500;

    @BeforeEach
    void connect() {
        IkeSessionTimers timers = IkeSessionTimers.DEFAULT.withRekey(Duration.ZERO, Duration.ZERO, Duration.ZERO);
        clientEvents = new IkeRekeyStateMachineTest.Recorder(net);
        client = new IkeInitiator(new IkeInitiatorConfig(CLIENT, GATEWAY, new IkeIdentity("client.pathsec.test"),
                new IkeIdentity("gw.pathsec.test"), PSK, List.of(IkeSuite.DEFAULT), List.of(EspTransform.AES_GCM_16_256),
                true, List.of(), timers), clock, net.transport(true), new SecureRandom(), clientEvents);
        gateway = new IkeResponder(new IkeResponderConfig(GATEWAY, new IkeIdentity("gw.pathsec.test"), PSK,
                List.of(IkeSuite.DEFAULT), List.of(EspTransform.AES_GCM_16_256),
                List.of(TrafficSelector.range(AddressRange.parseAddress("203.0.113.0"),
                        AddressRange.parseAddress("203.0.113.255"))),
                new AddressPool(AddressRange.parse("10.200.0.0/24")), timers), clock, net.transport(false),
                new SecureRandom(), new IkeRekeyStateMachineTest.Recorder(net));
        net.initiator = client::receive;
        net.responder = gateway::receive;
        client.start();
        net.pump(clock);
        assertInstanceOf(IkeInitiator.Established.class, client.state());
        net.drop = d -> outerSize(d) > pathMtu;
    }

    private PacketizationLayer.ProbeOutcome record(String name) {
        return new PacketizationLayer.ProbeOutcome() {
            @Override
            public void acknowledged() {
                outcomes.add(name + " acknowledged");
            }

            @Override
            public void lost() {
                outcomes.add(name + " lost");
            }

            @Override
            public void unanswered() {
                outcomes.add(name + " unanswered");
            }
        };
    }

    private void run(Duration d) {
        for (long ms = 0; ms < d.toMillis(); ms += 100) {
            clock.advance(Duration.ofMillis(100));
            net.pump(clock);
        }
    }

    private static int outerSize(LoopbackNetwork.Datagram d) {
        return OUTER + (d.natTraversal() ? MARKER : 0) + d.message().length;
    }

    private static IkeHeader header(LoopbackNetwork.Datagram d) throws IkeProtocolException {
        return IkeHeader.decode(Unpooled.wrappedBuffer(d.message()));
    }

    @Test
    void aProbeOfExactlyTheTargetSizeIsAnsweredByAnUnmodifiedResponder() throws Exception {
        IkeProbeLayer layer = client.probeLayer();
        assertEquals(1400, layer.probeSize(1400), "AES-GCM pads to one octet: any size is reachable");
        int before = net.sent.size();
        layer.sendProbe(1400, PROBE_TIMER, record("1400"));
        net.pump(clock);
        assertEquals(List.of("1400 acknowledged"), outcomes);
        LoopbackNetwork.Datagram probe = net.sent.get(before);
        assertEquals(1400, outerSize(probe), "the outer IP packet is the probe size");
        assertEquals(ExchangeType.INFORMATIONAL, header(probe).exchangeType());
        assertEquals(1, net.sent.size() - before - 1, "one answer, no retransmission");
    }

    /** Sends a probe that is answered after {@code delay} on the scheduler's clock. */
    private void probeAnsweredAfter(IkeProbeLayer layer, Duration delay) {
        layer.sendProbe(1400, PROBE_TIMER, record("probe"));
        clock.advance(delay);
        net.pump(clock);
    }

    @Test
    void theRoundTripIsTheLeastOfTheLatestEightAcknowledgedProbes() {
        IkeProbeLayer layer = client.probeLayer();
        assertEquals(null, layer.roundTrip(), "none before the first acknowledgement");
        probeAnsweredAfter(layer, Duration.ofMillis(40)); // a first exchange, still compiling
        assertEquals(Duration.ofMillis(40), layer.roundTrip());
        probeAnsweredAfter(layer, Duration.ofMillis(10));
        probeAnsweredAfter(layer, Duration.ofMillis(25));
        assertEquals(Duration.ofMillis(10), layer.roundTrip(), "outliers do not linger");
        for (int i = 0; i < 8; i++) {
            probeAnsweredAfter(layer, Duration.ofMillis(30));
        }
        assertEquals(Duration.ofMillis(30), layer.roundTrip(), "the path's delay grew: the window forgets");
        pathMtu = 1300;
        layer.sendProbe(1400, PROBE_TIMER, record("lost"));
        run(PROBE_TIMER.plusSeconds(1));
        assertEquals(Duration.ofMillis(30), layer.roundTrip(), "a lost probe is no sample");
    }

    @Test
    void aLostProbeCompletesItsMessageIdSoLaterRequestsProceedAndThePeerStaysAlive() throws Exception {
        pathMtu = 1300;
        IkeProbeLayer layer = client.probeLayer();
        int before = net.sent.size();
        layer.sendProbe(1400, PROBE_TIMER, record("1400"));
        net.pump(clock);
        run(PROBE_TIMER.minusMillis(200));
        assertTrue(outcomes.isEmpty(), "nothing decided before PROBE_TIMER");
        assertEquals(before + 1, net.sent.size(), "a probe is never retransmitted");
        run(Duration.ofMillis(400));
        assertEquals(List.of("1400 lost"), outcomes, "lost, once the small completion was answered");
        LoopbackNetwork.Datagram probe = net.sent.get(before);
        LoopbackNetwork.Datagram completion = net.sent.get(before + 1);
        assertEquals(header(probe).messageId(), header(completion).messageId(), "the completion reuses the probe's ID");
        assertTrue(completion.message().length < 100, "the completion is small: " + completion.message().length);

        layer.sendProbe(1200, PROBE_TIMER, record("1200"));
        net.pump(clock);
        assertEquals(List.of("1400 lost", "1200 acknowledged"), outcomes, "the next ID is accepted by the peer");
        assertEquals(header(probe).messageId() + 1, header(net.sent.get(net.sent.size() - 2)).messageId());
        assertInstanceOf(IkeInitiator.Established.class, client.state());
        assertTrue(clientEvents.closed.isEmpty());
    }

    @Test
    void aProbeReportedTooBigCompletesItsIdAtOnceInsteadOfAfterProbeTimer() throws Exception {
        pathMtu = 1300;
        IkeProbeLayer layer = client.probeLayer();
        List<ProbeQuote> quotes = new ArrayList<>();
        PacketizationLayer.ProbeOutcome outcome = record("1400");
        int before = net.sent.size();
        layer.sendProbe(1400, PROBE_TIMER, new PacketizationLayer.ProbeOutcome() {
            @Override
            public void sent(ProbeQuote quote) {
                quotes.add(quote);
            }

            @Override
            public void acknowledged() {
                outcome.acknowledged();
            }

            @Override
            public void lost() {
                outcome.lost();
            }

            @Override
            public void unanswered() {
                outcome.unanswered();
            }
        });
        net.pump(clock);
        LoopbackNetwork.Datagram probe = net.sent.get(before);
        IkeHeader h = header(probe);
        assertEquals(1, quotes.size(), "the quote is handed over once, as the probe leaves");
        ProbeQuote q = quotes.get(0);
        assertEquals(h.initiatorSpi(), q.initiatorSpi());
        assertEquals(h.responderSpi(), q.responderSpi());
        assertEquals(h.messageId(), q.messageId());
        assertEquals(GATEWAY.getAddress(), q.remote().getAddress());
        assertEquals(probe.natTraversal() ? 4500 : 500, q.remote().getPort(), "where the probe went");
        assertEquals(probe.natTraversal(), q.natTraversal());

        layer.probeTooBig(new ProbeQuote(q.initiatorSpi(), q.responderSpi(), q.messageId() + 1, q.remote(),
                q.localPort(), q.natTraversal()));
        net.pump(clock);
        assertEquals(before + 1, net.sent.size(), "another message ID concludes nothing");

        layer.probeTooBig(q); // a validated Packet Too Big quoting it
        net.pump(clock);
        assertEquals(List.of("1400 lost"), outcomes, "the completion was answered without waiting for PROBE_TIMER");
        assertEquals(h.messageId(), header(net.sent.get(before + 1)).messageId(), "the completion reuses the ID");
        layer.sendProbe(1200, PROBE_TIMER, record("1200"));
        net.pump(clock);
        assertEquals(List.of("1400 lost", "1200 acknowledged"), outcomes, "the window moved on");
        assertInstanceOf(IkeInitiator.Established.class, client.state());
    }

    @Test
    void whenNothingPassesTheOutcomeIsUnansweredNotLost() {
        pathMtu = 0;
        client.probeLayer().sendProbe(1400, PROBE_TIMER, record("1400"));
        run(PROBE_TIMER.plus(IkeSessionTimers.DEFAULT.retransmitSpan()).plusSeconds(1));
        assertEquals(List.of("1400 unanswered"), outcomes);
    }

    @Test
    void dplpmtudOverIkeConvergesWithinEightOctetsOfThePath() {
        pathMtu = 1400;
        PmtuState pmtu = new PmtuState("c 0x1", PmtuSettings.defaults(), false, PmtuStateTest.aesGcm256(false, true),
                schedulerClock());
        Dplpmtud prober = new Dplpmtud(pmtu, DplpmtudSettings.defaults().withTimers(Duration.ofSeconds(1),
                Duration.ofMinutes(10)), client.probeLayer());
        prober.start();
        for (int i = 0; i < 1200 && prober.phase() != DplpmtudPhase.SEARCH_COMPLETE; i++) {
            run(Duration.ofMillis(100));
        }
        assertEquals(DplpmtudPhase.SEARCH_COMPLETE, prober.phase());
        assertTrue(pmtu.plpmtu() >= 1392 && pmtu.plpmtu() <= 1400, "PLPMTU " + pmtu.plpmtu());
        assertEquals(pmtu.plpmtu(), pmtu.last(PmtuSource.DPLPMTUD).value());
        assertInstanceOf(IkeInitiator.Established.class, client.state(), "lost probes never ended the session");
    }

    private Clock schedulerClock() {
        return new Clock() {
            @Override
            public Instant instant() {
                return clock.now();
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
