package io.pathsec.engine.control.api;

/**
 * This subscriber read too slowly and {@code count} events were dropped for it (others were not
 * affected). Counters and state catch up with the next events; a client that must know the
 * current state asks {@code status}.
 */
public record EventsDropped(String profile, long at, long count) implements ControlEvent {
    @Override
    public EventType type() {
        return EventType.EVENTS_DROPPED;
    }
}
