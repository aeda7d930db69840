package io.pathsec.engine.gateway;

import io.pathsec.engine.datapath.TunnelPolicy;
import io.pathsec.engine.ike.message.TrafficSelector;
import io.pathsec.engine.ike.session.ChildSa;
import io.pathsec.engine.ike.session.IkeResponder;
import io.pathsec.engine.ike.session.IkeSessionListener;
import io.pathsec.engine.policy.AddressRange;
import io.pathsec.engine.policy.Direction;
import io.pathsec.engine.policy.SecurityAssociation;
import io.pathsec.engine.policy.Selector;
import io.pathsec.engine.policy.SpdEntry;
import io.pathsec.engine.tunnel.IkeTunnel;
import io.pathsec.engine.tunnel.RoutingSetup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The data-path side of a gateway's clients (RFC 4301 §4.4): for each CHILD_SA its inbound SA
 * (found by SPI) and outbound SA, an SPD entry per selector pair whose remote side is the client's
 * virtual address (so the outbound lookup picks the right client on the one shared TUN), and for
 * host-to-host peers a policy route to their outer address. Removing a client undoes all of it.
 *
 * <p>Called on the IKE scheduler's thread; {@link #clients()} may be read from any thread.
 */
final class GatewayClients {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayClients.class);
    private static final int REPLAY_WINDOW = 1024;
    private static final int NAT_T_PORT = 4500;

    private final String name;
    private final TunnelPolicy policy;
    private final RoutingSetup routing;
    private final InetSocketAddress localEndpoint;
    private final List<AddressRange> pools;
    private final Map<IkeResponder, GatewayClient> clients = new ConcurrentHashMap<>();
    private final Watcher watcher;

    /** Told when a client enters the data path and when it leaves it (on the IKE scheduler's thread; must not block). */
    interface Watcher {
        void joined(GatewayClient c);

        void left(GatewayClient c);
    }

    GatewayClients(String name, TunnelPolicy policy, RoutingSetup routing, InetSocketAddress localEndpoint,
                   List<AddressRange> pools, Watcher watcher) {
        this.watcher = watcher;
        this.name = name;
        this.policy = policy;
        this.routing = routing;
        this.localEndpoint = localEndpoint;
        this.pools = List.copyOf(pools);
    }

    /**
     * Installs a client's CHILD_SA. Earlier sessions of the same identity (or holding the same
     * virtual address) are removed and returned to be deleted: the peer reconnected and its old
     * SAs are stale (INITIAL_CONTACT, RFC 7296 §2.4).
     */
    List<IkeResponder> add(IkeResponder session, IkeSessionListener.Established info) throws IOException {
        ChildSa child = info.child();
        List<IkeResponder> replaced = new ArrayList<>();
        for (GatewayClient c : clients.values()) {
            boolean sameAddress = info.virtualAddress() != null && info.virtualAddress().equals(c.info().virtualAddress());
            if (c.session() != session && (sameAddress || info.peerIdentity().equals(c.info().peerIdentity()))) {
                replaced.add(c.session());
                remove(c.session());
            }
        }
        String binding = name + "-" + String.format("%016x", session.responderSpi());
        List<Selector> selectors = IkeTunnel.selectors(child);
        // ESP is UDP-encapsulated towards the port the client's IKE came from (RFC 3948, NAT-T).
        InetSocketAddress peer = info.peer().getPort() == 500
                ? new InetSocketAddress(info.peer().getAddress(), NAT_T_PORT) : info.peer();
        List<SecurityAssociation> sas = List.of(
                sa(binding, child.inboundSpi(), Direction.INBOUND, child, child.inboundKey(), peer, selectors),
                sa(binding, child.outboundSpi(), Direction.OUTBOUND, child, child.outboundKey(), peer, selectors));
        List<SpdEntry> entries = new ArrayList<>();
        for (int i = 0; i < selectors.size(); i++) {
            entries.add(SpdEntry.protect(binding + "-" + i, 0, selectors.get(i), binding));
        }
        policy.install(sas);
        List<String> policyRoutes = new ArrayList<>();
        for (TrafficSelector remote : child.remoteTs()) {
            for (String prefix : IkeTunnel.prefixes(remote.startAddress(), remote.endAddress())) {
                AddressRange range = AddressRange.parse(prefix);
                byte[] outer = info.peer().getAddress().getAddress();
                if (pools.stream().anyMatch(p -> p.contains(range.low()) && p.contains(range.high()))) {
                    continue; // the pool's route already leads into the TUN
                }
                if (range.contains(outer, outer.length)) {
                    // Host-to-host: the peer's outer address is inside; only unmarked packets may
                    // take the TUN, or our own ESP would loop into it (DESIGN.md, Routing).
                    routing.addPolicyRoute(prefix, localEndpoint.getAddress());
                    policyRoutes.add(prefix);
                } else {
                    routing.addRoute(prefix, null);
                }
            }
        }
        GatewayClient added = new GatewayClient(session, info, binding, peer, selectors, sas, entries, policyRoutes);
        clients.put(session, added);
        rebuildSpd();
        watcher.joined(added);
        LOG.info("client {} at {}: virtual IP {}, {}", info.peerIdentity(), info.peer(),
                info.virtualAddress() == null ? "none" : info.virtualAddress().getHostAddress(), child);
        return replaced;
    }

    /** Removes a client's SAs, SPD entries and routes; nothing when it had none. */
    void remove(IkeResponder session) {
        GatewayClient c = clients.remove(session);
        if (c == null) {
            return;
        }
        rebuildSpd();
        for (SecurityAssociation sa : c.sas()) {
            policy.remove(sa);
        }
        for (String prefix : c.policyRoutes()) {
            routing.removeRoute(prefix, true);
        }
        watcher.left(c);
        LOG.info("client {} at {} removed", c.info().peerIdentity(), c.info().peer());
    }

    /** A rekey's new CHILD_SA starts receiving before anyone sends on it (make before break, RFC 7296 §2.8). */
    void inboundReady(IkeResponder session, ChildSa child) {
        GatewayClient c = clients.get(session);
        if (c == null) {
            return;
        }
        SecurityAssociation in = sa(binding(c, child), child.inboundSpi(), Direction.INBOUND, child, child.inboundKey(),
                c.peer(), child.carriesOnlyIcmp() ? IkeTunnel.selectors(child) : c.selectors());
        policy.addInbound(in);
        clients.put(session, c.withSas(plus(c.sas(), in)));
    }

    /** We send with the rekey's new CHILD_SA from now on: one switch of the client's outbound binding (§2.8). */
    void outboundActive(IkeResponder session, ChildSa child) {
        GatewayClient c = clients.get(session);
        if (c == null) {
            return;
        }
        SecurityAssociation out = sa(binding(c, child), child.outboundSpi(), Direction.OUTBOUND, child,
                child.outboundKey(), c.peer(), child.carriesOnlyIcmp() ? IkeTunnel.selectors(child) : c.selectors());
        policy.replaceOutbound(out);
        clients.put(session, c.withSas(plus(c.sas(), out)));
        LOG.info("client {}: sending with {}", c.info().peerIdentity(), child);
    }

    /** A CHILD_SA is gone (deleted, or retired after a rekey): its SAs leave; the client with its last one. */
    void childSaDeleted(IkeResponder session, ChildSa child) {
        GatewayClient c = clients.get(session);
        if (c == null) {
            return;
        }
        List<SecurityAssociation> left = new ArrayList<>();
        for (SecurityAssociation sa : c.sas()) {
            boolean ofChild = sa.direction() == Direction.INBOUND ? sa.spi() == child.inboundSpi()
                    : sa.spi() == child.outboundSpi();
            if (ofChild) {
                policy.remove(sa); // a no-op for an outbound SA a newer one already replaced
            } else {
                left.add(sa);
            }
        }
        if (left.stream().noneMatch(sa -> sa.direction() == Direction.INBOUND)) {
            remove(session);
        } else {
            clients.put(session, c.withSas(left));
        }
    }

    /**
     * An additional CHILD_SA (the explicit ICMP SA) sends from now on: its outbound SA under its
     * own binding, and SPD entries for its selectors after the client's data entries.
     */
    void added(IkeResponder session, ChildSa child) {
        GatewayClient c = clients.get(session);
        if (c == null || !child.carriesOnlyIcmp()) {
            return;
        }
        String binding = binding(c, child);
        List<Selector> icmp = IkeTunnel.selectors(child);
        SecurityAssociation out = sa(binding, child.outboundSpi(), Direction.OUTBOUND, child, child.outboundKey(),
                c.peer(), icmp);
        policy.install(List.of(out));
        List<SpdEntry> entries = new ArrayList<>(c.spdEntries());
        for (int i = 0; i < icmp.size(); i++) {
            entries.add(SpdEntry.protect(binding + "-" + i, 0, icmp.get(i), binding));
        }
        clients.put(session, new GatewayClient(c.session(), c.info(), c.binding(), c.peer(), c.selectors(),
                plus(c.sas(), out), entries, c.policyRoutes()));
        rebuildSpd();
        LOG.info("client {}: ICMP CHILD_SA {} installed", c.info().peerIdentity(), child);
    }

    /** The explicit ICMP SA has its own binding, so it never replaces the data SA's outbound SA. */
    private static String binding(GatewayClient c, ChildSa child) {
        return child.carriesOnlyIcmp() ? c.binding() + "-icmp" : c.binding();
    }

    private static List<SecurityAssociation> plus(List<SecurityAssociation> list, SecurityAssociation sa) {
        List<SecurityAssociation> out = new ArrayList<>(list);
        out.add(sa);
        return out;
    }

    List<GatewayClient> clients() {
        return List.copyOf(clients.values());
    }

    private void rebuildSpd() {
        List<SpdEntry> all = new ArrayList<>();
        for (GatewayClient c : clients.values()) {
            all.addAll(c.spdEntries());
        }
        policy.policies(all);
    }

    private SecurityAssociation sa(String binding, int spi, Direction direction, ChildSa child, byte[] key,
                                   InetSocketAddress peer, List<Selector> selectors) {
        return SecurityAssociation.builder().name(binding).spi(spi).direction(direction)
                .transform(child.esp().transform().ikeName()).key(key).mode(child.mode())
                .localEndpoint(localEndpoint).remoteEndpoint(peer).udpEncapsulation(true)
                .extendedSequenceNumbers(child.esp().extendedSequenceNumbers())
                .replayWindow(direction == Direction.INBOUND ? REPLAY_WINDOW : 0)
                .selectors(selectors).build();
    }
}
