package io.pathsec.ui.testsupport;

import io.pathsec.engine.control.RunningTunnel;
import io.pathsec.engine.control.StaticKeyProfile;
import io.pathsec.engine.control.TunnelProfile;
import io.pathsec.engine.control.TunnelStarter;
import io.pathsec.engine.control.api.Counters;
import io.pathsec.engine.control.api.SaInfo;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tunnels without a kernel for the GUI tests and the screenshot daemon: traffic that rises and
 * falls with each counter read (so the chart has a shape), one SA per configured SA, and a
 * switch to make the next connect fail with a given reason.
 */
public final class InMemoryTunnels implements TunnelStarter {
    public final Set<String> up = ConcurrentHashMap.newKeySet();
    public volatile String failWith;

    @Override
    public RunningTunnel start(TunnelProfile profile) throws IOException {
        String reason = failWith;
        if (reason != null) {
            throw new IOException(reason);
        }
        StaticKeyProfile p = (StaticKeyProfile) profile;
        up.add(p.name());
        AtomicLong reads = new AtomicLong();
        AtomicLong sentPackets = new AtomicLong();
        AtomicLong receivedPackets = new AtomicLong();
        return new RunningTunnel() {
            @Override
            public String device() {
                return p.config().tun().name();
            }

            @Override
            public Counters counters() {
                long n = reads.incrementAndGet();
                // A transfer that ramps up and eases off: about 2-9 Mbit/s up, 5-25 down.
                long outThisSecond = 200 + (long) (600 * (1 + Math.sin(n / 4.0)) / 2);
                long inThisSecond = 500 + (long) (1600 * (1 + Math.cos(n / 5.0)) / 2);
                long sent = sentPackets.addAndGet(outThisSecond);
                long received = receivedPackets.addAndGet(inThisSecond);
                return new Counters(sent, sent * 1350, received, received * 1380, Map.of(),
                        Map.of("REPLAY", n / 10));
            }

            @Override
            public List<SaInfo> securityAssociations() {
                long sent = sentPackets.get();
                long received = receivedPackets.get();
                return p.config().sas().stream().map(sa -> {
                    boolean out = sa.direction().name().startsWith("OUT");
                    return new SaInfo(String.format("0x%08x", sa.spi()), sa.direction().name().toLowerCase(),
                            sa.transform(), p.config().mode().name().toLowerCase(),
                            p.config().listen().getAddress().getHostAddress() + ":" + p.config().listen().getPort(),
                            p.config().peer().getAddress().getHostAddress() + ":" + p.config().peer().getPort(), true,
                            sa.esn(), sa.replayWindow(), out ? sent : received, out ? sent * 1350 : received * 1380,
                            out ? Map.of() : Map.of("REPLAY", reads.get() / 10), "2026-11-24T06:00:00Z");
                }).toList();
            }

            @Override
            public void close() {
                up.remove(p.name());
            }
        };
    }
}
