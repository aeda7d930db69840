package io.pathsec.engine.tunnel;

import io.pathsec.engine.config.IpPrefix;
import io.pathsec.engine.config.StaticConfig;
import io.pathsec.engine.datapath.DataPath;
import io.pathsec.engine.diag.OuterPacketRing;
import io.pathsec.engine.diag.TappedEspTransport;
import io.pathsec.engine.transport.EspTransport;
import io.pathsec.engine.datapath.TunnelPolicy;
import io.pathsec.engine.datapath.TunnelStats;
import io.pathsec.engine.policy.Sad;
import io.pathsec.engine.policy.SecurityAssociation;
import io.pathsec.engine.policy.Spd;
import io.pathsec.engine.tun.LinuxInterfaceConfig;
import io.pathsec.engine.tun.LinuxTun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;

/**
 * A tunnel keyed by a {@link StaticConfig}: the TUN device, its addresses and routes, the SAD
 * and SPD, and the data path between the TUN and UDP port 4500. Closing it removes everything
 * it added.
 */
public final class StaticTunnel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StaticTunnel.class);

    private final StaticConfig config;
    private final LinuxTun tun;
    private final RoutingSetup routing;
    private final TunnelPolicy policy;
    private final DataPath dataPath;

    private StaticTunnel(StaticConfig config, LinuxTun tun, RoutingSetup routing, TunnelPolicy policy,
                         DataPath dataPath) {
        this.config = config;
        this.tun = tun;
        this.routing = routing;
        this.policy = policy;
        this.dataPath = dataPath;
    }

    /** Brings the tunnel up; on failure nothing it created is left behind. */
    public static StaticTunnel start(StaticConfig config) throws IOException {
        return start(config, null);
    }

    /**
     * As {@link #start(StaticConfig)}, with the outer datagrams shown to {@code capture} (a
     * diagnostics ring; null for none).
     */
    public static StaticTunnel start(StaticConfig config, OuterPacketRing capture) throws IOException {
        LinuxTun tun = LinuxTun.open(config.tun().name(), config.tun().mtu());
        RoutingSetup routing = new RoutingSetup(tun.name());
        DataPath dataPath = null;
        try {
            InetAddress source = configureDevice(tun, config);
            TunnelPolicy policy = new TunnelPolicy(new Spd(), new Sad(), config.workers(), config.tfcPadding());
            List<SecurityAssociation> sas = config.securityAssociations(Clock.systemUTC());
            policy.install(sas);
            policy.policies(config.spdEntries());
            // Marking is harmless when no policy route needs it, and always right in transport mode.
            EspTransport.Opener udp = DataPath.udpOpener(config.listen(), RoutingSetup.FWMARK, null);
            dataPath = DataPath.start(tun, policy, config.workers(),
                    capture == null ? udp : TappedEspTransport.tap(udp, capture));
            routeIntoTunnel(routing, config, source);
            LOG.info("tunnel {} up: {} {} -> {}, {} SAs, TUN {} mtu {}", config.name(),
                    config.mode().name().toLowerCase(), config.listen(), config.peer(), sas.size(),
                    tun.name(), tun.mtu());
            return new StaticTunnel(config, tun, routing, policy, dataPath);
        } catch (IOException | RuntimeException e) {
            if (dataPath != null) {
                dataPath.close();
            }
            routing.close();
            tun.close();
            throw e;
        }
    }

    /** Addresses and link state; returns the preferred source address for routes, or null. */
    private static InetAddress configureDevice(LinuxTun tun, StaticConfig config) throws IOException {
        InetAddress first = null;
        // The device's own config handle: bound to the namespace the device lives in.
        LinuxInterfaceConfig ifc = tun.config();
        ifc.quietIpv6(tun.name());
        for (IpPrefix a : config.tun().addresses()) {
            ifc.addAddress(tun.name(), a.address(), a.length());
            if (first == null) {
                first = a.address();
            }
        }
        ifc.up(tun.name());
        return first;
    }

    private static void routeIntoTunnel(RoutingSetup routing, StaticConfig config, InetAddress tunSource)
            throws IOException {
        for (IpPrefix route : config.tun().routes()) {
            byte[] peer = config.peer().getAddress().getAddress();
            if (route.range().contains(peer, peer.length)) {
                // The peer's outer address is inside: policy routing keeps ESP out of the tunnel.
                routing.addPolicyRoute(route.toString(), config.listen().getAddress());
            } else {
                routing.addRoute(route.toString(), tunSource);
            }
        }
    }

    public String name() {
        return config.name();
    }

    public String deviceName() {
        return tun.name();
    }

    public TunnelStats stats() {
        return dataPath.stats();
    }

    public List<SecurityAssociation> securityAssociations() {
        return policy.sad().all();
    }

    @Override
    public void close() {
        dataPath.close();
        routing.close();
        tun.close();
        LOG.info("tunnel {} down", config.name());
    }
}
