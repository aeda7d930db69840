package io.pathsec.engine.pmtu;

import io.pathsec.engine.testsupport.ManualClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Black-hole detection from repeated full-size inner TCP retransmissions, on a manual clock. */
class BlackHoleDetectorTest {
    private final ManualClock clock = new ManualClock();
    private final PmtuState state = new PmtuState("g1 0x00001000", PmtuSettings.defaults(), false,
            PmtuStateTest.aesGcm256(false, true), clock);
    private final BlackHoleDetector detector = new BlackHoleDetector(PmtuSettings.defaults());

    private BlackHoleEvent send(int length, long sequence) {
        ByteBuf p = TestPackets.ipv4Tcp(length, sequence, true, false, 0);
        try {
            return detector.observe(p, state);
        } finally {
            p.release();
        }
    }

    @Test
    void secondTransmissionIntoSilenceIsABlackHole() {
        assertNull(send(1438, 1000));
        clock.advance(Duration.ofMillis(210)); // the sender's retransmission timer
        BlackHoleEvent e = send(1438, 1000);
        assertNotNull(e);
        assertEquals(1438, e.vanishedSize());
        assertEquals(1200, state.plpmtu());
    }

    @Test
    void whileThePeerIsHeardItTakesThreeTransmissions() {
        assertNull(send(1438, 1000));
        state.countInbound(); // duplicate ACKs: ordinary loss, not a black hole
        clock.advance(Duration.ofMillis(200));
        assertNull(send(1438, 1000));
        clock.advance(Duration.ofMillis(400));
        assertNotNull(send(1438, 1000));
    }

    @Test
    void differentSegmentsSmallPacketsAndOldSightingsDoNotCount() {
        for (int i = 0; i < 10; i++) {
            assertNull(send(1438, 1000 + 1386L * i), "new data, each segment once");
        }
        assertNull(send(600, 77));
        assertNull(send(600, 77), "small packets pass a black hole: never evidence");
        assertNull(send(1438, 5000));
        clock.advance(Duration.ofSeconds(4)); // beyond the 3 s window
        assertNull(send(1438, 5000));
        assertEquals(1500, state.plpmtu());
    }

    @Test
    void aSilenceOfOurOwnMakingIsNot() {
        boolean[] pending = {true};
        BlackHoleDetector held = new BlackHoleDetector(PmtuSettings.defaults(), () -> pending[0], (p, m) -> {
        });
        ByteBuf segment = TestPackets.ipv4Tcp(1438, 1000, true, false, 0);
        assertNull(held.observe(segment, state));
        clock.advance(Duration.ofMillis(210));
        assertNull(held.observe(segment, state), "the peer's ACKs wait unread in our socket: we were held up");
        pending[0] = false;
        clock.advance(Duration.ofMillis(400));
        assertNotNull(held.observe(segment, state), "nothing waiting: the path is silent");
        segment.release();
    }

    @Test
    void theFirstRetransmissionAsksTheProberAndAConfirmedCheckAnswersThatSegment() {
        RecordingBlackHoleCheck check = new RecordingBlackHoleCheck();
        state.blackHoleCheck(check);
        List<ByteBuf> answered = new ArrayList<>();
        List<Integer> mtus = new ArrayList<>();
        BlackHoleDetector withProber = new BlackHoleDetector(PmtuSettings.defaults(), () -> false, (p, mtu) -> {
            answered.add(p);
            mtus.add(mtu);
        });
        ByteBuf segment = TestPackets.ipv4Tcp(1438, 1000, true, false, 0);
        try {
            assertNull(withProber.observe(segment, state));
            state.countInbound(); // ACKs for the flight before it: not silence
            clock.advance(Duration.ofMillis(210));
            assertNull(withProber.observe(segment, state), "a suspicion, not a verdict");
            assertEquals(List.of(state.inboundPackets()), check.inboundAt, "asked once, with the peer's count now");
            assertEquals(1500, state.plpmtu(), "nothing changes before the check says so");

            BlackHoleEvent found = state.blackHole(1438); // what the prober does when it confirms
            check.confirmed.get(0).accept(found);
            assertEquals(1, answered.size());
            assertEquals(ByteBufUtil.hexDump(segment), ByteBufUtil.hexDump(answered.get(0)),
                    "the very segment is answered, so its sender resends at the new size");
            assertEquals(List.of(state.effectiveMtu()), mtus, "with the lowered effective MTU");
        } finally {
            segment.release();
        }
    }

    @Test
    void aRetransmissionIsToldByItsFlowEvenAfterThousandsOfSegmentsFollowedIt() {
        RecordingBlackHoleCheck check = new RecordingBlackHoleCheck();
        state.blackHoleCheck(check);
        for (int i = 0; i < 3000; i++) {
            assertNull(send(1438, 1000 + 1386L * i), "new data");
        }
        assertTrue(check.inboundAt.isEmpty(), "new data is no suspicion");
        clock.advance(Duration.ofMillis(250));
        assertNull(send(1438, 1000), "the first timeout resends the oldest segment");
        assertEquals(1, check.inboundAt.size(), "asked at the first retransmission");
    }

    @Test
    void withAProberTheDetectorNeverDecidesItselfAndAsksAgainWhenTheProberIsReady() {
        RecordingBlackHoleCheck check = new RecordingBlackHoleCheck();
        check.ready = false; // a check was just refuted, or a probe is in flight
        state.blackHoleCheck(check);
        assertNull(send(1438, 1000));
        clock.advance(Duration.ofMillis(200));
        assertNull(send(1438, 1000), "silent peer, second transmission: the rule alone would decide here");
        clock.advance(Duration.ofMillis(400));
        assertNull(send(1438, 1000), "third: neither");
        assertTrue(check.inboundAt.isEmpty());
        assertEquals(1500, state.plpmtu());
        check.ready = true;
        clock.advance(Duration.ofMillis(800));
        assertNull(send(1438, 1000));
        assertEquals(1, check.inboundAt.size(), "asked at the next retransmission");
    }

    @Test
    void icmpArrivingMeansNoBlackHole() {
        assertNull(send(1438, 1000));
        state.reportTooBig(PmtuSource.CLASSIC_ICMP, 1499);
        clock.advance(Duration.ofMillis(200));
        assertNull(send(1400, 1000));
        assertNull(send(1400, 1000));
        assertEquals(1499, state.plpmtu());
    }
}
