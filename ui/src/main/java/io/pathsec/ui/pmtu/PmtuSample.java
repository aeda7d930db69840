package io.pathsec.ui.pmtu;

/**
 * One path-MTU observation for the chart.
 *
 * @param sa the outbound SA's SPI
 * @param mtu the PLPMTU in bytes: the largest outer packet the path is believed to carry
 * @param effectiveMtu what fits through the SA inside (PLPMTU minus the ESP overhead)
 * @param source what produced it, as the daemon names it (CLASSIC_ICMP, DPLPMTUD, TCP_MSS, BLACK_HOLE…)
 * @param blackHole true for a black-hole detection, which also raises the banner
 * @param message the daemon's sentence for a black hole, else null
 */
public record PmtuSample(String profile, long at, String sa, int mtu, int effectiveMtu, String source,
                         boolean blackHole, String message) {
}
