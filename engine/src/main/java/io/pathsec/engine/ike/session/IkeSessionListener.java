package io.pathsec.engine.ike.session;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/** What a session reports, on the session thread. Implementations must not block for long. */
public interface IkeSessionListener {

    /**
     * The IKE SA and its first CHILD_SA are up.
     *
     * @param virtualAddress the INTERNAL_IP4_ADDRESS the responder assigned, or null
     */
    record Established(String peerIdentity, IkeSuite.Chosen ikeSuite, InetSocketAddress local,
                       InetSocketAddress peer, boolean natTraversal, ChildSa child, InetAddress virtualAddress,
                       List<InetAddress> dns) {
        public Established {
            dns = List.copyOf(dns);
        }
    }

    void established(Established session);

    /** The peer deleted a CHILD_SA (its SAs must leave the data path). */
    default void childSaDeleted(ChildSa child) {
    }

    /** The session ended; {@code cause} is null when we closed it ourselves. */
    void closed(IkeSessionException cause);
}
