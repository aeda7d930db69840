package io.pathsec.engine.control;

import io.pathsec.engine.control.api.Counters;
import io.pathsec.engine.control.api.SaInfo;
import io.pathsec.engine.datapath.TunnelStats;
import io.pathsec.engine.policy.DropReason;
import io.pathsec.engine.policy.SecurityAssociation;

import java.net.InetSocketAddress;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The engine's SAs and counters as the control API shows them: no keys, a stable order. */
final class SaViews {
    private SaViews() {
    }

    static Counters counters(TunnelStats s) {
        return new Counters(s.sentPackets(), s.sentBytes(), s.receivedPackets(), s.receivedBytes(),
                names(s.outboundDrops()), names(s.inboundDrops()));
    }

    /** The SAD's order is a hash order; clients get one by SPI. */
    static List<SaInfo> infos(List<SecurityAssociation> sas) {
        return sas.stream().sorted(Comparator.comparingLong(sa -> Integer.toUnsignedLong(sa.spi())))
                .map(SaViews::info).toList();
    }

    static SaInfo info(SecurityAssociation sa) {
        Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            if (sa.drops(r) > 0) {
                drops.put(r, sa.drops(r));
            }
        }
        return new SaInfo(spi(sa.spi()), sa.direction().name().toLowerCase(), sa.transform(),
                sa.mode().name().toLowerCase(), endpoint(sa.localEndpoint()), endpoint(sa.remoteEndpoint()),
                sa.udpEncapsulation(), sa.extendedSequenceNumbers(), sa.replayWindow(), sa.packets(), sa.bytes(),
                names(drops), sa.created().toString());
    }

    static String spi(int spi) {
        return String.format("0x%08x", spi);
    }

    static String endpoint(InetSocketAddress a) {
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
}
