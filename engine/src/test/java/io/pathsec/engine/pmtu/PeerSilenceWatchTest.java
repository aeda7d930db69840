package io.pathsec.engine.pmtu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.pathsec.engine.testsupport.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The peer falling silent after full-size segments, on a manual clock. */
class PeerSilenceWatchTest {
    private final ManualClock clock = new ManualClock();
    private final PmtuState state = new PmtuState("g1 0x00001000", PmtuSettings.defaults(), false,
            PmtuStateTest.aesGcm256(false, true), clock);
    private final RecordingBlackHoleCheck check = new RecordingBlackHoleCheck();
    private final List<ByteBuf> answered = new ArrayList<>();

    PeerSilenceWatchTest() {
        state.blackHoleCheck(check);
    }

    private ByteBuf sent(long sequence) {
        ByteBuf p = TestPackets.ipv4Tcp(1438, sequence, true, false, 0);
        state.peerSilence().fullSizeSent(p, state.inboundPackets(), clock.millis());
        return p;
    }

    private boolean poll() {
        return PeerSilenceWatch.poll(state, 3000, (p, mtu) -> answered.add(p));
    }

    @Test
    void theFirstSegmentSentAfterThePeerWasLastHeardIsAnsweredWhenACheckConfirms() {
        ByteBuf first = sent(1000);
        ByteBuf later = sent(2386);
        clock.advance(Duration.ofMillis(PeerSilenceWatch.SILENCE_MILLIS - 1));
        assertFalse(poll(), "not yet");
        clock.advance(Duration.ofMillis(1));
        assertTrue(poll());
        assertEquals(List.of(0L), check.inboundAt, "with the peer's count when the segment left");
        assertFalse(poll(), "once per silence");

        check.confirmed.get(0).accept(state.blackHole(1438));
        assertEquals(1, answered.size());
        ByteBuf copy = answered.get(0);
        assertEquals(1438, copy.readableBytes(), "the segment's length, as its header says");
        assertEquals(ByteBufUtil.hexDump(first, 0, 548), ByteBufUtil.hexDump(copy, 0, 548),
                "the first segment after the peer was heard, as much as an ICMPv4 error quotes");
        first.release();
        later.release();
    }

    @Test
    void aPeerHeardAfterTheSegmentIsNoSilence() {
        sent(1000).release();
        state.countInbound(); // its ACK
        clock.advance(Duration.ofMillis(200));
        assertFalse(poll(), "answered: a quiet tunnel, not a silent peer");
        sent(2386).release();
        clock.advance(Duration.ofMillis(PeerSilenceWatch.SILENCE_MILLIS));
        assertTrue(poll(), "the next segment after it went unanswered");
        assertEquals(List.of(1L), check.inboundAt);
    }

    @Test
    void nothingIsAskedWhileTheProberIsBusyOrIcmpArrives() {
        sent(1000).release();
        clock.advance(Duration.ofMillis(100));
        check.ready = false;
        assertFalse(poll());
        check.ready = true;
        state.reportTooBig(PmtuSource.CLASSIC_ICMP, 1400);
        assertFalse(poll(), "ICMP works on this path: the classic source is enough");
        assertTrue(check.inboundAt.isEmpty());
    }

    @Test
    void withoutFullSizeTrafficThereIsNothingToSuspect() {
        clock.advance(Duration.ofSeconds(5));
        assertFalse(poll());
        assertNull(state.peerSilence().silentFor(0, clock.millis(), 50));
    }
}
