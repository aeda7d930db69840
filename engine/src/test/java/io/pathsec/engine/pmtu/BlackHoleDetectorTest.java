package io.pathsec.engine.pmtu;

import io.pathsec.engine.testsupport.ManualClock;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import java.time.Duration;

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
        state.countInbound(); // and the peer is heard: no flight vanished into silence either
        assertNull(send(1438, 5000));
        assertEquals(1500, state.plpmtu());
    }

    // ---- rule 1: the first timeout retransmission of a whole flight into silence ----------------

    private static final int PAYLOAD = 1438 - 40;

    /** Sends {@code segments} new full-size segments from {@code first}, the peer's ACKs arriving meanwhile. */
    private long flight(long first, int segments) {
        for (int i = 0; i < segments; i++) {
            assertNull(send(1438, first + (long) i * PAYLOAD), "new data is never a black hole");
            if (i % 4 == 3) {
                state.countInbound(); // ACKs for earlier data
            }
        }
        return first + (long) segments * PAYLOAD;
    }

    @Test
    void theFirstTimeoutRetransmissionOfAFlightIntoSilenceIsABlackHole() {
        flight(1_000_000, 40);
        clock.advance(Duration.ofMillis(BlackHoleDetector.MIN_SILENCE_MILLIS + 20)); // RTO: nothing came back
        BlackHoleEvent e = send(1438, 1_000_000 + 30L * PAYLOAD); // the oldest unacknowledged segment
        assertNotNull(e, "detected on the sender's first retransmission");
        assertEquals(1438, e.vanishedSize());
        assertEquals(1200, state.plpmtu());
    }

    @Test
    void aTailLossProbeIsNotButTheTimeoutAfterItIs() {
        long next = flight(1_000_000, 40);
        state.countInbound(); // the last ACK
        clock.advance(Duration.ofMillis(40));
        assertNull(send(1438, next - PAYLOAD), "RFC 8985 §7.3: a tail loss probe resends the last segment");
        clock.advance(Duration.ofMillis(BlackHoleDetector.MIN_SILENCE_MILLIS + 20));
        assertNotNull(send(1438, next - 12L * PAYLOAD), "the timeout resends the oldest: the flight vanished");
    }

    @Test
    void aResendSoonAfterThePeerWasHeardIsOrdinaryLoss() {
        long next = flight(1_000_000, 40);
        state.countInbound(); // duplicate ACKs / SACKs: the receiver is getting the data
        assertNull(send(1438, next)); // new data after them
        clock.advance(Duration.ofMillis(30));
        assertNull(send(1438, 1_000_000 + 20L * PAYLOAD), "fast retransmit (RFC 5681 §3.2)");
        clock.advance(Duration.ofMillis(150));
        state.countInbound(); // more SACKs
        clock.advance(Duration.ofMillis(BlackHoleDetector.MIN_SILENCE_MILLIS - 30));
        assertNull(send(1438, 1_000_000 + 21L * PAYLOAD), "the peer was heard less than the silence ago");
        assertEquals(1500, state.plpmtu());
    }

    @Test
    void oneOrTwoLostSegmentsOfAnIdleFlowAreNoFlight() {
        flight(5_000, 2);
        state.countInbound();
        assertNull(send(100, 5_000 + 2L * PAYLOAD)); // a small write: the silence is measured from here
        clock.advance(Duration.ofSeconds(1));
        assertNull(send(1438, 5_000), "two segments outstanding: not a flight");
        assertEquals(1500, state.plpmtu());
    }

    @Test
    void aSpuriousTimeoutOnASlowQueueingPathIsNot() {
        // A new flow on a loaded path: the SYN-ACK and the first ACK half a second apart.
        state.countInbound();
        clock.advance(Duration.ofMillis(495));
        state.countInbound();
        long next = flight(1_000_000, 10);
        clock.advance(Duration.ofMillis(BlackHoleDetector.MIN_SILENCE_MILLIS + 40));
        assertNull(send(1438, 1_000_000), "the sender's timer fired before the delayed ACKs came");
        assertTrue(state.usualQuietMillis() > 1000, "quiet gaps of about 500 ms are usual: " + state.usualQuietMillis());
        clock.advance(Duration.ofMillis(2000));
        assertNotNull(send(1438, 1_000_000), "silence far beyond the usual: the black hole after all");
        assertTrue(next > 0);
    }

    @Test
    void theUsualQuietFollowsABusyPeerDownQuickly() {
        state.countInbound();
        clock.advance(Duration.ofSeconds(30)); // idle: counted as one second at most
        for (int i = 0; i < 60; i++) {
            state.countInbound();
            clock.advance(Duration.ofMillis(1));
        }
        assertTrue(state.usualQuietMillis() < BlackHoleDetector.MIN_SILENCE_MILLIS,
                "60 ACKs a millisecond apart after an idle pause: " + state.usualQuietMillis());
    }

    @Test
    void aSilenceOfOurOwnMakingIsNot() {
        boolean[] pending = {true};
        BlackHoleDetector held = new BlackHoleDetector(PmtuSettings.defaults(), () -> pending[0]);
        for (int i = 0; i < 40; i++) {
            ByteBuf p = TestPackets.ipv4Tcp(1438, 1_000_000 + (long) i * PAYLOAD, true, false, 0);
            assertNull(held.observe(p, state));
            p.release();
        }
        clock.advance(Duration.ofMillis(BlackHoleDetector.MIN_SILENCE_MILLIS + 20));
        ByteBuf resend = TestPackets.ipv4Tcp(1438, 1_000_000, true, false, 0);
        assertNull(held.observe(resend, state), "the peer's ACKs wait unread in our socket: we were held up");
        pending[0] = false;
        clock.advance(Duration.ofMillis(250));
        assertNotNull(held.observe(resend, state), "nothing waiting: the path is silent");
        resend.release();
    }

    @Test
    void smallRetransmissionsIntoSilenceNeverCount() {
        for (int i = 0; i < 40; i++) {
            assertNull(send(600, 1_000 + 560L * i));
        }
        clock.advance(Duration.ofSeconds(1));
        assertNull(send(600, 1_000), "small packets pass a black hole");
        assertEquals(1500, state.plpmtu());
    }

    @Test
    void aFlightAcrossTheSequenceWrapIsRecognised() {
        long first = 0x1_0000_0000L - 10L * PAYLOAD; // RFC 9293 §3.4: sequence numbers wrap
        flight(first, 40);
        clock.advance(Duration.ofMillis(BlackHoleDetector.MIN_SILENCE_MILLIS + 20));
        assertNotNull(send(1438, (first + 30L * PAYLOAD) & 0xFFFF_FFFFL));
    }

    @Test
    void validIcmpMeanwhileMeansNoBlackHoleForAFlightEither() {
        flight(1_000_000, 40);
        state.reportTooBig(PmtuSource.CLASSIC_ICMP, 1499);
        clock.advance(Duration.ofMillis(BlackHoleDetector.MIN_SILENCE_MILLIS + 20));
        assertNull(send(1400, 1_000_000 + 30L * PAYLOAD));
        assertEquals(1499, state.plpmtu());
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
