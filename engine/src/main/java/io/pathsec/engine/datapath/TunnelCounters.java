package io.pathsec.engine.datapath;

import io.pathsec.engine.policy.DropReason;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Tunnel-wide counters (per-SA counters live on the SA); cheap to update from any thread. */
public final class TunnelCounters {
    private final LongAdder sentPackets = new LongAdder();
    private final LongAdder sentBytes = new LongAdder();
    private final LongAdder receivedPackets = new LongAdder();
    private final LongAdder receivedBytes = new LongAdder();
    private final Map<DropReason, LongAdder> outboundDrops = new EnumMap<>(DropReason.class);
    private final Map<DropReason, LongAdder> inboundDrops = new EnumMap<>(DropReason.class);

    public TunnelCounters() {
        for (DropReason r : DropReason.values()) {
            outboundDrops.put(r, new LongAdder());
            inboundDrops.put(r, new LongAdder());
        }
    }

    void sent(int bytes) {
        sentPackets.increment();
        sentBytes.add(bytes);
    }

    void received(int bytes) {
        receivedPackets.increment();
        receivedBytes.add(bytes);
    }

    void dropOutbound(DropReason reason) {
        outboundDrops.get(reason).increment();
    }

    void dropInbound(DropReason reason) {
        inboundDrops.get(reason).increment();
    }

    /** A consistent-enough copy for display and the control API. */
    public TunnelStats snapshot() {
        Map<DropReason, Long> out = new EnumMap<>(DropReason.class);
        Map<DropReason, Long> in = new EnumMap<>(DropReason.class);
        outboundDrops.forEach((r, a) -> { if (a.sum() > 0) out.put(r, a.sum()); });
        inboundDrops.forEach((r, a) -> { if (a.sum() > 0) in.put(r, a.sum()); });
        return new TunnelStats(sentPackets.sum(), sentBytes.sum(), receivedPackets.sum(),
                receivedBytes.sum(), out, in);
    }
}
