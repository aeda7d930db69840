package io.pathsec.engine.control;

import io.pathsec.engine.datapath.TunnelStats;
import io.pathsec.engine.control.api.Counters;
import io.pathsec.engine.control.api.SaInfo;
import io.pathsec.engine.policy.DropReason;
import io.pathsec.engine.policy.SecurityAssociation;
import io.pathsec.engine.tunnel.StaticTunnel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Starts real tunnels: a TUN device, routes and the ESP data path, per profile kind. */
public final class LinuxTunnelStarter implements TunnelStarter {

    @Override
    public RunningTunnel start(TunnelProfile profile) throws IOException {
        if (profile instanceof StaticKeyProfile s) {
            return new RunningStaticTunnel(StaticTunnel.start(s.config()));
        }
        throw new IOException("no tunnel implementation for " + profile.kind() + " profiles yet");
    }

    /** {@link StaticTunnel} seen through the control API's types. */
    private record RunningStaticTunnel(StaticTunnel tunnel) implements RunningTunnel {
        @Override
        public String device() {
            return tunnel.deviceName();
        }

        @Override
        public Counters counters() {
            TunnelStats s = tunnel.stats();
            return new Counters(s.sentPackets(), s.sentBytes(), s.receivedPackets(), s.receivedBytes(),
                    names(s.outboundDrops()), names(s.inboundDrops()));
        }

        @Override
        public List<SaInfo> securityAssociations() {
            // The SAD's order is a hash order; clients get a stable one.
            return tunnel.securityAssociations().stream()
                    .sorted(java.util.Comparator.comparingLong(sa -> Integer.toUnsignedLong(sa.spi())))
                    .map(RunningStaticTunnel::info).toList();
        }

        private static SaInfo info(SecurityAssociation sa) {
            Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
            for (DropReason r : DropReason.values()) {
                if (sa.drops(r) > 0) {
                    drops.put(r, sa.drops(r));
                }
            }
            return new SaInfo(String.format("0x%08x", sa.spi()), sa.direction().name().toLowerCase(),
                    sa.transform(), sa.mode().name().toLowerCase(), endpoint(sa.localEndpoint()),
                    endpoint(sa.remoteEndpoint()), sa.udpEncapsulation(), sa.extendedSequenceNumbers(),
                    sa.replayWindow(), sa.packets(), sa.bytes(), names(drops), sa.created().toString());
        }

        private static String endpoint(InetSocketAddress a) {
            if (a == null) {
                return null;
            }
            String host = a.getAddress().getHostAddress();
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
        }

        private static Map<String, Long> names(Map<DropReason, Long> drops) {
            Map<String, Long> named = new LinkedHashMap<>();
            drops.forEach((reason, count) -> named.put(reason.name(), count));
            return named;
        }

        @Override
        public void close() {
            tunnel.close();
        }
    }
}
