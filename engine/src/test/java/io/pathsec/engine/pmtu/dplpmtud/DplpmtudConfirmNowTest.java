package io.pathsec.engine.pmtu.dplpmtud;

import io.pathsec.engine.pmtu.DplpmtudSettings;
import io.pathsec.engine.pmtu.PmtuSettings;
import io.pathsec.engine.pmtu.PmtuState;
import io.pathsec.engine.pmtu.PmtuStateTest;
import io.pathsec.engine.testsupport.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A dropped Frag Needed / Packet Too Big (the discard option's hint, draft §4) makes the prober
 * confirm the PLPMTU in use at once rather than at the confirmation timer; a path that shrank is
 * then found by the search, long before the timer would have looked.
 */
class DplpmtudConfirmNowTest {
    private static final DplpmtudSettings SETTINGS = DplpmtudSettings.defaults()
            .withTimers(Duration.ofSeconds(2), Duration.ofSeconds(600));

    private final ManualClock clock = new ManualClock();
    private final SimulatedPath path = new SimulatedPath(clock);
    private final PmtuState pmtu = new PmtuState("g2 0x00002000", PmtuSettings.defaults(), false,
            PmtuStateTest.aesGcm256(false, true), clock);
    private final Dplpmtud prober = new Dplpmtud(pmtu, SETTINGS, path);

    @Test
    void aHintProbesTheCurrentPlpmtuAtOnceAndAShrunkPathIsSearched() {
        prober.start();
        path.run(Duration.ofSeconds(1));
        assertEquals(DplpmtudPhase.SEARCH_COMPLETE, prober.phase());
        assertEquals(1500, pmtu.plpmtu());
        int before = path.probes.size();
        path.pathMtu = 1400;

        assertTrue(prober.confirmNow(), "a probe was sent for the hint");
        assertEquals(List.of(1500), path.probes.subList(before, before + 1), "the PLPMTU in use, at once");
        assertFalse(prober.confirmNow(), "one probe at a time");
        path.run(Duration.ofSeconds(60)); // far below the 600 s confirmation timer
        assertTrue(pmtu.plpmtu() <= 1400 && pmtu.plpmtu() >= 1392, "found the smaller path: " + pmtu.plpmtu());
    }

    @Test
    void aHintBeforeTheSearchEndedAddsNothing() {
        assertFalse(prober.confirmNow(), "not started");
        prober.start();
        assertFalse(prober.confirmNow(), "BASE: a probe is already under way");
    }
}
