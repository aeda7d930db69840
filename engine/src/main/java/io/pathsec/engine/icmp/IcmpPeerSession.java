package io.pathsec.engine.icmp;

import io.pathsec.engine.policy.SecurityAssociation;

import java.util.function.Consumer;

/**
 * The IKE session with one peer, as the explicit-sa and ike-relay options need it. Implemented by
 * the IKE client tunnel (one peer) and the gateway (one per client).
 */
public interface IcmpPeerSession {
    /** Finds the session that owns an outbound SA; null when it is gone. */
    interface Lookup {
        IcmpPeerSession sessionFor(SecurityAssociation outboundSa);
    }

    /** Whether the peer sent the PathSec Vendor ID. */
    boolean speaksPathSec();

    /** Runs {@code task} on the session's thread. */
    void execute(Runnable task);

    /** On the session thread: sends the packet in an INFORMATIONAL; false when refused. */
    boolean relay(byte[] packet);

    /** On the session thread: negotiates the ICMP CHILD_SA; {@code done} gets null when up, else why not. */
    void createIcmpChildSa(Consumer<String> done);

    /** The peer in words, for the log. */
    String peer();
}
