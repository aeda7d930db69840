package io.pathsec.engine.control;

import io.pathsec.engine.control.api.Counters;
import io.pathsec.engine.control.api.SaInfo;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tunnels without a kernel: counters that grow on every read, one SA per configured SA. Tests of
 * the API run as any user and fast; the real tunnel has its own namespace test.
 */
final class FakeTunnelStarter implements TunnelStarter {
    final Map<String, TunnelProfile> started = new ConcurrentHashMap<>();
    volatile String failWith;
    /** When set, start waits for it (at most 30 s): a tunnel that is slow to come up. */
    volatile java.util.concurrent.CountDownLatch hold;
    /** The PMTU states a profile's tunnel reports, by profile name; none unless a test puts some. */
    final Map<String, List<io.pathsec.engine.pmtu.PmtuState>> pmtu = new ConcurrentHashMap<>();

    @Override
    public RunningTunnel start(TunnelProfile profile) throws IOException {
        java.util.concurrent.CountDownLatch h = hold;
        if (h != null) {
            try {
                h.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
        if (failWith != null) {
            throw new IOException(failWith);
        }
        started.put(profile.name(), profile);
        StaticKeyProfile p = (StaticKeyProfile) profile;
        AtomicLong reads = new AtomicLong();
        return new RunningTunnel() {
            @Override
            public String device() {
                return p.config().tun().name();
            }

            @Override
            public Counters counters() {
                long n = reads.incrementAndGet();
                return new Counters(n * 10, n * 14000, n * 9, n * 12000, Map.of(), Map.of("REPLAY", 1L));
            }

            @Override
            public List<SaInfo> securityAssociations() {
                return p.config().sas().stream().map(sa -> new SaInfo(String.format("0x%08x", sa.spi()),
                        sa.direction().name().toLowerCase(), sa.transform(), "tunnel", "192.0.2.1:4500",
                        "192.0.2.2:4500", true, sa.esn(), sa.replayWindow(), 0, 0, Map.of(), "2026-01-01T00:00:00Z"))
                        .toList();
            }

            @Override
            public List<io.pathsec.engine.pmtu.PmtuState> pmtuStates() {
                return pmtu.getOrDefault(profile.name(), List.of());
            }

            @Override
            public void close() {
                started.remove(profile.name());
            }
        };
    }
}
