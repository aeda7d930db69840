package io.pathsec.engine.tunnel;

import io.pathsec.engine.datapath.TunnelStats;
import io.pathsec.engine.pmtu.OuterIcmpStats;
import io.pathsec.engine.pmtu.PmtuStatus;
import io.pathsec.engine.policy.DropReason;
import io.pathsec.engine.policy.SecurityAssociation;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a running tunnel reports each second (JSON via Gson): tunnel counters and, per SA, its
 * SPI, direction, traffic and drops; per outbound SA its path MTU (PLPMTU, effective MTU, each
 * source's last value and time, recent samples, black-hole events); the TUN MTU; and the outer
 * ICMP messages accepted or rejected. Keys are never part of it.
 */
public record TunnelStatus(String name, String device, long uptimeMillis, TunnelStats tunnel,
                           List<SaStatus> sas, int tunMtu, List<PmtuStatus> pmtu, OuterIcmpStats outerIcmp,
                           TunOffloads tunOffloads) {

    /**
     * The TUN's offloads: whether they are on, and the TCP super-packets receive offload wrote
     * with the segments they carried (their ratio is the segments per write).
     */
    public record TunOffloads(boolean enabled, long superPacketsWritten, long segmentsCoalesced) {
    }

    public record SaStatus(String spi, String direction, String transform, String mode, long packets,
                           long bytes, Map<DropReason, Long> drops) {

        static SaStatus of(SecurityAssociation sa) {
            Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
            for (DropReason r : DropReason.values()) {
                long n = sa.drops(r);
                if (n > 0) {
                    drops.put(r, n);
                }
            }
            return new SaStatus(String.format("0x%08x", sa.spi()), sa.direction().name().toLowerCase(),
                    sa.transform(), sa.mode().name().toLowerCase(), sa.packets(), sa.bytes(), drops);
        }
    }

    public static TunnelStatus of(StaticTunnel tunnel, long uptimeMillis) {
        return new TunnelStatus(tunnel.name(), tunnel.deviceName(), uptimeMillis, tunnel.stats(),
                tunnel.securityAssociations().stream().map(SaStatus::of).toList(), tunnel.tunMtu(),
                tunnel.pmtuStates().stream().map(PmtuStatus::of).toList(), tunnel.outerIcmpStats(),
                tunnel.tunOffloads());
    }

    /** The first outbound SA's path MTU status (a static tunnel has exactly one), or null. */
    public PmtuStatus outboundPmtu() {
        return pmtu == null || pmtu.isEmpty() ? null : pmtu.get(0);
    }

    public long inboundDrops(DropReason reason) {
        return tunnel.inboundDrops(reason);
    }
}
