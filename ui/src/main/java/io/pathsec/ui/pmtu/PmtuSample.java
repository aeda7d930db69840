package io.pathsec.ui.pmtu;

/**
 * One path-MTU observation for the chart.
 *
 * @param sa the SA it belongs to (its SPI), or "tunnel" when the event names none
 * @param mtu bytes
 * @param source what produced it: classic, dplpmtud, tcp-mss, black-hole… as the daemon says
 * @param blackHole true for a black-hole detection, drawn as a banner as well as a point
 */
public record PmtuSample(String profile, long at, String sa, int mtu, String source, boolean blackHole) {
}
