package io.pathsec.engine.pmtu.dplpmtud;

import io.pathsec.engine.pmtu.BlackHoleEvent;
import io.pathsec.engine.pmtu.DplpmtudSettings;
import io.pathsec.engine.pmtu.InFlightProbe;
import io.pathsec.engine.testsupport.ManualClock;
import io.pathsec.engine.pmtu.PmtuSettings;
import io.pathsec.engine.pmtu.PmtuSource;
import io.pathsec.engine.pmtu.PmtuState;
import io.pathsec.engine.pmtu.PmtuStateTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The RFC 8899 §5.2 state machine over a simulated path on a manual clock. */
class DplpmtudTest {
    private static final Duration RAISE = Duration.ofSeconds(60);
    private static final DplpmtudSettings SETTINGS = DplpmtudSettings.defaults()
            .withTimers(Duration.ofSeconds(2), Duration.ofSeconds(30));

    private final ManualClock clock = new ManualClock();
    private final SimulatedPath path = new SimulatedPath(clock);
    private final PmtuState pmtu = new PmtuState("g1 0x00001000", PmtuSettings.defaults().withRaiseTimer(RAISE),
            false, PmtuStateTest.aesGcm256(false, true), clock);
    private final Dplpmtud prober = new Dplpmtud(pmtu, SETTINGS, path);

    @Test
    void confirmsTheBaseThenTheMaximumOnAWidePath() {
        prober.start();
        path.run(Duration.ofSeconds(1));
        assertEquals(java.util.List.of(1200, 1500), path.probes, "BASE_PLPMTU first, then the current claim");
        assertEquals(DplpmtudPhase.SEARCH_COMPLETE, prober.phase());
        assertEquals(1500, pmtu.plpmtu());
        assertEquals(1500, pmtu.last(PmtuSource.DPLPMTUD).value());
    }

    @Test
    void convergesWithinEightOctetsWhereLargeProbesVanishWithoutIcmp() {
        path.pathMtu = 1400;
        prober.start();
        path.run(RAISE.minusSeconds(5));
        assertEquals(DplpmtudPhase.SEARCH_COMPLETE, prober.phase());
        int plpmtu = pmtu.plpmtu();
        assertTrue(plpmtu <= 1400 && plpmtu >= 1392, "PLPMTU " + plpmtu + " within 8 octets of 1400");
        assertEquals(plpmtu, pmtu.last(PmtuSource.DPLPMTUD).value());
        for (int size : path.probes) {
            if (size > 1400) {
                assertEquals(SETTINGS.maxProbes(), path.count(size), "each failing size lost MAX_PROBES times: " + size);
            }
        }
        assertTrue(pmtu.blackHoles().isEmpty(), "the configured maximum was a claim, never confirmed: no black hole");
        DplpmtudStatus s = prober.status();
        assertTrue(s.failed() - s.acknowledged() <= 8, s.toString());
    }

    @Test
    void aPacketTooBigForAProbeEndsTheSearchOnTheExactMtuWithoutWaitingForProbeTimer() {
        path.pathMtu = 1400;
        path.icmpTo = pmtu;
        prober.start();
        path.run(Duration.ofMillis(200)); // far less than one PROBE_TIMER (2 s)
        assertEquals(java.util.List.of(1200, 1500, 1400), path.probes, "base, maximum, then the ICMP value");
        assertEquals(java.util.List.of(1500), path.concludedByIcmp, "the PL stopped waiting for the 1500 probe");
        assertEquals(DplpmtudPhase.SEARCH_COMPLETE, prober.phase());
        assertEquals(1400, pmtu.plpmtu());
        assertEquals(1400, pmtu.last(PmtuSource.DPLPMTUD).value());
        assertEquals(1400, pmtu.last(PmtuSource.CLASSIC_ICMP).value());
        assertTrue(pmtu.blackHoles().isEmpty());
        assertEquals(null, pmtu.probeInFlight(), "nothing in flight once settled");
    }

    @Test
    void aPacketTooBigDuringARaiseSearchBoundsItAndIsProbedNext() {
        path.pathMtu = 1280;
        path.icmpTo = pmtu;
        prober.start();
        path.run(Duration.ofSeconds(1));
        assertEquals(1280, pmtu.plpmtu());
        path.pathMtu = 1420; // the path grew, but not to the maximum
        path.run(RAISE.plusSeconds(1));
        assertEquals(1420, pmtu.plpmtu(), "raise probe of 1500 answered by ICMP 1420, then 1420 confirmed");
        assertEquals(DplpmtudPhase.SEARCH_COMPLETE, prober.phase());
        assertEquals(1420, prober.status().acknowledged());
        assertEquals(1421, prober.status().failed());
    }

