package io.pathsec.engine.control;

import io.pathsec.engine.control.api.Counters;
import io.pathsec.engine.control.api.Rates;
import io.pathsec.engine.control.api.TunnelCounters;

import java.util.HashMap;
import java.util.Map;

/**
 * Once a second (driven by the daemon's timer), samples every connected tunnel's counters and
 * publishes them with the rates since the previous sample.
 */
final class CounterSampler implements Runnable {
    private record Sample(long atNanos, Counters counters) {
    }

    private final TunnelRegistry tunnels;
    private final EventHub events;
    private final Map<String, Sample> previous = new HashMap<>();

    CounterSampler(TunnelRegistry tunnels, EventHub events) {
        this.tunnels = tunnels;
        this.events = events;
    }

    @Override
    public void run() {
        Map<String, RunningTunnel> up = tunnels.running();
        previous.keySet().retainAll(up.keySet());
        for (Map.Entry<String, RunningTunnel> e : up.entrySet()) {
            tunnels.watchPmtu(e.getKey(), e.getValue());
            Counters now = e.getValue().counters();
            long t = System.nanoTime();
            Sample before = previous.put(e.getKey(), new Sample(t, now));
            Rates rates = before == null ? Rates.ZERO : rates(before, t, now);
            events.publish(new TunnelCounters(e.getKey(), System.currentTimeMillis(), e.getValue().device(), now, rates));
        }
    }

    private static Rates rates(Sample before, long nowNanos, Counters now) {
        double seconds = Math.max(1e-3, (nowNanos - before.atNanos()) / 1e9);
        Counters b = before.counters();
        return new Rates((now.sentPackets() - b.sentPackets()) / seconds,
                (now.sentBytes() - b.sentBytes()) * 8 / seconds,
                (now.receivedPackets() - b.receivedPackets()) / seconds,
                (now.receivedBytes() - b.receivedBytes()) * 8 / seconds);
    }
}
