package io.pathsec.engine.tunnel;

import io.pathsec.engine.datapath.DataPath;
import io.pathsec.engine.datapath.TunnelPolicy;
import io.pathsec.engine.icmp.IcmpSettings;
import io.pathsec.engine.icmp.ExplicitSaCarrier;
import io.pathsec.engine.icmp.IcmpPeerSession;
import io.pathsec.engine.icmp.IkeRelayCarrier;
import io.pathsec.engine.icmp.TunnelIcmp;
import io.pathsec.engine.datapath.TunnelStats;
import io.pathsec.engine.diag.OuterPacketRing;
import io.pathsec.engine.diag.TappedEspTransport;
import io.pathsec.engine.transport.EspTransport;
import io.pathsec.engine.ike.message.TrafficSelector;
import io.pathsec.engine.ike.session.ChildSa;
import io.pathsec.engine.ike.session.ExecutorIkeScheduler;
import io.pathsec.engine.ike.session.IkeInitiator;
import io.pathsec.engine.ike.session.IkeInitiatorConfig;
import io.pathsec.engine.ike.session.IkeSessionException;
import io.pathsec.engine.ike.session.IkeSessionListener;
import io.pathsec.engine.ike.session.IkeSuite;
import io.pathsec.engine.ike.session.UdpIkeTransport;
import io.pathsec.engine.pmtu.InnerIcmpSource;
import io.pathsec.engine.pmtu.PmtuSettings;
import io.pathsec.engine.pmtu.PmtuSource;
import io.pathsec.engine.pmtu.PmtuState;
import io.pathsec.engine.pmtu.dplpmtud.Dplpmtud;
import io.pathsec.engine.pmtu.dplpmtud.DplpmtudStatus;
import io.pathsec.engine.policy.AddressRange;
import io.pathsec.engine.policy.Direction;
import io.pathsec.engine.policy.Sad;
import io.pathsec.engine.policy.SecurityAssociation;
import io.pathsec.engine.policy.Selector;
import io.pathsec.engine.policy.Spd;
import io.pathsec.engine.policy.SpdEntry;
import io.pathsec.engine.pmtu.tcpmss.TcpMssInitiator;
import io.pathsec.engine.pmtu.tcpmss.TcpMssResult;
import io.pathsec.engine.pmtu.tcpmss.TcpMssSettings;
import io.pathsec.engine.pmtu.tcpmss.TcpMssStats;
import io.pathsec.engine.tun.LinuxInterfaceConfig;
import io.pathsec.engine.tun.LinuxTun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.TimeUnit;

/**
 * A road-warrior tunnel keyed by IKEv2: the TUN device, the data path on UDP 4500, and an
 * {@link IkeInitiator} that negotiates with the gateway. When the IKE SA is up it installs the
 * CHILD_SA's two SAs and SPD entries, puts the virtual address on the TUN and routes the
 * negotiated TSr into it. Closing it deletes the IKE SA and removes everything it added.
 */
public final class IkeTunnel implements Tunnel {
    private static final Logger LOG = LoggerFactory.getLogger(IkeTunnel.class);
    private static final int WORKERS = 2;
    private static final int REPLAY_WINDOW = 1024;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(3);

    private final IkeClientProfile profile;
    private final IkeTunnelObserver observer;
    private final LinuxTun tun;
    private final RoutingSetup routing;
    private final TunnelPolicy policy;
    private final DataPath dataPath;
    private final UdpIkeTransport transport;
    private final ExecutorIkeScheduler scheduler;
    private final IkeInitiator initiator;
    private final CompletableFuture<IkeSessionListener.Established> established = new CompletableFuture<>();
    private final CompletableFuture<IkeSessionException> closed = new CompletableFuture<>();
    /** The SAs each CHILD_SA put into the data path, by its inbound SPI (rekeys overlap, §2.8). */
    private final Map<Integer, InstalledChild> children = new ConcurrentHashMap<>();
    private final AtomicLong childRekeys = new AtomicLong();
    private final AtomicLong ikeRekeys = new AtomicLong();
    private volatile ChildSa currentChild;
    /** DPLPMTUD over the IKE SA for the current outbound SA (RFC 8899); session thread only. */
    private Dplpmtud prober;
    private volatile Dplpmtud proberView;
    private IkeRelayCarrier icmpRelay;
    /** The TCP-MSS method (the seed proposal): its settings, its run after IKE_AUTH, its outcome. */
    private final TcpMssSettings tcpMss;
    private final TcpMssStats tcpMssStats = new TcpMssStats();
    private volatile TcpMssInitiator tcpMssRun;
    private volatile TcpMssResult tcpMssResult;

