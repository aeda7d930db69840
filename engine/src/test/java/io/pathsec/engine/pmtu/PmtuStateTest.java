package io.pathsec.engine.pmtu;

import io.pathsec.engine.testsupport.ManualClock;
import io.pathsec.engine.esp.EspCodec;
import io.pathsec.engine.esp.EspTransform;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PMTU state transitions on a manual clock: lowering, floor, black hole, raise timer, override. */
public class PmtuStateTest {
    private final ManualClock clock = new ManualClock();

    public static EffectiveMtu aesGcm256(boolean outerIpv6, boolean tunnel) {
        EspCodec codec = EspCodec.outbound(EspTransform.AES_GCM_16_256,
                new byte[EspTransform.AES_GCM_16_256.keyMaterialLength()], 0x1000, 0);
        return new EffectiveMtu(outerIpv6, true, tunnel, codec::overhead);
    }

    private PmtuState state(PmtuSettings settings) {
        return new PmtuState("g1 0x00001000", settings, false, aesGcm256(false, true), clock);
    }

    @Test
    void effectiveMtuSubtractsOuterIpUdpAndEsp() {
        EffectiveMtu v4 = aesGcm256(false, true);
        // 20 IP + 8 UDP + 8 SPI/seq + 8 IV + 16 ICV + 2 trailer, payload + 2 padded to 4 (BUILD-NOTES: 1338 on 1400).
        assertEquals(1338, v4.innerMtu(1400));
        assertEquals(1438, v4.innerMtu(1500));
        assertEquals(1400, v4.outerLength(1338));
        assertTrue(v4.outerLength(1339) > 1400);
        assertEquals(1318, aesGcm256(true, true).innerMtu(1400), "IPv6 outer header is 20 octets longer");
        assertEquals(1358, aesGcm256(false, false).innerMtu(1400), "transport mode keeps the inner header");
    }

    @Test
    void startsAtTheMaximumAndLowersOnValidReports() {
        PmtuState s = state(PmtuSettings.defaults());
        assertEquals(1500, s.plpmtu());
        assertEquals(1438, s.effectiveMtu());
        List<Integer> seen = new ArrayList<>();
        s.addListener((st, before, after) -> seen.add(after));

        assertTrue(s.reportTooBig(PmtuSource.CLASSIC_ICMP, 1400));
        assertEquals(1400, s.plpmtu());
        assertEquals(1338, s.effectiveMtu());
        assertEquals(List.of(1338), seen, "listeners hear the new effective MTU");
        assertEquals(new PmtuState.Observation(1400, clock.instant()), s.last(PmtuSource.CLASSIC_ICMP));

        clock.advance(Duration.ofSeconds(1));
        assertFalse(s.reportTooBig(PmtuSource.CLASSIC_ICMP, 1450), "a report never raises");
        assertEquals(1400, s.plpmtu());
        PmtuSample last = s.history().get(s.history().size() - 1);
        assertEquals(1450, last.value());
        assertFalse(last.applied(), "recorded, not applied");
        clock.advance(Duration.ofSeconds(1));
        assertTrue(s.icmpSeenWithin(Duration.ofSeconds(1)), "any valid ICMP counts as ICMP arriving");
        assertFalse(s.icmpSeenWithin(Duration.ofMillis(500)));
    }

    @Test
    void neverGoesBelowTheFloor() {
        PmtuState s = state(PmtuSettings.defaults());
        assertTrue(s.reportTooBig(PmtuSource.TCP_MSS, 300));
        assertEquals(576, s.plpmtu(), "IPv4 floor");
        PmtuState v6 = new PmtuState("v6", PmtuSettings.defaults(), true, aesGcm256(true, true), clock);
        v6.reportTooBig(PmtuSource.CLASSIC_ICMP, 1000);
        assertEquals(1280, v6.plpmtu(), "IPv6 floor (RFC 8200 §5)");
    }