    @Test
    void aPacketTooBigArrivingAfterItsProbeWasAcknowledgedChangesNothing() {
        prober.start();
        path.run(SimulatedPath.RTT.plus(Duration.ofMillis(5))); // the 1500 probe is on its way
        InFlightProbe late = pmtu.probeInFlight();
        assertEquals(1500, late.size());
        path.run(Duration.ofSeconds(1));
        assertEquals(null, pmtu.probeInFlight(), "settled: an ICMP quoting it finds nothing");
        int probes = path.probes.size();
        late.tooBig().accept(1300); // delivered late anyway
        path.run(Duration.ofSeconds(1));
        assertEquals(1500, pmtu.plpmtu());
        assertEquals(probes, path.probes.size(), "no probe, no new search");
        assertEquals(DplpmtudPhase.SEARCH_COMPLETE, prober.phase());
    }

    @Test
    void requestProbeConfirmsTheCurrentPlpmtuAtOnceWhenIdle() {
        prober.start();
        path.run(Duration.ofSeconds(1));
        int before = path.probes.size();
        assertTrue(pmtu.requestProbe(), "a prober runs and takes the request");
        path.run(Duration.ofMillis(100));
        assertEquals(before + 1, path.probes.size());
        assertEquals(1500, path.probes.get(path.probes.size() - 1));
        prober.stop();
        assertEquals(false, pmtu.requestProbe(), "no prober after stop");
    }

    /**
     * The TCP-MSS method (or an ICMP) lowers the PLPMTU while a larger probe is on its way, and
     * the probe's answer is handled before the prober hears of the lowering: the older evidence
     * must not undo the newer report (it did, by a race that TcpMssLabTest caught).
     */
    @Test
    void aProbeSentBeforeALoweringDoesNotUndoIt() {
        prober.start();
        // BASE (1200) is answered at 20 ms, the probe of the maximum (1500) leaves then and its
        // answer falls due at 40 ms: stop just before, and lower at 40 ms, after the answer was queued.
        path.run(Duration.ofMillis(39));
        assertEquals(java.util.List.of(1200, 1500), path.probes);
        clock.advance(Duration.ofMillis(1));
        pmtu.reportTooBig(PmtuSource.TCP_MSS, 1340);
        path.run(Duration.ofSeconds(1));
        assertEquals(1340, pmtu.plpmtu(), "the newer report stands: " + pmtu.history());
        assertEquals(DplpmtudPhase.SEARCH_COMPLETE, prober.phase());
        assertTrue(path.probes.subList(2, path.probes.size()).stream().allMatch(size -> size <= 1341),
                "the search after the report never goes above it: " + path.probes);
        assertTrue(pmtu.history().stream().noneMatch(h -> h.source() == PmtuSource.DPLPMTUD
                && h.value() == 1500 && h.applied()), "the late answer raised nothing: " + pmtu.history());
    }

    @Test
    void anIcmpValueIsProbedFirstAndTheRaiseTimerSearchesUpAgain() {
        prober.start();
        path.run(Duration.ofSeconds(1));
        path.pathMtu = 1280;
        pmtu.reportTooBig(PmtuSource.CLASSIC_ICMP, 1280); // a validated Fragmentation Needed
        path.run(Duration.ofSeconds(1));
        assertEquals(1280, path.probes.get(path.probes.size() - 1), "the ICMP value is confirmed first");
        assertEquals(DplpmtudPhase.SEARCH_COMPLETE, prober.phase());
        assertEquals(1280, pmtu.plpmtu());

        path.pathMtu = 1500;
        path.run(RAISE.minusSeconds(2));
        assertEquals(1280, pmtu.plpmtu(), "not before PMTU_RAISE_TIMER");
        path.run(Duration.ofSeconds(3));
        assertEquals(1500, pmtu.plpmtu(), "raised by a probe of the maximum");
        assertEquals(1500, pmtu.last(PmtuSource.DPLPMTUD).value());
    }

    @Test
    void aBlackHoleOnAnIdleTunnelIsFoundByTheConfirmationProbe() {
        prober.start();
        path.run(Duration.ofSeconds(1));
        path.pathMtu = 1400; // the path narrows; no ICMP comes back
        Duration detect = SETTINGS.confirmationTimer().plus(SETTINGS.probeTimer().multipliedBy(3)).plusSeconds(1);
        path.run(detect);
        assertEquals(1, pmtu.blackHoles().size());
        BlackHoleEvent e = pmtu.blackHoles().get(0);
        assertEquals("g1 0x00001000", e.sa());
        assertEquals(1438, e.vanishedSize(), "the inner size of a 1500-octet ESP packet");
        assertEquals(1500, e.previousPlpmtu());
        assertEquals(1200, e.newPlpmtu(), "fell to BASE_PLPMTU at once");
        assertEquals(3, path.count(1500) - 1, "three confirmation probes lost after the first acknowledged one");

        path.run(Duration.ofMinutes(2));
        assertEquals(DplpmtudPhase.SEARCH_COMPLETE, prober.phase());
        assertTrue(pmtu.plpmtu() >= 1392 && pmtu.plpmtu() <= 1400, "searched up again: " + pmtu.plpmtu());
        assertEquals(1, prober.status().blackHoles());
    }

