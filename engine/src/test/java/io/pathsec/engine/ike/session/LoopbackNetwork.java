package io.pathsec.engine.ike.session;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

/**
 * Two IKE endpoints joined in memory: what one side sends is queued and delivered to the other
 * by {@link #pump}, unless the drop filter swallows it. Records everything sent.
 */
final class LoopbackNetwork {
    private static final int MAX_DELIVERIES = 1000;

    /** One datagram on the wire. */
    record Datagram(boolean fromInitiator, byte[] message, InetSocketAddress to, boolean natTraversal) {
    }

    interface Endpoint {
        void receive(byte[] message, InetSocketAddress from, boolean natTraversal);
    }

    final InetSocketAddress initiatorAddress;
    final InetSocketAddress responderAddress;
    private final Deque<Datagram> inFlight = new ArrayDeque<>();
    final List<Datagram> sent = new ArrayList<>();
    /** Where NAT-keepalives were sent to (RFC 3948 §2.3); they are not delivered. */
    final List<InetSocketAddress> keepalives = new ArrayList<>();
    Predicate<Datagram> drop = d -> false;
    Endpoint initiator = (m, f, n) -> { };
    Endpoint responder = (m, f, n) -> { };

    LoopbackNetwork(InetSocketAddress initiatorAddress, InetSocketAddress responderAddress) {
        this.initiatorAddress = initiatorAddress;
        this.responderAddress = responderAddress;
    }

    IkeTransport transport(boolean ofInitiator) {
        return new IkeTransport() {
            @Override
            public void send(byte[] message, InetSocketAddress to, boolean natT) {
                Datagram d = new Datagram(ofInitiator, message.clone(), to, natT);
                sent.add(d);
                if (!drop.test(d)) {
                    inFlight.add(d);
                }
            }

            @Override
            public void sendNatKeepalive(InetSocketAddress to) {
                keepalives.add(to);
            }
        };
    }

    /** Delivers queued datagrams (and what the answers cause) until nothing is in flight. */
    void pump(ManualIkeScheduler scheduler) {
        for (int i = 0; i < MAX_DELIVERIES; i++) {
            scheduler.runDue();
            Datagram d = inFlight.poll();
            if (d == null) {
                return;
            }
            int port = d.natTraversal ? IkeConstants.NAT_T_PORT : IkeConstants.IKE_PORT;
            if (d.fromInitiator) {
                responder.receive(d.message, new InetSocketAddress(initiatorAddress.getAddress(), port), d.natTraversal);
            } else {
                initiator.receive(d.message, new InetSocketAddress(responderAddress.getAddress(), port), d.natTraversal);
            }
        }
        throw new IllegalStateException("more than " + MAX_DELIVERIES + " datagrams: a message loop");
    }

    /** Hands a datagram straight to the initiator, as if it came from the responder's port 500. */
    void injectToInitiator(byte[] message) {
        initiator.receive(message, responderAddress, false);
    }
}
