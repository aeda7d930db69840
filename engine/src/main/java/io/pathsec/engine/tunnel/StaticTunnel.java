package io.pathsec.engine.tunnel;

import io.pathsec.engine.config.IpPrefix;
import io.pathsec.engine.config.StaticConfig;
import io.pathsec.engine.control.api.IcmpDecision;
import io.pathsec.engine.datapath.DataPath;
import io.pathsec.engine.icmp.IcmpSettings;
import io.pathsec.engine.icmp.TunnelIcmp;
import io.pathsec.engine.diag.OuterPacketRing;
import io.pathsec.engine.diag.TappedEspTransport;
import io.pathsec.engine.transport.EspTransport;
import io.pathsec.engine.datapath.TunnelPolicy;
import io.pathsec.engine.datapath.TunnelStats;
import io.pathsec.engine.pmtu.InnerIcmpSource;
import io.pathsec.engine.pmtu.OuterIcmpStats;
import io.pathsec.engine.pmtu.PmtuSettings;
import io.pathsec.engine.pmtu.PmtuState;
import io.pathsec.engine.policy.Sad;
import io.pathsec.engine.policy.SecurityAssociation;
import io.pathsec.engine.policy.Spd;
import io.pathsec.engine.tun.LinuxInterfaceConfig;
import io.pathsec.engine.tun.LinuxTun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

/**
 * A tunnel keyed by a {@link StaticConfig}: the TUN device, its addresses and routes, the SAD
 * and SPD, and the data path between the TUN and UDP port 4500. Closing it removes everything
 * it added.
 *
 * <p>Its one outbound SA owns the device, so the TUN MTU follows that SA's effective MTU
 * (DESIGN.md "Path MTU"): the kernel then tells local and forwarding senders itself. It never
 * goes below 1280, where Linux would take IPv6 off the device (RFC 8200 §5); below that the
 * data path's own ICMP does the work. PMTU settings come from {@code pathsec.pmtu.*} system
 * properties ({@link PmtuSettings#fromProperties}).
 */
public final class StaticTunnel implements Tunnel {
    private static final Logger LOG = LoggerFactory.getLogger(StaticTunnel.class);
    /** RFC 8200 §5: below this Linux removes IPv6 from the device. */
    static final int MIN_TUN_MTU = 1280;
    static final int MAX_TUN_MTU = 9000;

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
        return start(config, capture, PmtuSettings.fromProperties(System.getProperties()),
                IcmpSettings.fromProperties(System.getProperties()), d -> { });
    }

    /**
     * As {@link #start(StaticConfig, OuterPacketRing)}, with a profile's path MTU settings, these
     * ICMP settings (docs/icmp.md; static keys have no IKE, so explicit-sa and ike-relay drop and
     * say why) and their decisions sent to {@code icmpEvents}.
     */
    public static StaticTunnel start(StaticConfig config, OuterPacketRing capture, PmtuSettings pmtuSettings,
                                     IcmpSettings icmp, Consumer<IcmpDecision> icmpEvents) throws IOException {
        LinuxTun tun = LinuxTun.open(config.tun().name(), config.tun().mtu());
        RoutingSetup routing = new RoutingSetup(tun.name());
        DataPath dataPath = null;
        try {
            InetAddress source = configureDevice(tun, config);
            TunnelPolicy policy = new TunnelPolicy(new Spd(), new Sad(), config.workers(), config.tfcPadding(),
                    pmtuSettings, Clock.systemUTC());
            List<SecurityAssociation> sas = config.securityAssociations(Clock.systemUTC());
            policy.install(sas);
            policy.policies(config.spdEntries());
            policy.icmp(TunnelIcmp.forTunnel(config.name(), icmp, policy, icmpEvents));
            followEffectiveMtu(tun, policy);
            // Marking is harmless when no policy route needs it, and always right in transport mode.
            EspTransport.Opener udp = DataPath.udpOpener(config.listen(), RoutingSetup.FWMARK, null);
            dataPath = DataPath.start(tun, policy, config.workers(),
                    capture == null ? udp : TappedEspTransport.tap(udp, capture),
                    new InnerIcmpSource(config.tun().addresses().stream().map(IpPrefix::address).toList()), true);
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

    /** The TUN MTU follows the effective MTU of the SA that owns the device. */
    private static void followEffectiveMtu(LinuxTun tun, TunnelPolicy policy) throws IOException {
        for (var sa : policy.outboundSas()) {
            PmtuState pmtu = sa.pmtu();
            tun.setMtu(tunMtu(pmtu.effectiveMtu()));
            pmtu.addListener((state, before, after) -> {
                int mtu = tunMtu(after);
                try {
                    if (tun.mtu() != mtu) {
                        tun.setMtu(mtu);
                        LOG.info("TUN {} mtu {} (SA {} effective MTU {})", tun.name(), mtu, state.saName(), after);
                    }
                } catch (IOException e) {
                    LOG.warn("TUN {} mtu not set to {}: {}", tun.name(), mtu, e.getMessage());
                }
            });
        }
    }

    static int tunMtu(int effectiveMtu) {
        return Math.max(MIN_TUN_MTU, Math.min(MAX_TUN_MTU, effectiveMtu));
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
        acceptLocalSource(tun.name());
        return first;
    }

    /**
     * The data path writes ICMP errors for inner senders into the TUN with one of this host's
     * own addresses as the source (RFC 4301 §8.2.1; see InnerIcmpSource). Linux drops packets
     * that arrive with a local source address as martians unless the receiving device has
     * accept_local set (ip-sysctl.rst); this touches only our own device, in its namespace.
     */
    private static void acceptLocalSource(String device) {
        Path sysctl = Path.of("/proc/sys/net/ipv4/conf", device, "accept_local");
        try {
            Files.writeString(sysctl, "1");
        } catch (IOException e) {
            LOG.warn("{} not set: ICMP Fragmentation Needed from the tunnel may be dropped as a martian: {}",
                    sysctl, e.getMessage());
        }
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

    @Override
    public String deviceName() {
        return tun.name();
    }

    @Override
    public TunnelStats stats() {
        return dataPath.stats();
    }

    /** The path MTU state of the outbound SA(s). */
    @Override
    public List<PmtuState> pmtuStates() {
        return dataPath.pmtuStates();
    }

    public OuterIcmpStats outerIcmpStats() {
        return dataPath.outerIcmpStats();
    }

    public int tunMtu() {
        return tun.mtu();
    }

    /** What the TUN's offloads did: receive offload's super-packets and the segments in them. */
    public TunnelStatus.TunOffloads tunOffloads() {
        return new TunnelStatus.TunOffloads(tun.offloads(), tun.coalescedWrites(), tun.coalescedSegments());
    }

    @Override
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
