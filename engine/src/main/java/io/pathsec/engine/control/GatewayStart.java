package io.pathsec.engine.control;

import io.pathsec.engine.control.api.GatewayClientChanged;
import io.pathsec.engine.control.api.GatewayClientInfo;
import io.pathsec.engine.control.api.ConnectStep;
import io.pathsec.engine.control.api.Counters;
import io.pathsec.engine.control.api.PmtuReport;
import io.pathsec.engine.control.api.SaInfo;
import io.pathsec.engine.control.api.TunnelProgress;
import io.pathsec.engine.gateway.IkeGateway;
import io.pathsec.engine.pmtu.PmtuState;
import io.pathsec.engine.policy.Direction;
import io.pathsec.engine.policy.SecurityAssociation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code connect} of a gateway profile: the engine's {@link IkeGateway} (the same one the lab and
 * {@code IkeGatewayService} run), with its clients' arrivals and departures published as
 * {@code gateway.client} events.
 */
final class GatewayStart {
    private GatewayStart() {
    }

    static GatewayTunnel start(IkeGatewaySpec spec, TunnelContext context) throws IOException {
        context.events().accept(new TunnelProgress(spec.name(), System.currentTimeMillis(), ConnectStep.INSTALLING,
                "gateway: listening on " + spec.gateway().listenAddress().getHostAddress() + " UDP 500/4500, "
                        + (spec.gateway().pool() == null ? "no pool (host to host)" : "pool " + spec.gateway().pool())
                        + ", TUN " + spec.gateway().tunName()));
        IkeGateway gateway = IkeGateway.start(spec.gateway(), IkeConnect.tcpMss(spec.settings()),
                ProfilePmtu.engineSettings(spec.settings()), LinuxTunnelStarter.icmpSettings(spec.settings()),
                new IkeGateway.ClientListener() {
                    @Override
                    public void connected(IkeGateway.Client client) {
                        context.events().accept(changed(spec.name(), GatewayClientChanged.CONNECTED, client));
                    }

                    @Override
                    public void left(IkeGateway.Client client) {
                        context.events().accept(changed(spec.name(), GatewayClientChanged.LEFT, client));
                    }
                });
        return new RunningGateway(gateway);
    }

    private static GatewayClientChanged changed(String profile, String change, IkeGateway.Client c) {
        return new GatewayClientChanged(profile, System.currentTimeMillis(), change, c.identity(), c.virtualIp(),
                c.virtualIp6(), SaViews.endpoint(c.peer()));
    }

    /** A client as {@code gateway.clients} shows it: its SAs without keys, traffic summed by direction. */
    static GatewayClientInfo info(IkeGateway.Client c) {
        long sentPackets = 0;
        long sentBytes = 0;
        long receivedPackets = 0;
        long receivedBytes = 0;
        for (SecurityAssociation sa : c.sas()) {
            if (sa.direction() == Direction.OUTBOUND) {
                sentPackets += sa.packets();
                sentBytes += sa.bytes();
            } else {
                receivedPackets += sa.packets();
                receivedBytes += sa.bytes();
            }
        }
        List<PmtuReport.Sa> pmtu = c.pmtu().stream().map(PmtuEvents::sa).toList();
        return new GatewayClientInfo(c.identity(), c.virtualIp(), c.virtualIp6(), SaViews.endpoint(c.peer()),
                c.mode().toLowerCase(), c.ikeSuite(), c.speaksPathSec(), SaViews.infos(c.sas()), pmtu, sentPackets,
                sentBytes, receivedPackets, receivedBytes);
    }

    /** The running gateway as the daemon sees every tunnel, plus its clients. */
    record RunningGateway(IkeGateway gateway) implements GatewayTunnel {
        @Override
        public String device() {
            return gateway.deviceName();
        }

        @Override
        public Counters counters() {
            return SaViews.counters(gateway.stats());
        }

        @Override
        public List<SaInfo> securityAssociations() {
            return SaViews.infos(gateway.securityAssociations());
        }

        @Override
        public List<SecurityAssociation> keyedSecurityAssociations() {
            return gateway.securityAssociations();
        }

        @Override
        public List<PmtuState> pmtuStates() {
            List<PmtuState> all = new ArrayList<>();
            for (IkeGateway.Client c : gateway.clients()) {
                all.addAll(c.pmtu());
            }
            return all;
        }

        @Override
        public List<GatewayClientInfo> clients() {
            return gateway.clients().stream().map(GatewayStart::info)
                    .sorted(Comparator.comparing(GatewayClientInfo::identity)).toList();
        }

        @Override
        public void close() {
            gateway.close();
        }
    }
}