    /** One CHILD_SA in the data path: its inbound SA, and its outbound SA once it carries traffic. */
    private static final class InstalledChild {
        final ChildSa child;
        final SecurityAssociation inbound;
        volatile SecurityAssociation outbound;

        InstalledChild(ChildSa child, SecurityAssociation inbound) {
            this.child = child;
            this.inbound = inbound;
        }
    }

    private IkeTunnel(IkeClientProfile profile, IkeTunnelObserver observer, LinuxTun tun, RoutingSetup routing,
                      TunnelPolicy policy, DataPath dataPath, UdpIkeTransport transport,
                      ExecutorIkeScheduler scheduler, TcpMssSettings tcpMss) {
        this.profile = profile;
        this.tcpMss = tcpMss;
        this.observer = observer;
        this.tun = tun;
        this.routing = routing;
        this.policy = policy;
        this.dataPath = dataPath;
        this.transport = transport;
        this.scheduler = scheduler;
        IkeInitiatorConfig config = new IkeInitiatorConfig(
                new InetSocketAddress(profile.localAddress(), 500), new InetSocketAddress(profile.gatewayAddress(), 500),
                profile.localIdentity(), profile.remoteIdentity(), profile.authenticator(), profile.ikeSuites(),
                profile.espTransforms(), !profile.hostToHost(), profile.hostToHost()
                        ? List.of(TrafficSelector.range(profile.gatewayAddress(), profile.gatewayAddress()))
                        : !profile.trafficSelectors().isEmpty() ? TrafficSelectorText.parseAll(profile.trafficSelectors())
                        : remoteTs(profile.remoteTs()), profile.timers(), profile.mode());
        this.initiator = new IkeInitiator(config, scheduler, transport, new SecureRandom(), new Listener());
        initiator.useFragmentation(profile.fragmentation());
        initiator.requestVirtualIp6(profile.requestIpv6());
    }

    /**
     * Creates the TUN and sockets and starts negotiating; {@link #established()} completes when
     * traffic can flow. On failure to set up locally nothing is left behind.
     */
    public static IkeTunnel startClient(IkeClientProfile profile) throws IOException {
        return startClient(profile, IkeTunnelObserver.NONE, null);
    }

    /**
     * As {@link #startClient(IkeClientProfile)}, telling {@code observer} each step and SA change,
     * and showing the outer datagrams on port 4500 to {@code capture} (null for none).
     */
    public static IkeTunnel startClient(IkeClientProfile profile, IkeTunnelObserver observer,
                                        OuterPacketRing capture) throws IOException {
        return startClient(profile, observer, capture, TcpMssSettings.OFF);
    }

    /** As {@link #startClient(IkeClientProfile, IkeTunnelObserver, OuterPacketRing)}, with the TCP-MSS method's settings. */
    public static IkeTunnel startClient(IkeClientProfile profile, IkeTunnelObserver observer,
                                        OuterPacketRing capture, TcpMssSettings tcpMss) throws IOException {
        return startClient(profile, observer, capture, PmtuSettings.fromProperties(System.getProperties()), tcpMss,
                IcmpSettings.fromProperties(System.getProperties()));
    }

