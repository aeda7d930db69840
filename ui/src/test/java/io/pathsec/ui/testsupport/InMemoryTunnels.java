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

/**
 * Tunnels without a kernel for the GUI tests and the screenshot daemon: traffic that rises and
 * falls over time (so the chart has a shape), one SA per configured SA, and a
 * switch to make the next connect fail with a given reason.
 */
public final class InMemoryTunnels implements TunnelStarter {
    public final Set<String> up = ConcurrentHashMap.newKeySet();
    public volatile String failWith;

    /**
     * Packets after t seconds of a transfer that rises and eases off: the integral of
     * 700 + 300·sin(t/4) packets per second (about 4-11 Mbit/s). A function of time, not of
     * reads, so status and SA requests do not disturb the rates.
     */
    static long sentPackets(double t) {
        return (long) (700 * t + 1200 * (1 - Math.cos(t / 4)));
    }

    /** The integral of 1400 + 800·cos(t/5) packets per second (about 7-24 Mbit/s). */
    static long receivedPackets(double t) {
        return (long) (1400 * t + 4000 * Math.sin(t / 5));
    }

    @Override
    public RunningTunnel start(TunnelProfile profile) throws IOException {
        String reason = failWith;
        if (reason != null) {
            throw new IOException(reason);
        }
        if (profile instanceof io.pathsec.engine.control.IkeGatewaySpec gateway) {
            up.add(gateway.name());
            return new InMemoryGateway(gateway, () -> up.remove(gateway.name()));
        }
        StaticKeyProfile p = (StaticKeyProfile) profile;
        up.add(p.name());
        long started = System.nanoTime();
        return new RunningTunnel() {
            @Override
            public String device() {
                return p.config().tun().name();
            }

            @Override
            public Counters counters() {
                double t = (System.nanoTime() - started) / 1e9;
                long sent = sentPackets(t);
                long received = receivedPackets(t);
                return new Counters(sent, sent * 1350, received, received * 1380, Map.of(),
                        Map.of("REPLAY", (long) (t / 10)));
            }

            @Override
            public List<SaInfo> securityAssociations() {
                double t = (System.nanoTime() - started) / 1e9;
                long sent = sentPackets(t);
                long received = receivedPackets(t);
                return p.config().sas().stream().map(sa -> {
                    boolean out = sa.direction().name().startsWith("OUT");
                    return new SaInfo(String.format("0x%08x", sa.spi()), sa.direction().name().toLowerCase(),
                            sa.transform(), p.config().mode().name().toLowerCase(),
                            p.config().listen().getAddress().getHostAddress() + ":" + p.config().listen().getPort(),
                            p.config().peer().getAddress().getHostAddress() + ":" + p.config().peer().getPort(), true,
                            sa.esn(), sa.replayWindow(), out ? sent : received, out ? sent * 1350 : received * 1380,
                            out ? Map.of() : Map.of("REPLAY", (long) (t / 10)), "2026-11-24T06:00:00Z");
                }).toList();
            }

            @Override
            public void close() {
                up.remove(p.name());
            }
        };
    }
}
