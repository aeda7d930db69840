package io.pathsec.engine.gateway;

import io.pathsec.engine.datapath.DataPath;
import io.pathsec.engine.datapath.TunnelPolicy;
import io.pathsec.engine.icmp.IcmpSettings;
import io.pathsec.engine.icmp.ExplicitSaCarrier;
import io.pathsec.engine.icmp.IcmpPeerSession;
import io.pathsec.engine.icmp.IkeRelayCarrier;
import io.pathsec.engine.icmp.TunnelIcmp;
import io.pathsec.engine.datapath.TunnelStats;
import io.pathsec.engine.ike.message.TrafficSelector;
import io.pathsec.engine.ike.session.AddressPool;
import io.pathsec.engine.ike.session.ChildSa;
import io.pathsec.engine.ike.session.ExecutorIkeScheduler;
import io.pathsec.engine.ike.session.IkeResponder;
import io.pathsec.engine.ike.session.IkeResponderConfig;
import io.pathsec.engine.ike.session.IkeResponderTable;
import io.pathsec.engine.ike.session.IkeSessionException;
import io.pathsec.engine.ike.session.IkeSessionListener;
import io.pathsec.engine.ike.session.IkeSessionTimers;
import io.pathsec.engine.ike.session.UdpIkeTransport;
import io.pathsec.engine.policy.AddressRange;
import io.pathsec.engine.policy.Sad;
import io.pathsec.engine.policy.Direction;
import io.pathsec.engine.policy.SecurityAssociation;
import io.pathsec.engine.policy.Spd;
import io.pathsec.engine.pmtu.PmtuSettings;
import io.pathsec.engine.pmtu.PmtuSource;
import io.pathsec.engine.pmtu.PmtuState;
import io.pathsec.engine.pmtu.tcpmss.TcpMssResponder;
import io.pathsec.engine.pmtu.tcpmss.TcpMssResult;
import io.pathsec.engine.pmtu.tcpmss.TcpMssSettings;
import io.pathsec.engine.pmtu.tcpmss.TcpMssStats;
import io.pathsec.engine.tun.LinuxInterfaceConfig;
import io.pathsec.engine.tun.LinuxTun;
import io.pathsec.engine.tunnel.RoutingSetup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A road-warrior gateway keyed by IKEv2: UDP 500 and the data path's UDP 4500 feed an
 * {@link IkeResponderTable} (one responder per client, found by SPI); all clients share one TUN
 * device, into which the virtual-address pool is routed. When a client's IKE SA and CHILD_SA are
 * up its SAs and SPD entries enter the data path ({@link GatewayClients}); they leave when the
 * client deletes its SA, its session ends, or the gateway closes (which deletes every IKE SA).
 */
