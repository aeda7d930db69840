package io.pathsec.engine.control.api;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The wire name of each {@link ControlEvent} record, and the record that carries it. */
public enum EventType {
    TUNNEL_STATE("tunnel.state", TunnelStateChanged.class),
    /** A step of a connect as it happens (IKE_SA_INIT, IKE_AUTH, …), for progress lines. */
    TUNNEL_PROGRESS("tunnel.progress", TunnelProgress.class),
    /** A CHILD_SA came up, was rekeyed or went down; the IKE SA was rekeyed. */
    SA_CHANGED("sa.changed", SaChanged.class),
    /** An outbound SA's path MTU changed (ICMP, black hole, probe, raise timer). */
    PMTU_SAMPLE("pmtu.sample", PmtuSampled.class),
    /** Packets vanished above a size with no ICMP: the SA fell to the base PLPMTU. */
    PMTU_BLACKHOLE("pmtu.blackhole", PmtuBlackHole.class),
    /** Sent each second per connected tunnel. */
    TUNNEL_COUNTERS("tunnel.counters", TunnelCounters.class),
    /** The daemon's log at INFO and above. */
    LOG("log", LogLine.class),
    /** Sent to a subscriber that read too slowly, once it catches up. */
    EVENTS_DROPPED("events.dropped", EventsDropped.class),
    /** A gateway forwarded, relayed, queued, delivered or dropped an ICMP error (docs/icmp.md). */
    ICMP_DECISION("icmp.decision", IcmpDecision.class),
    /** A road warrior connected to a gateway profile, or left it. */
    GATEWAY_CLIENT("gateway.client", GatewayClientChanged.class);

    private final String wireName;
    private final Class<? extends ControlEvent> recordClass;

    EventType(String wireName, Class<? extends ControlEvent> recordClass) {
        this.wireName = wireName;
        this.recordClass = recordClass;
    }

    public String wireName() {
        return wireName;
    }

    public Class<? extends ControlEvent> recordClass() {
        return recordClass;
    }

    public static Optional<EventType> byWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(EventType::wireName).toList();
    }
}