    /**
     * As {@link #startClient(IkeClientProfile, IkeTunnelObserver, OuterPacketRing)}, with the profile's
     * path MTU settings (methods, floor, timers, fixed MTU, outer DF), the TCP-MSS method's and the
     * ICMP handling's (docs/icmp.md).
     */
    public static IkeTunnel startClient(IkeClientProfile profile, IkeTunnelObserver observer,
                                        OuterPacketRing capture, PmtuSettings pmtuSettings, TcpMssSettings tcpMss,
                                        IcmpSettings icmp)
            throws IOException {
        LinuxTun tun = LinuxTun.open(profile.tunName(), profile.tunMtu());
        RoutingSetup routing = new RoutingSetup(tun.name());
        ExecutorIkeScheduler scheduler = new ExecutorIkeScheduler("ike-" + profile.name());
        UdpIkeTransport transport = null;
        DataPath dataPath = null;
        try {
            LinuxInterfaceConfig ifc = tun.config();
            ifc.quietIpv6(tun.name());
            ifc.up(tun.name());
            TunnelPolicy policy = new TunnelPolicy(new Spd(), new Sad(), WORKERS, 0, pmtuSettings, Clock.systemUTC());
            policy.icmp(TunnelIcmp.forTunnel(profile.name(), icmp, policy, observer::icmpDecision));
            transport = UdpIkeTransport.bind(new InetSocketAddress(profile.localAddress(), 500), scheduler);
            EspTransport.Opener udp = DataPath.udpOpener(new InetSocketAddress(profile.localAddress(), 4500),
                    RoutingSetup.FWMARK, transport);
            // A real outer path: classic PMTUD receives its ICMP (the 4-argument start is for in-memory pairs).
            dataPath = DataPath.start(tun, policy, WORKERS, capture == null ? udp : TappedEspTransport.tap(udp, capture),
                    new InnerIcmpSource(List.of()), true);
            IkeTunnel t = new IkeTunnel(profile, observer, tun, routing, policy, dataPath, transport, scheduler,
                    tcpMss);
            t.icmpRelay = new IkeRelayCarrier(sa -> t.peerSession(), policy.icmp(), tun);
            policy.icmp().relay(t.icmpRelay);
            policy.icmp().prober((sa, mtu) -> scheduler.execute(t::probeAfterDroppedTooBig));
            policy.icmp().explicitSa(new ExplicitSaCarrier(sa -> t.peerSession(), icmp.queueLimit(),
                    java.time.Clock.systemUTC()));
            transport.start(t.initiator::receive, dataPath);
            scheduler.execute(t.initiator::start);
            return t;
        } catch (IOException | RuntimeException e) {
            if (dataPath != null) {
                dataPath.close();
            }
            if (transport != null) {
                transport.close();
            }
            scheduler.close();
            routing.close();
            tun.close();
            throw e;
        }
    }

    private static List<TrafficSelector> remoteTs(List<String> prefixes) {
        List<TrafficSelector> ts = new ArrayList<>();
        for (String p : prefixes) {
            AddressRange r = AddressRange.parse(p);
            ts.add(TrafficSelector.range(r.low(), r.high()));
        }
        return ts;
    }

    /** On the IKE thread: the discard option dropped a Frag Needed; DPLPMTUD confirms the PLPMTU now. */
    private void probeAfterDroppedTooBig() {
        io.pathsec.engine.icmp.DroppedTooBigProbe.confirm(prober, profile.name());
    }

    /** The gateway's IKE session as the explicit-sa and ike-relay options see it (one peer: every SA is its). */
    private IcmpPeerSession peerSession() {
        return new IcmpPeerSession() {
            @Override
            public boolean speaksPathSec() {
                return initiator.peerSpeaksPathSec();
            }

            @Override
            public void execute(Runnable task) {
                scheduler.execute(task);
            }

            @Override
            public boolean relay(byte[] packet) {
                return initiator.relayIcmp(packet);
            }

            @Override
            public void createIcmpChildSa(java.util.function.Consumer<String> done) {
                initiator.createIcmpChildSa(done);
            }

            @Override
            public String peer() {
                return "gateway " + profile.gatewayAddress().getHostAddress();
            }
        };
    }

    private final class Listener implements IkeSessionListener {
        @Override
        public void icmpRelayed(byte[] packet) {
            icmpRelay.received(packet, policy.sad().all().stream()
                    .filter(sa -> sa.direction() == Direction.INBOUND).toList());
        }

