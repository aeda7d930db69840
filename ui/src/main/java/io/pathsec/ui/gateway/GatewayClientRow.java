package io.pathsec.ui.gateway;

import io.pathsec.engine.control.api.GatewayClientInfo;
import io.pathsec.engine.control.api.PmtuReport;
import io.pathsec.engine.control.api.SaInfo;
import io.pathsec.ui.dashboard.Units;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One road warrior as the gateway view's table shows it, in words and units.
 *
 * @param algorithms the CHILD_SA's ESP transform and the IKE SA's suite
 * @param spis       the current inbound and outbound SPIs (more while a rekey overlaps)
 * @param pmtu       the PLPMTU and inner MTU towards the client, and where the search stands
 */
public record GatewayClientRow(String identity, String virtualIp, String outerAddress, String mode,
                               String algorithms, String spis, String pmtu, String sent, String received) {

    static GatewayClientRow of(GatewayClientInfo c) {
        String vip = c.virtualIp() == null ? "—" : c.virtualIp();
        if (c.virtualIp6() != null) {
            vip += ", " + c.virtualIp6();
        }
        String esp = c.sas().stream().map(SaInfo::transform).distinct().collect(Collectors.joining(", "));
        return new GatewayClientRow(c.identity(), vip, c.outerAddress(),
                c.mode() + (c.speaksPathSec() ? " · speaks PathSec's extensions (ICMP SA, IKE relay, TCP-MSS)" : ""), esp + " · IKE " + c.ikeSuite(),
                spis(c.sas()), pmtu(c.pmtu()), traffic(c.sentPackets(), c.sentBytes()),
                traffic(c.receivedPackets(), c.receivedBytes()));
    }

    private static String spis(List<SaInfo> sas) {
        String in = sas.stream().filter(s -> s.direction().equals("inbound")).map(SaInfo::spi)
                .collect(Collectors.joining(" "));
        String out = sas.stream().filter(s -> s.direction().equals("outbound")).map(SaInfo::spi)
                .collect(Collectors.joining(" "));
        return "in " + (in.isEmpty() ? "—" : in) + " / out " + (out.isEmpty() ? "—" : out);
    }

    /** The SA the gateway sends with last: the newest state after a rekey. */
    private static String pmtu(List<PmtuReport.Sa> states) {
        if (states.isEmpty()) {
            return "not measured";
        }
        PmtuReport.Sa s = states.get(states.size() - 1);
        return s.plpmtu() + " (inner " + s.effectiveMtu() + ", " + s.search() + ")";
    }

    private static String traffic(long packets, long bytes) {
        return Units.count(packets) + " pkts, " + Units.bytes(bytes);
    }
}