public final class IkeGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IkeGateway.class);
    private static final int WORKERS = 2;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(3);
    private static final Duration HALF_OPEN_TIMEOUT = Duration.ofSeconds(30);

    private final IkeGatewayProfile profile;
    private final LinuxTun tun;
    private final RoutingSetup routing;
    private final TunnelPolicy policy;
    private final DataPath dataPath;
    private final UdpIkeTransport transport;
    private final ExecutorIkeScheduler scheduler;
    private final AddressPool pool;
    private final GatewayClients clients;
    private final IkeResponderTable sessions;
    private final ClientProbers probers;
    private IkeRelayCarrier icmpRelay;
    /** The TCP-MSS method's responder: its port is open only while a PathSec peer's IKE SA waits for it. */
    private final TcpMssResponder tcpMss;
    /** The last failed setups in words ("certificate not trusted: …"), newest last, for status views. */
    private final java.util.ArrayDeque<String> recentFailures = new java.util.ArrayDeque<>();
    private static final int RECENT_FAILURES = 16;

    private IkeGateway(IkeGatewayProfile profile, LinuxTun tun, RoutingSetup routing, TunnelPolicy policy,
                       DataPath dataPath, UdpIkeTransport transport, ExecutorIkeScheduler scheduler,
                       TcpMssSettings tcpMss, ClientListener listener) {
        this.profile = profile;
        this.tcpMss = new TcpMssResponder(profile.listenAddress(), tcpMss, RoutingSetup.FWMARK);
        this.tun = tun;
        this.routing = routing;
        this.policy = policy;
        this.dataPath = dataPath;
        this.transport = transport;
        this.scheduler = scheduler;
        AddressRange poolRange = profile.pool() == null ? null : AddressRange.parse(profile.pool());
        AddressRange pool6Range = profile.pool6() == null ? null : AddressRange.parse(profile.pool6());
        this.pool = poolRange == null && pool6Range == null ? null : new AddressPool(poolRange, pool6Range);
        List<AddressRange> pools = new ArrayList<>();
        for (AddressRange r : new AddressRange[] {poolRange, pool6Range}) {
            if (r != null) {
                pools.add(r);
            }
        }
        this.clients = new GatewayClients(profile.name(), policy, routing,
                new InetSocketAddress(profile.listenAddress(), 4500), pools, new GatewayClients.Watcher() {
                    @Override
                    public void joined(GatewayClient c) {
                        listener.connected(client(c));
                    }

                    @Override
                    public void left(GatewayClient c) {
                        listener.left(client(c));
                    }
                });
        // Narrow selectors when the profile has them (RFC 7296 §2.9: the responder offers only those).
        List<TrafficSelector> localTs = new ArrayList<>(
                io.pathsec.engine.tunnel.TrafficSelectorText.parseAll(profile.trafficSelectors()));
        for (String subnet : localTs.isEmpty() ? profile.protectedSubnets() : List.<String>of()) {
            AddressRange r = AddressRange.parse(subnet);
            localTs.add(TrafficSelector.range(r.low(), r.high()));
        }
        IkeResponderConfig config = new IkeResponderConfig(new InetSocketAddress(profile.listenAddress(), 500),
                profile.localIdentity(), profile.authenticator(), profile.ikeSuites(), profile.espTransforms(), localTs, pool,
                profile.timers(), profile.allowTransportMode(), profile.dns());
        this.probers = new ClientProbers(policy.pmtuSettings().dplpmtud());
        this.sessions = new IkeResponderTable(config, scheduler, transport, new SecureRandom(), new Events(),
                profile.cookieThreshold(), HALF_OPEN_TIMEOUT);
        sessions.useFragmentation(profile.fragmentation());
    }

    /**
     * Creates the TUN, routes the pool into it, binds UDP 500 and 4500 and starts answering.
     * On a local failure nothing is left behind.
     */
    public static IkeGateway start(IkeGatewayProfile profile) throws IOException {
        return start(profile, TcpMssSettings.OFF);
    }

    /** As {@link #start(IkeGatewayProfile)}, answering the TCP-MSS method as {@code tcpMss} says. */
    public static IkeGateway start(IkeGatewayProfile profile, TcpMssSettings tcpMss) throws IOException {
        return start(profile, tcpMss, PmtuSettings.fromProperties(System.getProperties()));
    }

    /** As above, with the path MTU settings of every SA towards the clients (DPLPMTUD probes them). */
    public static IkeGateway start(IkeGatewayProfile profile, TcpMssSettings tcpMss, PmtuSettings pmtuSettings)
            throws IOException {
        return start(profile, tcpMss, pmtuSettings, IcmpSettings.fromProperties(System.getProperties()),
                ClientListener.NONE);
    }

    /**
     * As above, with the profile's ICMP handling (docs/icmp.md), telling {@code listener} each
     * time a client's CHILD_SA enters the data path and each time a client leaves it (the
     * daemon's {@code gateway.client} events).
     */
    public static IkeGateway start(IkeGatewayProfile profile, TcpMssSettings tcpMss, PmtuSettings pmtuSettings,
                                   IcmpSettings icmpSettings, ClientListener listener) throws IOException {
        LinuxTun tun = LinuxTun.open(profile.tunName(), profile.tunMtu());
        RoutingSetup routing = new RoutingSetup(tun.name());
        ExecutorIkeScheduler scheduler = new ExecutorIkeScheduler("ike-gw-" + profile.name());
        UdpIkeTransport transport = null;
        DataPath dataPath = null;
        try {
            LinuxInterfaceConfig ifc = tun.config();
            ifc.quietIpv6(tun.name());
            ifc.up(tun.name());
            TunnelPolicy policy = new TunnelPolicy(new Spd(), new Sad(), WORKERS, 0, pmtuSettings,
                    java.time.Clock.systemUTC());
            // The profile's ICMP settings; decisions go to the log and the counters (docs/icmp.md).
            policy.icmp(TunnelIcmp.forTunnel(profile.name(), icmpSettings, policy, d -> { }));
            transport = UdpIkeTransport.bind(new InetSocketAddress(profile.listenAddress(), 500), scheduler);
            // Marked like a client's socket: host-to-host peers are policy-routed into the TUN.
            dataPath = DataPath.start(tun, policy, new InetSocketAddress(profile.listenAddress(), 4500), WORKERS,
                    RoutingSetup.FWMARK, transport);
            if (profile.pool() != null) {
                routing.addRoute(profile.pool(), null);
            }
            if (profile.pool6() != null) {
                routing.addRoute(profile.pool6(), null);
            }
            IkeGateway gw = new IkeGateway(profile, tun, routing, policy, dataPath, transport, scheduler, tcpMss,
                    listener);
            gw.icmpRelay = new IkeRelayCarrier(gw::peerSession, policy.icmp(), tun);
            policy.icmp().relay(gw.icmpRelay);
            policy.icmp().prober((sa, mtu) -> scheduler.execute(() -> gw.probeAfterDroppedTooBig(sa)));
            policy.icmp().explicitSa(new ExplicitSaCarrier(gw::peerSession,
                    policy.icmp().settings().queueLimit(), java.time.Clock.systemUTC()));
            transport.start(gw.sessions::receive, dataPath);
            LOG.info("gateway {} listening on {} (UDP 500, 4500), pool {}, protecting {}, TUN {}", profile.name(),
                    profile.listenAddress().getHostAddress(), profile.pool(), profile.protectedSubnets(), tun.name());
            return gw;
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

    /** On the IKE thread: the discard option dropped a Frag Needed about {@code sa}'s client; probe its path now. */
    private void probeAfterDroppedTooBig(SecurityAssociation sa) {
        GatewayClient client = clients.clients().stream().filter(c -> c.sas().contains(sa)).findFirst().orElse(null);
        io.pathsec.engine.icmp.DroppedTooBigProbe.confirm(client == null ? null : probers.prober(client.session()),
                sa.name());
    }

    /** The IKE session of the client that owns {@code sa}, as the explicit-sa and ike-relay options see it; null when gone. */
    private IcmpPeerSession peerSession(SecurityAssociation sa) {
        GatewayClient client = clients.clients().stream().filter(c -> c.sas().contains(sa)).findFirst().orElse(null);
        if (client == null) {
            return null;
        }
        IkeResponder session = client.session();
        return new IcmpPeerSession() {
            @Override
            public boolean speaksPathSec() {
                return session.peerSpeaksPathSec();
            }

            @Override
            public void execute(Runnable task) {
                scheduler.execute(task);
            }

            @Override
            public boolean relay(byte[] packet) {
                return session.relayIcmp(packet);
            }

            @Override
            public void createIcmpChildSa(java.util.function.Consumer<String> done) {
                session.createIcmpChildSa(done);
            }

            @Override
            public String peer() {
                return client.info().peerIdentity() + " at " + client.info().peer().getAddress().getHostAddress();
            }
        };
    }

    private final class Events implements IkeResponderTable.Events {
        @Override
        public void established(IkeResponder session, IkeSessionListener.Established info) {
            if (info.child() == null) {
                return; // IKE SA without a CHILD_SA (refused selectors or proposals): nothing to install
            }
            try {
                for (IkeResponder old : clients.add(session, info)) {
                    LOG.info("{} reconnected; deleting its previous IKE SA", info.peerIdentity());
                    old.close();
                }
                probeClient(session, info.child().outboundSpi());
                tcpMss.afterIkeAuth(session.peerSpeaksPathSec(), session::extensionKey, info.peer().getAddress(),
                        result -> {
                            if (result instanceof TcpMssResult.Measured m) {
                                m.applyTo(pmtuStatesOf(session));
                            }
                        });
            } catch (IOException | RuntimeException e) {
                LOG.error("cannot install the CHILD_SA of {}: {}", info.peerIdentity(), e.getMessage());
                clients.remove(session);
                session.close();
            }
        }

        @Override
        public void childSaInboundReady(IkeResponder session, ChildSa child) {
            clients.inboundReady(session, child);
        }

        @Override
        public void childSaOutboundActive(IkeResponder session, ChildSa child, ChildSa replaced) {
            clients.outboundActive(session, child);
            probeClient(session, child.outboundSpi());
        }

        @Override
        public void childSaDeleted(IkeResponder session, ChildSa child) {
            clients.childSaDeleted(session, child);
        }

        @Override
        public void childSaAdded(IkeResponder session, ChildSa child) {
            clients.added(session, child);
        }

        @Override
        public void icmpRelayed(IkeResponder session, byte[] packet) {
            clients.clients().stream().filter(c -> c.session() == session).findFirst().ifPresent(c ->
                    icmpRelay.received(packet, c.sas().stream()
                            .filter(sa -> sa.direction() == Direction.INBOUND).toList()));
        }

        @Override
        public void closed(IkeResponder session, IkeSessionException cause) {
            tcpMss.forget(session.initiatorSpi(), session.responderSpi());
            probers.stop(session);
            clients.remove(session);
            if (cause != null) {
                LOG.info("session ended: {}", cause.getMessage());
                synchronized (recentFailures) {
                    if (recentFailures.size() == RECENT_FAILURES) {
                        recentFailures.removeFirst();
                    }
                    recentFailures.addLast(cause.reason() + ": " + cause.getMessage());
                }
            }
        }
    }

    public IkeGatewayProfile profile() {
        return profile;
    }

    public String deviceName() {
        return tun.name();
    }

    public TunnelStats stats() {
        return dataPath.stats();
    }

    /** The connected clients (those with a CHILD_SA in the data path). */
    public List<Client> clients() {
        List<Client> out = new ArrayList<>();
        for (GatewayClient c : clients.clients()) {
            out.add(client(c));
        }
        return out;
    }

    private Client client(GatewayClient c) {
        return new Client(c.info().peerIdentity(), c.info().peer(), c.info().virtualAddress() == null ? null
                : c.info().virtualAddress().getHostAddress(), c.info().child().toString(),
                c.info().child().mode().name(), c.session().peerSpeaksPathSec(), c.sas(),
                pmtuStatesOf(c.session()),
                c.info().virtualAddress6() == null ? null : AddressRange.format(c.info().virtualAddress6()),
                String.valueOf(c.info().ikeSuite()));
    }

    /**
     * A connected client as status views show it; {@code pmtu}: the path MTU of each SA towards it;
     * {@code ikeSuite}: the IKE SA's negotiated algorithms.
     */
    public record Client(String identity, InetSocketAddress peer, String virtualIp, String childSa, String mode,
                         boolean speaksPathSec, List<SecurityAssociation> sas, List<PmtuState> pmtu, String virtualIp6,
                         String ikeSuite) {
    }

    /** Told when clients come and go; called on the gateway's IKE thread, so it must not block. */
    public interface ClientListener {
        ClientListener NONE = new ClientListener() {
            @Override
            public void connected(Client client) {
            }

            @Override
            public void left(Client client) {
            }
        };

        /** The client's IKE SA and first CHILD_SA are up and in the data path. */
        void connected(Client client);

        /** The client deleted its SAs, its session ended, it reconnected, or the gateway closes. */
        void left(Client client);
    }

    /** DPLPMTUD towards a client, for the PMTU state of the outbound SA {@code spi} (session thread). */
    private void probeClient(IkeResponder session, int spi) {
        if (!policy.pmtuSettings().enabled(PmtuSource.DPLPMTUD)) {
            return;
        }
        io.pathsec.engine.datapath.SaRuntime runtime = policy.outboundBySpi(spi);
        probers.probe(session, runtime == null ? null : runtime.pmtu());
    }

    /** The PMTU states of the outbound SAs towards one client. */
    private List<PmtuState> pmtuStatesOf(IkeResponder session) {
        List<PmtuState> states = new ArrayList<>();
        for (GatewayClient c : clients.clients()) {
            if (c.session() != session) {
                continue;
            }
            for (SecurityAssociation sa : c.sas()) {
                io.pathsec.engine.datapath.SaRuntime runtime = policy.outboundBySpi(sa.spi());
                if (runtime != null && runtime.sa() == sa) {
                    states.add(runtime.pmtu());
                }
            }
        }
        return states;
    }

    /** The TCP-MSS method's counters: exchanges completed, and connections refused by reason. */
    public TcpMssStats tcpMssStats() {
        return tcpMss.stats();
    }

    /** NAT-keepalives received from clients behind NATs (RFC 3948 §2.3). */
    public long natKeepalivesReceived() {
        return dataPath.natKeepalives();
    }

    /** IKE SAs with our SPI, half-open ones included. */
    /** ICMP decisions so far by outcome and reason (docs/icmp.md). */
    public java.util.Map<String, Long> icmpDecisions() {
        return policy.icmp().decisions().counts();
    }

    public int ikeSaCount() {
        return sessions.sessions().size();
    }

    /** Half-open IKE SAs and cookies sent (RFC 7296 §2.6), read on the session thread. */
    /** Why the last sessions ended badly (at most 16), oldest first: "REASON: words". */
    public List<String> recentFailures() {
        synchronized (recentFailures) {
            return List.copyOf(recentFailures);
        }
    }

    public long[] cookieCounters() {
        CompletableFuture<long[]> f = new CompletableFuture<>();
        scheduler.execute(() -> f.complete(new long[] {sessions.halfOpenCount(), sessions.cookiesSent()}));
        try {
            return f.get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            return new long[] {-1, -1};
        }
    }

    public List<SecurityAssociation> securityAssociations() {
        return policy.sad().all();
    }

    /** Deletes every IKE SA (their answers are not awaited long), then removes device, rules and sockets. */
    @Override
    public void close() {
        CompletableFuture<Void> deleted = new CompletableFuture<>();
        scheduler.execute(() -> {
            probers.stopAll();
            sessions.close();
            deleted.complete(null);
        });
        try {
            deleted.get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.debug("closing the sessions: {}", e.toString());
        }
        scheduler.close();
        tcpMss.close();
        transport.close();
        dataPath.close();
        routing.close();
        tun.close();
        LOG.info("gateway {} down", profile.name());
    }
}
