package io.pathsec.engine.pmtu;

import io.netty.buffer.ByteBuf;

/**
 * Detects a PMTU black hole from the inside, without probes (DESIGN.md "Path MTU", source 4):
 * when large ESP packets vanish on the path and no ICMP comes back, the inner TCP senders
 * retransmit full-size segments into silence. Two rules, each needing no valid ICMP for the SA
 * within the window:
 * <ol>
 *   <li><b>The first timeout retransmission of a whole flight.</b> Per flow, the highest sequence
 *       number sent so far is kept, and since when the peer has sent nothing. A full-size segment
 *       that starts at least {@link #MIN_FLIGHT_SEGMENTS} segments below it resends the oldest
 *       unacknowledged data; when nothing at all has come from the peer for at least
 *       {@link #MIN_SILENCE_MILLIS}, and for longer than it usually stays quiet (a delay that
 *       grew makes timers fire spuriously), it is the sender's retransmission timeout firing
 *       into silence (RFC 6298 §5.4) after a whole flight vanished: the black hole. Ordinary loss
 *       does not look like this: a fast retransmit follows duplicate ACKs and SACKs (RFC 5681
 *       §3.2), which arrive; a tail loss probe resends the last segment, near the top (RFC 8985
 *       §7.3); one lost segment of an idle flow has no flight behind it.</li>
 *   <li><b>The same full-size segment seen again</b> (same flow and sequence number) {@code
 *       retransmissions} times within the window — or already the second time when nothing at
 *       all has arrived from the peer since the first. This catches what the first rule cannot
 *       see (a flow whose start it missed, a peer that keeps talking on other flows).</li>
 * </ol>
 * Neither counts while the peer's packets wait unread in our own socket (the engine, not the path,
 * was held up). Then the SA falls to BASE_PLPMTU at once (RFC 8899 §4.3), and the caller answers that very
 * packet with Packet Too Big so the sender shrinks without waiting for its next timeout. Since it
 * is a heuristic (a path that fails altogether looks alike for a moment), DPLPMTUD then confirms
 * the base and probes the size that vanished first, restoring it at once if it passes.
 *
 * <p>Runs on the outbound reader thread only. Small direct-mapped tables of flows and of recent
 * full-size segments, no allocation per packet; a collision only forgets a candidate.
 */
public final class BlackHoleDetector {
    private static final int SLOTS = 256;
    private static final int FLOW_SLOTS = 64;
    /** Segments this close to the effective MTU count as full-size (timestamps, SACK vary the headers). */
    static final int NEAR_FULL_SIZE = 64;
    /**
     * Silence before a retransmission counts: a little under Linux's smallest retransmission
     * timeout (TCP_RTO_MIN, 200 ms; RFC 6298 §2.4 allows less than its 1 s), so that a timeout
     * always qualifies. Earlier resends are tail loss probes or fast retransmits.
     */
    static final long MIN_SILENCE_MILLIS = 180;
    /** A retransmission this many segments below the highest sent: a flight, not one segment. */
    static final int MIN_FLIGHT_SEGMENTS = 3;
    private static final int TCP = 6;

    private final int retransmissions;
    private final long windowMillis;
    private final long[] keys = new long[SLOTS];
    private final int[] counts = new int[SLOTS];
    private final long[] firstSeen = new long[SLOTS];
    private final long[] inboundAtFirst = new long[SLOTS];
    private final long[] flowKeys = new long[FLOW_SLOTS];
    /** The end of the highest data sent per flow (a TCP sequence number, compared mod 2^32). */
    private final int[] flowHighest = new int[FLOW_SLOTS];
    /** When this detector first saw the flow. */
    private final long[] flowStarted = new long[FLOW_SLOTS];

    /** Whether the peer's packets wait unread in our socket (the engine was held up, not the path). */
    private final java.util.function.BooleanSupplier inboundPending;

    public BlackHoleDetector(PmtuSettings settings) {
        this(settings, () -> false);
    }

    /** @param inboundPending whether datagrams wait unread on the outer socket ({@link SocketReceiveQueue}) */
    public BlackHoleDetector(PmtuSettings settings, java.util.function.BooleanSupplier inboundPending) {
        this.retransmissions = settings.blackHoleRetransmissions();
        this.windowMillis = settings.blackHoleWindow().toMillis();
        this.inboundPending = inboundPending;
    }

