package io.pathsec.engine.pmtu.dplpmtud;

import io.pathsec.engine.pmtu.BlackHoleEvent;
import io.pathsec.engine.pmtu.DplpmtudSettings;
import io.pathsec.engine.pmtu.PmtuSettings;
import io.pathsec.engine.pmtu.PmtuState;
import io.pathsec.engine.pmtu.PmtuStateTest;
import io.pathsec.engine.testsupport.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The black-hole check the inner TCP detector asks for (RFC 8899 §4.3), over a simulated path
 * with a 20 ms round trip on a manual clock: the PLPMTU probed at once with a timer of four
 * round trips, a black hole only when the probe is lost, the small completion answered and the
 * peer silent on the data SAs.
 */
class DplpmtudBlackHoleCheckTest {
    private static final DplpmtudSettings SETTINGS = DplpmtudSettings.defaults()
            .withTimers(Duration.ofSeconds(2), Duration.ofSeconds(30));
    private static final Duration CHECK_TIMER = SimulatedPath.RTT.multipliedBy(4);

    private final ManualClock clock = new ManualClock();
    private final SimulatedPath path = new SimulatedPath(clock);
    private final PmtuState pmtu = new PmtuState("g1 0x00001000",
            PmtuSettings.defaults().withRaiseTimer(Duration.ofSeconds(600)), false,
            PmtuStateTest.aesGcm256(false, true), clock);
    private final Dplpmtud prober = new Dplpmtud(pmtu, SETTINGS, path);
    private final List<BlackHoleEvent> confirmed = new ArrayList<>();

    private void searchComplete() {
        prober.start();
        path.run(Duration.ofSeconds(1));
        assertEquals(DplpmtudPhase.SEARCH_COMPLETE, prober.phase());
        assertEquals(1500, pmtu.plpmtu());
    }

    private boolean suspect() {
        return pmtu.blackHoleCheck() != null && pmtu.blackHoleCheck().start(pmtu.inboundPackets(), confirmed::add);
    }

    @Test
    void aCheckFindsTheBlackHoleWithinAFewRoundTrips() {
        searchComplete();
        path.pathMtu = 1280; // narrowed, no ICMP
        int before = path.probes.size();
        assertTrue(suspect());
        path.run(CHECK_TIMER.plus(SimulatedPath.RTT)); // the probe's timer, then the completion's round trip
        assertEquals(1500, path.probes.get(before), "the PLPMTU in use is probed");
        assertEquals(CHECK_TIMER, path.timers.get(before), "given four round trips, not PROBE_TIMER");
        assertEquals(1, confirmed.size(), "confirmed after " + CHECK_TIMER.plus(SimulatedPath.RTT).toMillis() + " ms");
        BlackHoleEvent e = confirmed.get(0);
        assertEquals(1500, e.previousPlpmtu());
        assertEquals(1200, e.newPlpmtu(), "BASE_PLPMTU at once");
        assertEquals(1200, pmtu.plpmtu());
        assertEquals(List.of(e), pmtu.blackHoles());
        assertEquals(1, prober.status().blackHoleChecks());
        assertEquals(1, prober.status().blackHoles());

        int found = path.probes.size();
        path.run(Duration.ofMinutes(1));
        assertEquals(0, path.probes.subList(found, path.probes.size()).stream().filter(p -> p >= 1500).count(),
                "the size that vanished is not searched again: " + path.probes.subList(found, path.probes.size()));
        assertEquals(DplpmtudPhase.SEARCH_COMPLETE, prober.phase());
        assertTrue(pmtu.plpmtu() >= 1272 && pmtu.plpmtu() <= 1280, "searched up again to the path: " + pmtu.plpmtu());
    }

    @Test
    void anAnsweredCheckChangesNothingAndTheNextWaitsForTheHoldoff() {
        searchComplete();
        assertTrue(suspect());
        path.run(SimulatedPath.RTT.plusMillis(1));
        assertTrue(confirmed.isEmpty());
        assertEquals(1500, pmtu.plpmtu());
        assertTrue(pmtu.blackHoles().isEmpty());
        assertFalse(pmtu.blackHoleCheck().ready(), "a lossy path would ask at every retransmission");
        assertFalse(suspect());
        path.run(Dplpmtud.CHECK_HOLDOFF);
        assertTrue(suspect(), "after the holdoff");
    }

    @Test
    void aPeerHeardDuringTheCheckLeavesItToOrdinaryProbes() {
        searchComplete();
        path.pathMtu = 1280;
        int before = path.probes.size();
        assertTrue(suspect());
        pmtu.countInbound(); // the peer's traffic still arrives: it was not cut off
        path.run(CHECK_TIMER.plus(SimulatedPath.RTT).plusMillis(1));
        assertTrue(confirmed.isEmpty(), "no verdict from one short timer while the peer is heard");
        assertEquals(1500, pmtu.plpmtu());
        assertEquals(List.of(CHECK_TIMER, SETTINGS.probeTimer()), path.timers.subList(before, before + 2),
                "the size is probed again with PROBE_TIMER");

        path.run(SETTINGS.probeTimer().plus(SimulatedPath.RTT).multipliedBy(SETTINGS.maxProbes()));
        assertEquals(1, pmtu.blackHoles().size(), "MAX_PROBES ordinary losses: the black hole, the RFC 8899 way");
        assertTrue(confirmed.isEmpty(), "not the check's finding");
    }

    @Test
    void takenOnlyWhenTheSearchIsCompleteAndNoProbeOrCheckIsInFlight() {
        assertFalse(suspect(), "no prober yet");
        prober.start();
        assertFalse(suspect(), "BASE, probe in flight: the search answers the question anyway");
        path.run(Duration.ofSeconds(1));
        assertTrue(suspect());
        assertFalse(suspect(), "one check at a time");
        path.run(Duration.ofSeconds(2));
        prober.stop();
        assertEquals(null, pmtu.blackHoleCheck(), "withdrawn when the prober stops");
    }
}
