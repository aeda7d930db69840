package io.pathsec.engine.icmp;

import io.pathsec.engine.control.api.IcmpOutcome;
import io.pathsec.engine.policy.SecurityAssociation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The explicit-sa option (draft-ietf-ipsec-icmp-options-00 §5) at the sending gateway: the first
 * ICMP error that must cross to a peer starts the negotiation of the ICMP CHILD_SA with it and
 * waits, with later ones, in a bounded queue; once the SA is up the queue is released to the data
 * path, whose SPD now finds the SA (its reader thread takes them with {@link #nextReleased}).
 * A failed negotiation drops what waited and is retried only after {@link #RETRY_MILLIS}.
 */
public final class ExplicitSaCarrier implements IcmpCarrier {
    private static final Logger LOG = LoggerFactory.getLogger(ExplicitSaCarrier.class);
    static final long RETRY_MILLIS = 30_000;

    private enum Phase { NEGOTIATING, UP, FAILED }

    private static final class PeerState {
        Phase phase;
        long failedAt;
        final Queue<byte[]> waiting = new ArrayDeque<>();
    }

    private final IcmpPeerSession.Lookup sessions;
    private final int limit;
    private final Clock clock;
    private final Map<String, PeerState> peers = new HashMap<>();
    private final Queue<byte[]> released = new ConcurrentLinkedQueue<>();

    public ExplicitSaCarrier(IcmpPeerSession.Lookup sessions, int limit, Clock clock) {
        this.sessions = sessions;
        this.limit = limit;
        this.clock = clock;
    }

    @Override
    public synchronized Result carry(byte[] packet, IcmpErrorMessage message, SecurityAssociation dataSa) {
        IcmpPeerSession s = sessions.sessionFor(dataSa);
        if (s == null) {
            return new Result(IcmpOutcome.DROPPED, null, "no-sa-for-quoted-flow", "dropped because the SA's IKE session is gone");
        }
        PeerState p = peers.computeIfAbsent(s.peer(), k -> new PeerState());
        if (p.phase == Phase.UP) {
            // The SPD would have found the ICMP SA if it admitted this error.
            return new Result(IcmpOutcome.DROPPED, null, "icmp-sa-failed",
                    "dropped because the ICMP CHILD_SA with " + s.peer() + " does not admit it");
        }
        if (p.phase == Phase.FAILED && clock.millis() - p.failedAt < RETRY_MILLIS) {
            return new Result(IcmpOutcome.DROPPED, null, "icmp-sa-failed",
                    "dropped because the ICMP CHILD_SA with " + s.peer() + " could not be negotiated (retry later)");
        }
        if (p.waiting.size() >= limit) {
            return new Result(IcmpOutcome.DROPPED, null, "queue-full",
                    "dropped because " + limit + " errors already wait for the ICMP CHILD_SA");
        }
        p.waiting.add(packet);
        if (p.phase != Phase.NEGOTIATING) {
            p.phase = Phase.NEGOTIATING;
            s.execute(() -> s.createIcmpChildSa(why -> finished(s.peer(), why)));
        }
        return new Result(IcmpOutcome.QUEUED, null, null,
                "queued until the ICMP CHILD_SA with " + s.peer() + " is up (" + p.waiting.size() + " waiting)");
    }

    private synchronized void finished(String peer, String why) {
        PeerState p = peers.get(peer);
        if (p == null || p.phase != Phase.NEGOTIATING) {
            return;
        }
        if (why == null) {
            p.phase = Phase.UP;
            LOG.info("ICMP CHILD_SA with {} is up; sending the {} ICMP errors that waited", peer, p.waiting.size());
            released.addAll(p.waiting);
        } else {
            p.phase = Phase.FAILED;
            p.failedAt = clock.millis();
            LOG.warn("ICMP CHILD_SA with {} not negotiated ({}); {} waiting ICMP errors dropped", peer, why,
                    p.waiting.size());
        }
        p.waiting.clear();
    }

    /** The peer's ICMP CHILD_SA is gone (deleted): the next error negotiates a new one. */
    public synchronized void forget(String peer) {
        peers.remove(peer);
    }

    /** An error whose ICMP CHILD_SA is up, for the data path to send; null when none waits. */
    public byte[] nextReleased() {
        return released.poll();
    }
}
