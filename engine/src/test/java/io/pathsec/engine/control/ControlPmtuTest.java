package io.pathsec.engine.control;

import io.pathsec.engine.testsupport.ManualClock;
import io.pathsec.engine.control.api.ControlClient;
import io.pathsec.engine.control.api.ControlEvent;
import io.pathsec.engine.control.api.ControlException;
import io.pathsec.engine.control.api.ErrorCode;
import io.pathsec.engine.control.api.EventType;
import io.pathsec.engine.control.api.PmtuBlackHole;
import io.pathsec.engine.control.api.PmtuReport;
import io.pathsec.engine.control.api.PmtuSampled;
import io.pathsec.engine.control.api.Profile;
import io.pathsec.engine.control.api.ProfileKind;
import io.pathsec.engine.pmtu.EffectiveMtu;
import io.pathsec.engine.pmtu.PmtuSettings;
import io.pathsec.engine.pmtu.PmtuSource;
import io.pathsec.engine.pmtu.PmtuState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PMTU through the control API: a real {@link PmtuState} on a manual clock behind the in-memory
 * tunnel; its changes reach a subscriber as {@code pmtu.sample} and {@code pmtu.blackhole}, and
 * {@code pmtu} answers the state with its history.
 */
@Timeout(60)
class ControlPmtuTest {
    private final ManualClock clock = new ManualClock();
    /** IPv4, ESP-in-UDP, tunnel mode, a flat 40-byte ESP overhead. */
    private final EffectiveMtu math = new EffectiveMtu(false, true, true, n -> 40);
    private final PmtuState state = new PmtuState("office-out 0x00001000", PmtuSettings.defaults(), false, math, clock);
    private TestDaemon d;
    private ControlClient client;

    @BeforeEach
    void start() throws Exception {
        d = new TestDaemon();
        client = ControlClient.connect(d.socket);
        client.putProfile(Profile.of("office", ProfileKind.STATIC_KEY, TestProfiles.staticKey("office", "psx0")), false);
        d.tunnels.pmtu.put("office", List.of(state));
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        d.close();
    }

    /**
     * The daemon registers a subscriber just after answering {@code subscribe} (so no event
     * overtakes the answer): wait, bounded, until it has.
     */
    private void subscribe(BlockingQueue<ControlEvent> q) throws Exception {
        client.subscribe(List.of(EventType.PMTU_SAMPLE, EventType.PMTU_BLACKHOLE), "office", q::add);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (d.daemon.events().subscriberCount() < 1) {
            assertTrue(System.nanoTime() < deadline, "the daemon never registered the subscriber");
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    private static <T extends ControlEvent> T next(BlockingQueue<ControlEvent> q, Class<T> type) throws InterruptedException {
        List<ControlEvent> skipped = new java.util.ArrayList<>();
        while (true) {
            ControlEvent e = q.poll(10, TimeUnit.SECONDS);
            assertNotNull(e, "no " + type.getSimpleName() + " within 10 s; other events: " + skipped);
            skipped.add(e);
            if (type.isInstance(e)) {
                return type.cast(e);
            }
        }
    }

    @Test
    void aTooBigReportIsPublishedAsAPmtuSample() throws Exception {
        client.connectTunnel("office");
        BlockingQueue<ControlEvent> q = new LinkedBlockingQueue<>();
        subscribe(q);
        int before = state.effectiveMtu();
        clock.advance(Duration.ofSeconds(5));

        assertTrue(state.reportTooBig(PmtuSource.CLASSIC_ICMP, 1400));

        PmtuSampled s = next(q, PmtuSampled.class);
        assertEquals("office", s.profile());
        assertEquals(EventType.PMTU_SAMPLE, s.type());
        assertEquals("0x00001000", s.spi());
        assertEquals("office-out 0x00001000", s.sa());
        assertEquals("CLASSIC_ICMP", s.source());
        assertEquals(1400, s.plpmtu());
        assertEquals(math.innerMtu(1400), s.effectiveMtu());
        assertEquals(before, s.previousEffectiveMtu());
        assertEquals(clock.millis(), s.at());
        assertTrue(q.isEmpty(), "no black hole for an ICMP report: " + q);
    }

    @Test
    void aBlackHoleIsPublishedWithItsStoryThenItsSample() throws Exception {
        client.connectTunnel("office");
        BlockingQueue<ControlEvent> q = new LinkedBlockingQueue<>();
        subscribe(q);
        clock.advance(Duration.ofSeconds(7));

        assertNotNull(state.blackHole(1438));

        PmtuBlackHole b = next(q, PmtuBlackHole.class);
        assertEquals("office", b.profile());
        assertEquals("0x00001000", b.spi());
        assertEquals(1438, b.vanishedSize());
        assertEquals(1500, b.previousPlpmtu());
        assertEquals(1200, b.newPlpmtu());
        assertEquals(math.innerMtu(1200), b.effectiveMtu());
        assertEquals(clock.millis(), b.at());
        assertEquals("packets of 1438 bytes vanish between 192.0.2.1 and 192.0.2.2; no ICMP received;"
                + " now using PLPMTU 1200 (inner MTU " + math.innerMtu(1200) + ")", b.message());
        PmtuSampled s = next(q, PmtuSampled.class);
        assertEquals("BLACK_HOLE", s.source());
        assertEquals(1200, s.plpmtu());
        // Falling again needs a new black hole: a later ICMP report is a sample only.
        assertTrue(state.reportTooBig(PmtuSource.CLASSIC_ICMP, 1100));
        PmtuSampled icmp = next(q, PmtuSampled.class);
        assertEquals("CLASSIC_ICMP", icmp.source());
        assertTrue(q.isEmpty(), "one black hole only: " + q);
    }

    @Test
    void thePmtuRequestAnswersTheStateAndItsHistory() throws Exception {
        ControlException down = assertThrows(ControlException.class, () -> client.pmtu("office"));
        assertEquals(ErrorCode.NOT_FOUND, down.code());
        client.connectTunnel("office");
        clock.advance(Duration.ofSeconds(1));
        state.reportTooBig(PmtuSource.CLASSIC_ICMP, 1400);
        clock.advance(Duration.ofSeconds(1));
        state.blackHole(1300);

        PmtuReport r = client.pmtu("office");
        assertEquals("office", r.profile());
        assertEquals(1, r.sas().size());
        PmtuReport.Sa sa = r.sas().get(0);
        assertEquals("0x00001000", sa.spi());
        assertEquals(1200, sa.plpmtu());
        assertEquals(math.innerMtu(1200), sa.effectiveMtu());
        assertEquals(1500, sa.maximum());
        assertEquals(1200, sa.base());
        assertFalse(sa.outerIpv6());
        assertEquals("lowered", sa.search());
        assertEquals(List.of("CONFIGURED", "CLASSIC_ICMP", "BLACK_HOLE"),
                sa.history().stream().map(PmtuReport.Observation::source).toList());
        assertEquals(1400, sa.lastBySource().get("CLASSIC_ICMP").value());
        assertEquals(clock.millis(), sa.lastBySource().get("BLACK_HOLE").at());
        assertEquals(1, sa.blackHoles().size());
        assertEquals(1300, sa.blackHoles().get(0).vanishedSize());

        clock.advance(PmtuSettings.defaults().raiseTimer());
        assertEquals("raise-due", client.pmtu("office").sas().get(0).search());
    }

    @Test
    void aTunnelWithoutPmtuStateAnswersNoSas() throws Exception {
        d.tunnels.pmtu.clear();
        client.connectTunnel("office");
        assertTrue(client.pmtu("office").sas().isEmpty());
    }
}
