package io.pathsec.engine.ike.session;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/** What a session reports, on the session thread. Implementations must not block for long. */
public interface IkeSessionListener {

    /**
     * The IKE SA and its first CHILD_SA are up.
     *
     * @param virtualAddress  the INTERNAL_IP4_ADDRESS the responder assigned, or null
     * @param virtualAddress6 the INTERNAL_IP6_ADDRESS the responder assigned, or null
     * @param subnets         the INTERNAL_IP4_SUBNET / INTERNAL_IP6_SUBNET prefixes it announced (§3.15.2)
     */
    record Established(String peerIdentity, IkeSuite.Chosen ikeSuite, InetSocketAddress local,
                       InetSocketAddress peer, boolean natTraversal, ChildSa child, InetAddress virtualAddress,
                       List<InetAddress> dns, InetAddress virtualAddress6, List<String> subnets) {
        public Established {
            dns = List.copyOf(dns);
            subnets = List.copyOf(subnets);
        }

        /** An IPv4-only session. */
        public Established(String peerIdentity, IkeSuite.Chosen ikeSuite, InetSocketAddress local,
                           InetSocketAddress peer, boolean natTraversal, ChildSa child, InetAddress virtualAddress,
                           List<InetAddress> dns) {
            this(peerIdentity, ikeSuite, local, peer, natTraversal, child, virtualAddress, dns, null, List.of());
        }
    }

    void established(Established session);

    /** The exchanges of setting up an IKE SA, in order (RFC 7296 §1.2). */
    enum SetupExchange {
        IKE_SA_INIT,
        IKE_AUTH
    }

    /**
     * A setup exchange's request went out (again, after a COOKIE or INVALID_KE_PAYLOAD answer),
     * so a user can see how far a connect got before it stalls.
     *
     * @param detail the request in words: peer, SPI, key exchange group
     */
    default void setupExchangeSent(SetupExchange exchange, String detail) {
    }

    /**
     * A new CHILD_SA (a rekey's replacement) must start accepting packets now: the first step of
     * make-before-break (RFC 7296 §2.8). Its outbound SA is not used yet.
     */
    default void childSaInboundReady(ChildSa child) {
    }

    /**
     * Send with {@code child} from now on instead of {@code replaced} (§2.8), in one step. The
     * replaced SA's inbound half stays until {@link #childSaDeleted}.
     */
    default void childSaOutboundActive(ChildSa child, ChildSa replaced) {
    }

    /**
     * A CHILD_SA is gone (deleted by either side, or retired after a rekey and a grace period):
     * whatever of it is still installed must leave the data path.
     */
    default void childSaDeleted(ChildSa child) {
    }

    /** The IKE SA was rekeyed (§1.3.2); its CHILD_SAs carry on unchanged. */
    default void ikeSaRekeyed(IkeSuite.Chosen suite) {
    }

    /**
     * An additional CHILD_SA (not a rekey: the explicit ICMP SA) carries traffic now: install its
     * outbound SA and its SPD entries beside the others. {@link #childSaInboundReady} came first.
     */
    default void childSaAdded(ChildSa child) {
    }

    /**
     * The peer relayed an ICMP error to us in an INFORMATIONAL exchange (the ike-relay option,
     * {@link IcmpRelay}): the whole IP packet, not yet checked against any SA.
     */
    default void icmpRelayed(byte[] packet) {
    }

    /** The session ended; {@code cause} is null when we closed it ourselves. */
    void closed(IkeSessionException cause);
}
