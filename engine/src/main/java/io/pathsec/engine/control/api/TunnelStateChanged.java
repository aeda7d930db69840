package io.pathsec.engine.control.api;

/**
 * A profile's tunnel changed state.
 *
 * @param device the TUN device once connected, else null
 * @param error why it failed, for {@link TunnelState#FAILED}
 */
public record TunnelStateChanged(String profile, long at, TunnelState state, TunnelState previous,
                                 String device, String error) implements ControlEvent {
    @Override
    public EventType type() {
        return EventType.TUNNEL_STATE;
    }
}