        @Override
        public void established(Established session) {
            try {
                install(session);
                probeCurrentChild();
                // Report the CHILD_SA before completing: completing wakes the connect, which
                // announces "connected"; the SA must not race behind it (as for static keys).
                observer.childSaUp(session.child());
                established.complete(session);
                // After "connected": the measurement runs beside the tunnel and never delays it.
                tcpMssRun = TcpMssInitiator.afterIkeAuth(tcpMss, initiator.peerSpeaksPathSec(), initiator::extensionKey,
                        profile.localAddress(), profile.gatewayAddress(), RoutingSetup.FWMARK, tcpMssStats,
                        IkeTunnel.this::tcpMssDone).orElse(null);
            } catch (IOException | RuntimeException e) {
                LOG.error("cannot install the negotiated tunnel: {}", e.getMessage());
                established.completeExceptionally(e);
                initiator.close();
            }
        }

        @Override
        public void setupExchangeSent(SetupExchange exchange, String detail) {
            observer.setupExchangeSent(exchange, detail);
        }

        @Override
        public void childSaInboundReady(ChildSa child) {
            // Make before break (RFC 7296 §2.8): the new SA receives before anyone sends on it.
            SecurityAssociation in = sa(child.inboundSpi(), Direction.INBOUND, child, child.inboundKey(), localEndpoint(),
                    peerEndpoint(), selectors(child));
            policy.addInbound(in);
            children.put(child.inboundSpi(), new InstalledChild(child, in));
        }

        @Override
        public void childSaAdded(ChildSa child) {
            if (!child.carriesOnlyIcmp()) {
                return;
            }
            InstalledChild entry = children.get(child.inboundSpi());
            List<Selector> icmp = selectors(child);
            SecurityAssociation out = sa(child.outboundSpi(), Direction.OUTBOUND, child, child.outboundKey(),
                    localEndpoint(), peerEndpoint(), icmp);
            policy.install(List.of(out));
            if (entry != null) {
                entry.outbound = out;
            }
            List<SpdEntry> entries = new ArrayList<>(policy.spdEntries());
            for (int i = 0; i < icmp.size(); i++) {
                entries.add(SpdEntry.protect(out.name() + "-" + i, entries.size(), icmp.get(i), out.name()));
            }
            policy.policies(entries);
            LOG.info("tunnel {}: ICMP CHILD_SA {} installed", profile.name(), child);
        }

        @Override
        public void childSaOutboundActive(ChildSa child, ChildSa replaced) {
            InstalledChild entry = children.get(child.inboundSpi());
            SecurityAssociation out = sa(child.outboundSpi(), Direction.OUTBOUND, child, child.outboundKey(),
                    localEndpoint(), peerEndpoint(), selectors(child));
            policy.replaceOutbound(out); // one atomic switch; packets already encrypted still leave
            if (entry != null) {
                entry.outbound = out;
            }
            currentChild = child;
            probeCurrentChild();
            childRekeys.incrementAndGet();
            observer.childSaRekeyed(child, replaced);
            LOG.info("tunnel {}: sending with {} (was 0x{})", profile.name(), child,
                    Integer.toHexString(replaced.outboundSpi()));
        }

        @Override
        public void childSaDeleted(ChildSa child) {
            InstalledChild entry = children.remove(child.inboundSpi());
            observer.childSaDown(child);
            if (entry != null) {
                policy.remove(entry.inbound);
                if (entry.outbound != null) {
                    policy.remove(entry.outbound); // a no-op when a newer SA replaced it
                }
            }
            if (children.isEmpty()) {
                LOG.warn("the last CHILD_SA {} is gone; traffic stops until the next connect", child);
                policy.policies(List.of());
            } else {
                LOG.info("tunnel {}: {} removed from the data path", profile.name(), child);
            }
        }

        @Override
        public void ikeSaRekeyed(IkeSuite.Chosen suite) {
            ikeRekeys.incrementAndGet();
            observer.ikeSaRekeyed(suite);
        }

