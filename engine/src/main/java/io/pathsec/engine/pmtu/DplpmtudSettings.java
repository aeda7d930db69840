package io.pathsec.engine.pmtu;

import java.time.Duration;
import java.util.Properties;

/**
 * The DPLPMTUD constants of RFC 8899 §5.1.1–5.1.2 for one tunnel. The raise timer
 * (PMTU_RAISE_TIMER) and the sizes (BASE_PLPMTU, MAX_PLPMTU, MIN_PLPMTU as the floor) are those of
 * {@link PmtuSettings}, shared with the other sources; whether the prober runs at all is
 * {@link PmtuSettings#enabled}({@link PmtuSource#DPLPMTUD}).
 *
 * @param probeTimer        PROBE_TIMER: a probe not acknowledged within this long is lost (§5.1.1:
 *                          never below 1 s; 15 s by default, as the RFC recommends)
 * @param maxProbes         MAX_PROBES: lost probes of one size before that size counts as failed
 *                          (§5.1.2, default 3)
 * @param confirmationTimer CONFIRMATION_TIMER: how often SEARCH_COMPLETE re-probes the current
 *                          PLPMTU, which is how a black hole that opened later is found (§5.1.1, 600 s)
 * @param resolution        the search ends when the largest size acknowledged and the smallest
 *                          failed are this close (issue 4: within 8 octets)
 */
public record DplpmtudSettings(Duration probeTimer, int maxProbes, Duration confirmationTimer,
                               int resolution) {

    /** System properties read by {@link #fromProperties}, e.g. {@code -Dpathsec.dplpmtud.probeTimer=PT1S}. */
    public static final String PREFIX = "pathsec.dplpmtud.";
    /** RFC 8899 §5.1.1: "This value MUST NOT be smaller than 1 second". */
    static final Duration MIN_PROBE_TIMER = Duration.ofSeconds(1);

    public DplpmtudSettings {
        if (probeTimer.compareTo(MIN_PROBE_TIMER) < 0) {
            throw new IllegalArgumentException("PROBE_TIMER must be at least 1 s (RFC 8899 §5.1.1), not " + probeTimer);
        }
        if (maxProbes < 1 || resolution < 1 || confirmationTimer.isNegative() || confirmationTimer.isZero()) {
            throw new IllegalArgumentException("MAX_PROBES, the resolution and CONFIRMATION_TIMER must be positive");
        }
    }

    /** RFC 8899's defaults: PROBE_TIMER 15 s, MAX_PROBES 3, CONFIRMATION_TIMER 600 s; 8-octet resolution. */
    public static DplpmtudSettings defaults() {
        return new DplpmtudSettings(Duration.ofSeconds(15), 3, Duration.ofSeconds(600), 8);
    }

    /** The defaults, overridden by {@code pathsec.dplpmtud.<component>} properties (durations ISO-8601). */
    public static DplpmtudSettings fromProperties(Properties p) {
        DplpmtudSettings d = defaults();
        return new DplpmtudSettings(duration(p, "probeTimer", d.probeTimer), integer(p, "maxProbes", d.maxProbes),
                duration(p, "confirmationTimer", d.confirmationTimer), integer(p, "resolution", d.resolution));
    }

    public DplpmtudSettings withTimers(Duration probe, Duration confirmation) {
        return new DplpmtudSettings(probe, maxProbes, confirmation, resolution);
    }

    private static int integer(Properties p, String name, int fallback) {
        return SettingsProperties.integer(p, PREFIX + name, fallback);
    }

    private static Duration duration(Properties p, String name, Duration fallback) {
        return SettingsProperties.duration(p, PREFIX + name, fallback);
    }
}
