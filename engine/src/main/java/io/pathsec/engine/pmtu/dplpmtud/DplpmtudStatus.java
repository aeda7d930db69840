package io.pathsec.engine.pmtu.dplpmtud;

/**
 * What the prober of one SA shows: its phase, the search bounds, and its probe counters.
 *
 * @param acknowledged the largest size acknowledged in the current search (0 before the first)
 * @param failed       the smallest size that failed MAX_PROBES times (0 while none has)
 * @param probing      the size of the probe in flight, 0 when none
 * @param blackHoleChecks checks of a black hole the inner TCP detector suspected (§4.3), whatever they found
 */
public record DplpmtudStatus(DplpmtudPhase phase, int acknowledged, int failed, int probing, long probesSent,
                             long probesAcknowledged, long probesLost, long blackHoles, long blackHoleChecks) {
}