        @Override
        public void closed(IkeSessionException cause) {
            boolean wasUp = established.isDone() && !established.isCompletedExceptionally()
                    && !established.isCancelled();
            if (cause != null) {
                established.completeExceptionally(cause);
            } else {
                established.cancel(false);
            }
            closed.complete(cause);
            if (wasUp) {
                observer.sessionClosed(cause);
            }
        }
    }

    /**
     * Runs DPLPMTUD for the PMTU state of the SA we send with now (session thread). A rekey on
     * the same path keeps the state and so the prober; a new state gets a new prober.
     */
    private void probeCurrentChild() {
        ChildSa child = currentChild;
        if (child == null || !policy.pmtuSettings().enabled(PmtuSource.DPLPMTUD)) {
            return;
        }
        String spi = String.format("0x%08x", child.outboundSpi());
        PmtuState state = dataPath.pmtuStates().stream().filter(p -> p.saName().endsWith(spi)).findFirst()
                .orElse(null);
        if (state == null || (prober != null && prober.pmtu() == state)) {
            return;
        }
        if (prober != null) {
            prober.stop();
        }
        prober = new Dplpmtud(state, policy.pmtuSettings().dplpmtud(), initiator.probeLayer());
        proberView = prober;
        prober.start();
    }

    /** Outer ICMP packet-too-big messages accepted and rejected (forged or unvalidated). */
    public io.pathsec.engine.pmtu.OuterIcmpStats outerIcmpStats() {
        return dataPath.outerIcmpStats();
    }

    /** The DPLPMTUD prober's phase, search bounds and counters; empty when it is off. */
    public java.util.Optional<DplpmtudStatus> dplpmtud() {
        Dplpmtud p = proberView;
        return p == null ? java.util.Optional.empty() : java.util.Optional.of(p.status());
    }

    /**
     * A path MTU learnt for the CHILD_SA's outer path also sizes IKE fragments (RFC 7383 §2.5.1):
     * each change of its PLPMTU is handed to the IKE session.
     */
    private void followPathMtu(ChildSa child) {
        String spi = String.format("0x%08x", child.outboundSpi());
        dataPath.pmtuStates().stream().filter(p -> p.saName().endsWith(spi)).findFirst().ifPresent(state ->
                state.addListener((s, before, after) -> scheduler.execute(() -> initiator.outerPathMtu(s.plpmtu()))));
    }

    /** The CHILD_SA's SAs and SPD entries, the virtual address, and routes to TSr (RFC 4301 §4.4). */
    private void install(IkeSessionListener.Established s) throws IOException {
        ChildSa child = s.child();
        List<Selector> selectors = selectors(child);
        InetSocketAddress localEp = localEndpoint();
        InetSocketAddress peerEp = peerEndpoint();
        List<SecurityAssociation> sas = List.of(
                sa(child.inboundSpi(), Direction.INBOUND, child, child.inboundKey(), localEp, peerEp, selectors),
                sa(child.outboundSpi(), Direction.OUTBOUND, child, child.outboundKey(), localEp, peerEp, selectors));
        policy.install(sas);
        followPathMtu(child);
        InstalledChild entry = new InstalledChild(child, sas.get(0));
        entry.outbound = sas.get(1);
        children.put(child.inboundSpi(), entry);
        currentChild = child;
        List<SpdEntry> entries = new ArrayList<>();
        for (int i = 0; i < selectors.size(); i++) {
            entries.add(SpdEntry.protect(profile.name() + "-" + i, i, selectors.get(i), profile.name()));
        }
        policy.policies(entries);
        // Host-to-host has no virtual address: packets leave the TUN with our outer address.
        InetAddress vip = s.virtualAddress() != null ? s.virtualAddress() : profile.localAddress();
        if (s.virtualAddress() != null) {
            tun.config().addAddress(tun.name(), vip, vip.getAddress().length * 8);
        }
        InetAddress vip6 = s.virtualAddress6();
        if (vip6 != null) {
            tun.config().addAddress(tun.name(), vip6, 128); // INTERNAL_IP6_ADDRESS (RFC 7296 §3.15.1)
        }
        for (TrafficSelector remote : child.remoteTs()) {
            // Packets to an IPv6 network leave from the IPv6 virtual address, when there is one.
            InetAddress source = remote.startAddress().getAddress().length == 16 && vip6 != null ? vip6 : vip;
            for (String prefix : prefixes(remote.startAddress(), remote.endAddress())) {
                byte[] gw = s.peer().getAddress().getAddress();
                if (AddressRange.parse(prefix).contains(gw, gw.length)) {
                    routing.addPolicyRoute(prefix, source); // keeps IKE and ESP to the gateway off the TUN
                } else {
                    routing.addRoute(prefix, source);
                }
            }
        }
        LOG.info("tunnel {} up: virtual IP {} on {}, {} SPD entries, {}", profile.name(), vip.getHostAddress(),
                tun.name(), entries.size(), child);
    }

