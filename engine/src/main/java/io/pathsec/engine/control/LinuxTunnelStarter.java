package io.pathsec.engine.control;

import io.pathsec.engine.control.api.ProfileSettings;
import io.pathsec.engine.icmp.IcmpSettings;
import io.pathsec.engine.control.api.ConnectStep;
import io.pathsec.engine.control.api.Counters;
import io.pathsec.engine.control.api.SaChange;
import io.pathsec.engine.control.api.SaChanged;
import io.pathsec.engine.control.api.SaInfo;
import io.pathsec.engine.control.api.TunnelProgress;
import io.pathsec.engine.pmtu.PmtuState;
import io.pathsec.engine.policy.Direction;
import io.pathsec.engine.policy.SecurityAssociation;
import io.pathsec.engine.tunnel.StaticTunnel;
import io.pathsec.engine.tunnel.Tunnel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

/** Starts real tunnels: a TUN device, routes and the ESP data path, per profile kind. */
public final class LinuxTunnelStarter implements TunnelStarter {

    @Override
    public RunningTunnel start(TunnelProfile profile) throws IOException {
        return start(profile, TunnelContext.NONE);
    }

    @Override
    public RunningTunnel start(TunnelProfile profile, TunnelContext context) throws IOException {
        // Java 17: no pattern switch; the sealed TunnelProfile has exactly these three records.
        if (profile instanceof StaticKeyProfile s) {
            return startStatic(s, context);
        }
        if (profile instanceof IkeGatewaySpec g) {
            return GatewayStart.start(g, context);
        }
        return new IkeConnect((IkeClientProfileSpec) profile, context).run();
    }

    private static RunningTunnel startStatic(StaticKeyProfile s, TunnelContext context) throws IOException {
        context.events().accept(new TunnelProgress(s.name(), System.currentTimeMillis(), ConnectStep.INSTALLING,
                "static keys: " + s.config().sas().size() + " SAs, TUN " + s.config().tun().name()));
        StaticTunnel tunnel = StaticTunnel.start(s.config(), context.capture().apply(s.config().listen()),
                ProfilePmtu.engineSettings(s.settings()), icmpSettings(s.settings()), context.events()::accept);
        for (SecurityAssociation sa : tunnel.securityAssociations()) {
            boolean in = sa.direction() == Direction.INBOUND;
            context.events().accept(new SaChanged(s.name(), System.currentTimeMillis(), SaChange.UP,
                    in ? SaViews.spi(sa.spi()) : null, in ? null : SaViews.spi(sa.spi()), sa.transform(), null));
        }
        return new RunningEngineTunnel(tunnel);
    }

    /** The profile's ICMP option over the engine's ICMP defaults ({@code pathsec.icmp.*} properties). */
    static IcmpSettings icmpSettings(ProfileSettings settings) {
        IcmpSettings base = IcmpSettings.fromProperties(System.getProperties());
        return settings == null || settings.icmpHandling() == null ? base : base.withHandling(settings.icmpHandling());
    }

    /** A running engine tunnel (static keys or IKEv2) seen through the control API's types. */
    record RunningEngineTunnel(Tunnel tunnel) implements RunningTunnel {
        @Override
        public String device() {
            return tunnel.deviceName();
        }

        @Override
        public Counters counters() {
            return SaViews.counters(tunnel.stats());
        }

        @Override
        public List<SaInfo> securityAssociations() {
            return SaViews.infos(tunnel.securityAssociations());
        }

        @Override
        public List<SecurityAssociation> keyedSecurityAssociations() {
            return tunnel.securityAssociations();
        }

        @Override
        public List<PmtuState> pmtuStates() {
            return tunnel.pmtuStates();
        }

        @Override
        public void close() {
            tunnel.close();
        }
    }

    /** For {@link IkeConnect}: the outer endpoint a capture records as ours. */
    static InetSocketAddress natTraversalEndpoint(java.net.InetAddress local) {
        return new InetSocketAddress(local, 4500);
    }
}
