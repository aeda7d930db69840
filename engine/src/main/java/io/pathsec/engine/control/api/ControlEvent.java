package io.pathsec.engine.control.api;

/**
 * Something the daemon tells subscribers without being asked. A closed family so that a client
 * handles every kind it knows; each kind names its {@link EventType}, which carries its name on
 * the wire. PMTU samples, probe results, black holes and ICMP decisions join as new records
 * here and constants in {@link EventType}; the envelope does not change.
 */
public sealed interface ControlEvent
        permits TunnelStateChanged, TunnelCounters, LogLine, EventsDropped, TunnelProgress, SaChanged,
        PmtuSampled, PmtuBlackHole, IcmpDecision, GatewayClientChanged {

    EventType type();

    /** The profile the event is about, or null for the daemon as a whole. */
    String profile();

    /** When it happened, milliseconds since the epoch. */
    long at();
}
