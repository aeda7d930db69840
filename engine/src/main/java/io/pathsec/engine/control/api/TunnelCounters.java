package io.pathsec.engine.control.api;

/** A connected tunnel's counters and the rates since the previous sample (one second). */
public record TunnelCounters(String profile, long at, String device, Counters counters, Rates rates)
        implements ControlEvent {
    @Override
    public EventType type() {
        return EventType.TUNNEL_COUNTERS;
    }
}
