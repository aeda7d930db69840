package io.pathsec.engine.control.api;

/**
 * A PMTU black hole was detected on an outbound SA ({@code pmtu.blackhole}): inner packets of
 * {@code vanishedSize} bytes were retransmitted with no ICMP, so the PLPMTU fell to the base
 * (RFC 8899 §4.3). A {@link PmtuSampled} with source BLACK_HOLE follows.
 *
 * @param message one line for people, e.g. "packets of 1438 bytes vanish between 192.0.2.1 and
 *                192.0.2.2; no ICMP received; now using PLPMTU 1280 (inner MTU 1218)"
 */
public record PmtuBlackHole(String profile, long at, String spi, String sa, int vanishedSize, int previousPlpmtu,
                            int newPlpmtu, int effectiveMtu, String message) implements ControlEvent {
    @Override
    public EventType type() {
        return EventType.PMTU_BLACKHOLE;
    }
}