    /** The selectors of a CHILD_SA: each local TS paired with each remote TS of its family. */
    public static List<Selector> selectors(ChildSa child) {
        List<Selector> selectors = new ArrayList<>();
        for (TrafficSelector local : child.localTs()) {
            for (TrafficSelector remote : child.remoteTs()) {
                Selector s = local.type() == remote.type() ? selector(local, remote) : null;
                if (s != null) {
                    selectors.add(s);
                }
            }
        }
        return selectors;
    }

    private InetSocketAddress localEndpoint() {
        return new InetSocketAddress(profile.localAddress(), 4500);
    }

    /** ESP always goes to the gateway's NAT-T port: our ESP is UDP-encapsulated (RFC 3948). */
    private InetSocketAddress peerEndpoint() {
        return new InetSocketAddress(profile.gatewayAddress(), 4500);
    }

    /**
     * The SPD selector of one TS pair (RFC 4301 §4.4.1.1): the two address ranges, and the
     * protocol either side names (0 is any) with each side's ports, so a narrowed TS such as
     * "E2's network, TCP 5201" is enforced exactly; null when the two name different protocols
     * (no packet can match both).
     */
    static Selector selector(TrafficSelector local, TrafficSelector remote) {
        Selector s = Selector.between(AddressRange.range(local.startAddress(), local.endAddress()),
                AddressRange.range(remote.startAddress(), remote.endAddress()));
        if (local.ipProtocol() != 0 && remote.ipProtocol() != 0 && local.ipProtocol() != remote.ipProtocol()) {
            return null;
        }
        int protocol = local.ipProtocol() != 0 ? local.ipProtocol() : remote.ipProtocol();
        if (protocol == 0) {
            return s;
        }
        try {
            return s.withProtocol(protocol, ports(local), ports(remote));
        } catch (IllegalArgumentException e) {
            // ICMP's "ports" are type/code (RFC 7296 §3.13.1); a protocol without ports takes any.
            return s.withProtocol(protocol, io.pathsec.engine.policy.PortRange.ANY,
                    io.pathsec.engine.policy.PortRange.ANY);
        }
    }

    private static io.pathsec.engine.policy.PortRange ports(TrafficSelector ts) {
        return ts.startPort() > ts.endPort() ? io.pathsec.engine.policy.PortRange.OPAQUE
                : new io.pathsec.engine.policy.PortRange(ts.startPort(), ts.endPort());
    }

    private SecurityAssociation sa(int spi, Direction direction, ChildSa child, byte[] key, InetSocketAddress local,
                                   InetSocketAddress peer, List<Selector> selectors) {
        // The explicit ICMP SA has its own binding, so it never replaces the data SA's outbound SA.
        String binding = child.carriesOnlyIcmp() ? profile.name() + "-icmp" : profile.name();
        return SecurityAssociation.builder().name(binding).spi(spi).direction(direction)
                .transform(child.esp().transform().ikeName()).key(key).mode(child.mode())
                .localEndpoint(local).remoteEndpoint(peer).udpEncapsulation(true)
                .extendedSequenceNumbers(child.esp().extendedSequenceNumbers())
                .replayWindow(direction == Direction.INBOUND ? REPLAY_WINDOW : 0)
                .selectors(selectors).build();
    }