    /**
     * Looks at one outbound inner packet (readable bytes) that fits the SA's effective MTU and
     * is about to be sent. Every TCP data segment moves its flow's highest sequence number; only
     * full-size ones can complete a detection.
     *
     * @return the event when this packet completed a detection (the PLPMTU is now the base), else null
     */
    public BlackHoleEvent observe(ByteBuf packet, PmtuState state) {
        int start = packet.readerIndex();
        int length = packet.readableBytes();
        int version = packet.getUnsignedByte(start) >> 4;
        int l4;
        long addresses;
        if (version == 4 && length >= 40) {
            if (packet.getUnsignedByte(start + 9) != TCP || (packet.getUnsignedShort(start + 6) & 0x3fff) != 0) {
                return null;
            }
            l4 = start + (packet.getUnsignedByte(start) & 0x0f) * 4;
            addresses = packet.getLong(start + 12);
        } else if (version == 6 && length >= 60) {
            if (packet.getUnsignedByte(start + 6) != TCP) {
                return null;
            }
            l4 = start + 40;
            addresses = packet.getLong(start + 8) ^ packet.getLong(start + 16) * 31
                    ^ packet.getLong(start + 24) * 961 ^ packet.getLong(start + 32) * 29791;
        } else {
            return null;
        }
        int end = start + length;
        if (l4 + 20 > end) {
            return null;
        }
        int dataOffset = (packet.getUnsignedByte(l4 + 12) >> 4) * 4;
        int payload = end - l4 - dataOffset;
        if (payload <= 0) {
            return null; // no data: an ACK, not a retransmission
        }
        long ports = packet.getUnsignedInt(l4);
        int sequence = packet.getInt(l4 + 4);
        long flow = mix(addresses ^ (ports * 0x9E3779B97F4A7C15L));
        long now = state.clock().millis();
        boolean fullSize = length >= state.effectiveMtu() - NEAR_FULL_SIZE && length > state.effectiveMtuAt(state.base());
        boolean flightLost = flightRetransmittedIntoSilence(flow, sequence, payload, now, state) && fullSize;
        if (!fullSize) {
            return null;
        }
        if (!flightLost && !sameSegmentAgain(mix(flow ^ (sequence & 0xFFFF_FFFFL)), now, state)) {
            return null;
        }
        // Nor is a silence the engine made itself: held up, it finds the peer's packets still
        // waiting unread in the socket (asked last: a system call, only for a suspect).
        if (state.icmpSeenWithinMillis(windowMillis) || inboundPending.getAsBoolean()) {
            return null;
        }
        java.util.Arrays.fill(counts, 0);
        return state.blackHole(length);
    }

    /**
     * Rule 1: moves the flow's highest sequence number, or tells whether this segment resends the
     * oldest data of a whole flight after a silence of the peer (since the flow started, if it
     * never answered) of at least {@link #MIN_SILENCE_MILLIS} and longer than it usually is quiet
     * ({@link PmtuState#usualQuietMillis}): on a slow, queueing path the sender's timer may fire
     * spuriously (RFC 6298 §5, a retransmission timeout shorter than the delay), with ACKs still
     * on their way — no black hole.
     */
    private boolean flightRetransmittedIntoSilence(long flow, int sequence, int payload, long now, PmtuState state) {
        int slot = (int) (flow ^ (flow >>> 32)) & (FLOW_SLOTS - 1);
        int segmentEnd = sequence + payload;
        if (flowKeys[slot] != flow) {
            flowKeys[slot] = flow;
            flowHighest[slot] = segmentEnd;
            flowStarted[slot] = now;
            return false;
        }
        if (segmentEnd - flowHighest[slot] > 0) { // RFC 9293 §3.4: sequence numbers compare mod 2^32
            flowHighest[slot] = segmentEnd;
            return false;
        }
        long quietSince = Math.max(state.lastInboundMillis(), flowStarted[slot]);
        return flowHighest[slot] - sequence >= MIN_FLIGHT_SEGMENTS * payload
                && now - quietSince >= Math.max(MIN_SILENCE_MILLIS, state.usualQuietMillis());
    }

    /** Rule 2: the same full-size segment seen again, often enough or into silence. */
    private boolean sameSegmentAgain(long key, long now, PmtuState state) {
        int slot = (int) (key ^ (key >>> 32)) & (SLOTS - 1);
        if (keys[slot] == key && now - firstSeen[slot] <= windowMillis) {
            counts[slot]++;
        } else {
            keys[slot] = key;
            counts[slot] = 1;
            firstSeen[slot] = now;
            inboundAtFirst[slot] = state.inboundPackets();
            return false;
        }
        boolean silentPeer = state.inboundPackets() == inboundAtFirst[slot];
        return counts[slot] >= retransmissions || silentPeer;
    }

    private static long mix(long z) {
        // SplitMix64's finaliser: spreads the bits so that the slot index is well distributed.
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