    @Test
    void blackHoleDropsToTheBaseAndNamesTheSa() {
        PmtuState s = state(PmtuSettings.defaults());
        BlackHoleEvent e = s.blackHole(1438);
        assertNotNull(e);
        assertEquals("g1 0x00001000", e.sa());
        assertEquals(1438, e.vanishedSize());
        assertEquals(1500, e.previousPlpmtu());
        assertEquals(1200, e.newPlpmtu());
        assertEquals(clock.instant(), e.at());
        assertEquals(1200, s.plpmtu());
        assertEquals(List.of(e), s.blackHoles());
        assertEquals(1500, s.last(PmtuSource.BLACK_HOLE).value(), "the outer size that vanished");
        assertNull(s.blackHole(1138), "already at the base: nothing to fall to");
    }

    @Test
    void raiseTimerRaisesOptimisticallyAfterItRunsOut() {
        PmtuState s = state(PmtuSettings.defaults().withRaiseTimer(Duration.ofSeconds(600)));
        s.reportTooBig(PmtuSource.CLASSIC_ICMP, 1280);
        clock.advance(Duration.ofSeconds(599));
        assertFalse(s.tick());
        assertEquals(1280, s.plpmtu());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(s.raiseDue());
        assertTrue(s.tick(), "RFC 8899 §5.1.1 PMTU_RAISE_TIMER");
        assertEquals(1500, s.plpmtu());
        assertEquals(PmtuSource.CONFIGURED, s.history().get(s.history().size() - 1).source());
        assertFalse(s.tick(), "nothing more to raise");
    }

    @Test
    void aProberTakesTheRaiseOverAndConfirmsSizes() {
        PmtuState s = state(PmtuSettings.defaults());
        s.optimisticRaise(false);
        s.blackHole(1438);
        clock.advance(Duration.ofSeconds(600));
        assertTrue(s.raiseDue());
        assertFalse(s.tick(), "no optimistic raise while a prober searches");
        assertTrue(s.confirm(PmtuSource.DPLPMTUD, 1400));
        assertEquals(1400, s.plpmtu());
        assertFalse(s.confirm(PmtuSource.DPLPMTUD, 9000) && s.plpmtu() > 1500, "capped at the maximum");
        assertEquals(1500, s.plpmtu());
    }

    @Test
    void fixedOverridePinsThePlpmtuButStillRecords() {
        PmtuState s = state(PmtuSettings.defaults().withFixedMtu(1380));
        assertEquals(1380, s.plpmtu());
        assertFalse(s.reportTooBig(PmtuSource.CLASSIC_ICMP, 1300));
        assertNull(s.blackHole(1318));
        assertFalse(s.confirm(PmtuSource.DPLPMTUD, 1500));
        assertEquals(1380, s.plpmtu());
        assertEquals(1300, s.last(PmtuSource.CLASSIC_ICMP).value());
    }

    @Test
    void historyIsBounded() {
        PmtuSettings d = PmtuSettings.defaults();
        PmtuState s = state(new PmtuSettings(d.floorIpv4(), d.floorIpv6(), d.baseIpv4(), d.baseIpv6(), d.maximum(),
                0, d.raiseTimer(), 4, d.icmpSequenceWindow(), d.blackHoleRetransmissions(), d.blackHoleWindow()));
        for (int i = 0; i < 10; i++) {
            s.reportTooBig(PmtuSource.CLASSIC_ICMP, 1490 - i);
        }
        assertEquals(4, s.history().size());
        assertEquals(1481, s.history().get(3).value());
    }

    @Test
    void settingsComeFromProperties() {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("pathsec.pmtu.raiseTimer", "PT5S");
        p.setProperty("pathsec.pmtu.fixedMtu", "1400");
        PmtuSettings s = PmtuSettings.fromProperties(p);
        assertEquals(Duration.ofSeconds(5), s.raiseTimer());
        assertEquals(1400, s.fixedMtu());
        assertEquals(576, s.floorIpv4());
    }
}
