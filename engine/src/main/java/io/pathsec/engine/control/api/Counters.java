package io.pathsec.engine.control.api;

import java.util.Map;

/**
 * A tunnel's traffic counters: "sent" are ESP packets towards the peer, "received" inner packets
 * delivered after every check; drops are counted per reason (names of the engine's DropReason).
 */
public record Counters(long sentPackets, long sentBytes, long receivedPackets, long receivedBytes,
                       Map<String, Long> outboundDrops, Map<String, Long> inboundDrops) {
    public static final Counters ZERO = new Counters(0, 0, 0, 0, Map.of(), Map.of());

    public Counters {
        outboundDrops = Map.copyOf(outboundDrops);
        inboundDrops = Map.copyOf(inboundDrops);
    }
}
