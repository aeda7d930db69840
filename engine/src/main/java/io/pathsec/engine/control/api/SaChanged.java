package io.pathsec.engine.control.api;

/**
 * A security association changed. SPIs as in {@link SaInfo} ({@code 0x}, eight hex digits).
 *
 * @param inboundSpi  the CHILD_SA's inbound SPI; null for {@link SaChange#IKE_REKEYED}
 * @param outboundSpi its outbound SPI; null when not known (static keys, IKE rekeys)
 * @param transform   the ESP transform (or the IKE suite for {@link SaChange#IKE_REKEYED})
 * @param replacedSpi for {@link SaChange#REKEYED}, the outbound SPI no longer used; else null
 */
public record SaChanged(String profile, long at, SaChange change, String inboundSpi, String outboundSpi,
                        String transform, String replacedSpi) implements ControlEvent {
    @Override
    public EventType type() {
        return EventType.SA_CHANGED;
    }
}
