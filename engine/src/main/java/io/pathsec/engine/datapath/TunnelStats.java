package io.pathsec.engine.datapath;

import io.pathsec.engine.policy.DropReason;

import java.util.Map;

/**
 * A snapshot of a tunnel's counters. "Sent" counts ESP packets that left towards the peer,
 * "received" inner packets written to the TUN after every check passed.
 */
public record TunnelStats(long sentPackets, long sentBytes, long receivedPackets, long receivedBytes,
                          Map<DropReason, Long> outboundDrops, Map<DropReason, Long> inboundDrops) {

    public long inboundDrops(DropReason reason) {
        return inboundDrops.getOrDefault(reason, 0L);
    }

    public long outboundDrops(DropReason reason) {
        return outboundDrops.getOrDefault(reason, 0L);
    }
}
