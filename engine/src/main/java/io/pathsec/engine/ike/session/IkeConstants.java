package io.pathsec.engine.ike.session;

import java.time.Duration;

/** The protocol constants of the session layer in one place: timers, limits, ports. */
final class IkeConstants {
    /** IKE's well-known port and the NAT-T port (RFC 7296 §2.23, RFC 3948). */
    static final int IKE_PORT = 500;
    static final int NAT_T_PORT = 4500;

    /**
     * First retransmission timeout; it doubles with each try (RFC 7296 §2.1 asks for
     * exponential back-off). Six sends wait 1+2+4+8+16+32 = 63 s in all before giving up.
     */
    static final Duration RETRANSMIT_INITIAL = Duration.ofSeconds(1);
    static final int RETRANSMIT_SENDS = 6;

    /** Our nonces: 32 octets, at least half the key size of every PRF we offer (§2.10). */
    static final int NONCE_LENGTH = 32;

    /** How often an IKE_SA_INIT may be restarted for INVALID_KE_PAYLOAD or COOKIE (§1.2, §2.6). */
    static final int MAX_INIT_RESTARTS = 3;

    /** How long a delete we send waits for its answer before the SA is dropped anyway (§1.4.1). */
    static final int DELETE_SENDS = 2;

    /**
     * Half-open IKE SAs (IKE_SA_INIT answered, no IKE_AUTH yet) a gateway keeps before it asks
     * every new initiator for a cookie (§2.6), and how long one may stay half-open.
     */
    static final int COOKIE_THRESHOLD = 32;
    static final Duration HALF_OPEN_TIMEOUT = Duration.ofSeconds(30);
    /** Beyond this many half-open SAs new IKE_SA_INIT requests without a valid cookie are dropped. */
    static final int MAX_HALF_OPEN = 4096;

    private IkeConstants() {
    }
}
