package io.pathsec.engine.pmtu;

import io.pathsec.engine.testsupport.ManualClock;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

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
        BlackHoleDetector held = new BlackHoleDetector(PmtuSettings.defaults(), () -> pending[0]);
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
    void icmpArrivingMeansNoBlackHole() {
        assertNull(send(1438, 1000));
        state.reportTooBig(PmtuSource.CLASSIC_ICMP, 1499);
        clock.advance(Duration.ofMillis(200));
        assertNull(send(1400, 1000));
        assertNull(send(1400, 1000));
        assertEquals(1499, state.plpmtu());
    }
}
