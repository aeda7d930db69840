package io.pathsec.engine.control.api;

/**
 * An outbound SA's path MTU changed ({@code pmtu.sample}).
 *
 * @param spi           the outbound SA's SPI ({@code 0x}, eight hex digits, as in {@link SaInfo})
 * @param sa            the SA's name and SPI as the engine logs it
 * @param source        what changed it: CLASSIC_ICMP, BLACK_HOLE, CONFIGURED, DPLPMTUD or TCP_MSS
 * @param plpmtu        the new PLPMTU: the largest outer packet the path is believed to carry
 * @param effectiveMtu  the new effective inner MTU (what fits through the SA)
 * @param previousEffectiveMtu the effective inner MTU before the change
 */
public record PmtuSampled(String profile, long at, String spi, String sa, String source, int plpmtu,
                          int effectiveMtu, int previousEffectiveMtu) implements ControlEvent {
    @Override
    public EventType type() {
        return EventType.PMTU_SAMPLE;
    }
}