    @Test
    void evenTheBaseLostGivesErrorAndTheFloorThenRetriesAfterTheRaiseTimer() {
        path.pathMtu = 1000;
        prober.start();
        path.run(Duration.ofSeconds(10));
        assertEquals(DplpmtudPhase.ERROR, prober.phase());
        assertEquals(576, pmtu.plpmtu(), "MIN_PLPMTU: the IPv4 floor");
        path.pathMtu = 1500;
        path.run(RAISE.plusSeconds(1));
        assertEquals(1500, pmtu.plpmtu(), "BASE retried after the raise timer, then the search");
    }

    @Test
    void unansweredProbesAreNeverCountedAsLosses() {
        path.peerSilent = true;
        prober.start();
        path.run(Duration.ofMinutes(10));
        assertEquals(0, prober.status().probesLost());
        assertEquals(DplpmtudPhase.BASE, prober.phase(), "still trying BASE: a dead peer says nothing about sizes");
        assertEquals(1500, pmtu.plpmtu());
        assertTrue(pmtu.blackHoles().isEmpty());
        assertTrue(path.probes.size() >= 2 && path.probes.stream().allMatch(p -> p == 1200), path.probes.toString());
    }

    @Test
    void blockCipherGranularityStillEndsTheSearch() {
        path.granularity = 16;
        path.pathMtu = 1400;
        prober.start();
        path.run(Duration.ofMinutes(5));
        assertEquals(DplpmtudPhase.SEARCH_COMPLETE, prober.phase());
        assertTrue(pmtu.plpmtu() <= 1400 && pmtu.plpmtu() > 1400 - 16, "within one block: " + pmtu.plpmtu());
    }

    @Test
    void aFallToTheBaseByTheTcpDetectorIsCheckedThenSearchedBelowTheSizeThatVanished() {
        prober.start();
        path.run(Duration.ofSeconds(1));
        path.pathMtu = 1400;
        int before = path.probes.size();
        assertTrue(pmtu.blackHole(1438) != null); // what the inner TCP retransmission detector does
        path.run(RAISE.minusSeconds(5));
        java.util.List<Integer> after = path.probes.subList(before, path.probes.size());
        assertEquals(java.util.List.of(1200, 1500, 1500, 1500), after.subList(0, 4),
                "the base, then the size that vanished, MAX_PROBES times: " + after);
        assertEquals(3, after.stream().filter(p -> p >= 1500).count(), "then never again: " + after);
        assertTrue(pmtu.plpmtu() >= 1392 && pmtu.plpmtu() <= 1400, "PLPMTU " + pmtu.plpmtu());
    }

    @Test
    void aFalseAlarmOfTheTcpDetectorIsUndoneByOneProbe() {
        prober.start();
        path.run(Duration.ofSeconds(1));
        assertTrue(pmtu.blackHole(1438) != null); // packets lost to congestion look the same to it
        assertEquals(1200, pmtu.plpmtu());
        path.run(Duration.ofSeconds(1));
        assertEquals(1500, pmtu.plpmtu(), "the size that vanished passes: back at once");
        assertEquals(DplpmtudPhase.SEARCH_COMPLETE, prober.phase());
    }

    @Test
    void aSearchThatEndsJustBelowAnUntriedMaximumTriesTheMaximum() {
        prober.start();
        path.run(Duration.ofSeconds(1));
        path.pathMtu = 1280;
        pmtu.reportTooBig(PmtuSource.CLASSIC_ICMP, 1280);
        path.run(Duration.ofSeconds(1));
        path.pathMtu = 1500;
        assertTrue(pmtu.blackHole(1218) != null); // a false alarm while the path is wide again
        path.run(Duration.ofSeconds(5));
        assertEquals(1500, pmtu.plpmtu(), "the bisection ends at the maximum, not a few octets below: "
                + path.probes);
        assertEquals(DplpmtudPhase.SEARCH_COMPLETE, prober.phase());
    }

    @Test
    void stopEndsProbingAndHandsTheRaiseBack() {
        prober.start();
        path.run(Duration.ofSeconds(1));
        int sent = path.probes.size();
        prober.stop();
        path.run(Duration.ofHours(1));
        assertEquals(sent, path.probes.size());
        assertEquals(DplpmtudPhase.DISABLED, prober.phase());
    }
}