    /** The smallest list of CIDR prefixes covering low..high (routes need prefixes, TS are ranges). */
    public static List<String> prefixes(InetAddress low, InetAddress high) {
        int bits = low.getAddress().length * 8;
        BigInteger lo = new BigInteger(1, low.getAddress());
        BigInteger hi = new BigInteger(1, high.getAddress());
        List<String> out = new ArrayList<>();
        for (int guard = 0; lo.compareTo(hi) <= 0 && guard < 2 * bits + 2; guard++) {
            int size = lo.signum() == 0 ? bits : Math.min(bits, lo.getLowestSetBit());
            while (size > 0 && lo.add(BigInteger.ONE.shiftLeft(size)).subtract(BigInteger.ONE).compareTo(hi) > 0) {
                size--;
            }
            out.add(AddressRange.format(toAddress(lo, bits / 8)) + "/" + (bits - size));
            lo = lo.add(BigInteger.ONE.shiftLeft(size));
        }
        return out;
    }

    private static InetAddress toAddress(BigInteger v, int length) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        try {
            return InetAddress.getByAddress(out);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Completes when the IKE SA and CHILD_SA are up and installed; fails with an {@link IkeSessionException}. */
    public CompletableFuture<IkeSessionListener.Established> established() {
        return established;
    }

    /** Completes when the session ended, with its cause (null after a local close). */
    public CompletableFuture<IkeSessionException> closedFuture() {
        return closed;
    }

    /** Whether the gateway announced PathSec's Vendor ID (known once IKE_SA_INIT is done). */
    public boolean peerSpeaksPathSec() {
        return initiator.peerSpeaksPathSec();
    }

    /** Whether our outer address is translated by a NAT, so we send NAT-keepalives (RFC 3948 §4). */
    public boolean behindNat() {
        return initiator.behindNat();
    }

    /** NAT-keepalives received from the gateway on port 4500 (RFC 3948 §2.3). */
    public long natKeepalivesReceived() {
        return dataPath.natKeepalives();
    }

    @Override
    public String deviceName() {
        return tun.name();
    }

    @Override
    public TunnelStats stats() {
        return dataPath.stats();
    }

    /** The CHILD_SA that carries outbound traffic now. */
    public java.util.Optional<ChildSa> currentChildSa() {
        return java.util.Optional.ofNullable(currentChild);
    }

    /** ICMP decisions so far by outcome and reason (docs/icmp.md). */
    public java.util.Map<String, Long> icmpDecisions() {
        return policy.icmp().decisions().counts();
    }

    public long childRekeys() {
        return childRekeys.get();
    }

    public long ikeRekeys() {
        return ikeRekeys.get();
    }

    @Override
    public List<SecurityAssociation> securityAssociations() {
        return policy.sad().all();
    }

    /**
     * The PMTU state of each live outbound SA; a rekeyed CHILD_SA on the same path keeps its
     * predecessor's state, a new one starts its own.
     */
    @Override
    public List<io.pathsec.engine.pmtu.PmtuState> pmtuStates() {
        return dataPath.pmtuStates();
    }

    private void tcpMssDone(TcpMssResult result) {
        tcpMssResult = result;
        if (result instanceof TcpMssResult.Measured m) {
            m.applyTo(pmtuStates());
        }
    }

    /** The TCP-MSS method's outcome, once it has one (never when off or the gateway lacks the Vendor ID). */
    public java.util.Optional<TcpMssResult> tcpMssResult() {
        return java.util.Optional.ofNullable(tcpMssResult);
    }

    public TcpMssStats tcpMssStats() {
        return tcpMssStats;
    }

    /** Deletes the IKE SA (bounded wait for the gateway's answer), then removes device, rules, sockets. */
    @Override
    public void close() {
        TcpMssInitiator run = tcpMssRun;
        if (run != null) {
            run.close();
        }
        scheduler.execute(() -> {
            if (prober != null) {
                prober.stop();
            }
            initiator.close();
        });
        try {
            closed.get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.debug("IKE delete not confirmed: {}", e.toString());
        }
        scheduler.close();
        transport.close();
        dataPath.close();
        routing.close();
        tun.close();
        LOG.info("tunnel {} down", profile.name());
    }
}
