package io.pathsec.engine.tunnel;

import io.pathsec.engine.ike.session.ChildSa;
import io.pathsec.engine.ike.session.IkeSessionException;
import io.pathsec.engine.ike.session.IkeSessionListener.SetupExchange;
import io.pathsec.engine.ike.session.IkeSuite;

/**
 * What an {@link IkeTunnel} tells its owner as it happens (the daemon turns it into events).
 * Called on the tunnel's IKE thread: implementations must not block, and must not close the
 * tunnel from there.
 */
public interface IkeTunnelObserver {
    IkeTunnelObserver NONE = new IkeTunnelObserver() { };

    /** A setup request went out: how far a connect got. */
    default void setupExchangeSent(SetupExchange exchange, String detail) {
    }

    /** The first CHILD_SA is installed and carries traffic. */
    default void childSaUp(ChildSa child) {
    }

    /** {@code child} sends from now on instead of {@code replaced} (RFC 7296 §2.8). */
    default void childSaRekeyed(ChildSa child, ChildSa replaced) {
    }

    /** A CHILD_SA left the data path. */
    default void childSaDown(ChildSa child) {
    }

    default void ikeSaRekeyed(IkeSuite.Chosen suite) {
    }

    /** A decision about an ICMP error (docs/icmp.md); called on the data path: must not block. */
    default void icmpDecision(io.pathsec.engine.control.api.IcmpDecision decision) {
    }

    /** The session ended after it was established; null when we closed it. */
    default void sessionClosed(IkeSessionException cause) {
    }
}
