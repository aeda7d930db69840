package io.pathsec.engine.pmtu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.function.BooleanSupplier;

/**
 * Detects a PMTU black hole from the inside, without probes (DESIGN.md "Path MTU", source 4):
 * when large ESP packets vanish on the path and no ICMP comes back, the inner TCP senders
 * retransmit the same full-size segment again and again. Seeing one segment (same flow, same
 * sequence number, size near the SA's effective MTU) {@code retransmissions} times within the
 * window, with no valid ICMP for the SA meanwhile, is taken as the black hole — or already the
 * second time, when nothing at all has arrived from the peer since the first (the sender's
 * retransmission timer fired into silence: with random loss, duplicate ACKs or ACKs for the
 * rest of the flight would have come back). Neither while the peer's packets wait unread in our
 * own outer socket ({@link SocketReceiveQueue}): then the engine, not the path, was held up.
 * Then the SA falls to BASE_PLPMTU at once (RFC 8899 §4.3), and the caller answers that very
 * packet with Packet Too Big so the sender shrinks without waiting for its next timeout.
 *
 * <p>Where the SA has a DPLPMTUD prober ({@link PmtuState#blackHoleCheck}), the detector first
 * raises a suspicion and the prober decides: each time a full-size segment
 * is sent again (from the sender's first retransmission timeout on, or a fast retransmission),
 * told by its sequence number lying behind the highest its flow has sent, with no ICMP, the
 * prober is asked to check the PLPMTU at once, with a copy of that segment. It
 * takes one check at a time and not too often; its verdict has evidence the rule lacks (a probe
 * lost while small messages pass), so loss of another kind (a peer dropping packets under load)
 * raises no false alarm. If the check finds the black hole, the copy is answered with Packet Too
 * Big ({@link LateTooBig}): its sequence number is still unacknowledged, so the sender's TCP takes
 * the new MTU and resends at once (Linux: tcp_simple_retransmit) instead of backing off again.
 * The rule above still applies then, without its shortcut for a silent peer (the check's to
 * judge): a hole beyond the tunnel's far end, whose ICMP is discarded there, passes the check of
 * the outer path, and only the count of retransmissions finds it.
 *
 * <p>Runs on the outbound reader thread only. Small direct-mapped tables of recent full-size
 * segments and of flows, no allocation per packet; a collision only forgets a candidate.
 */
public final class BlackHoleDetector {
    private static final int SLOTS = 256;
    /** Segments this close to the effective MTU count as full-size (timestamps, SACK vary the headers). */
    static final int NEAR_FULL_SIZE = 64;
    private static final int TCP = 6;

    private final int retransmissions;
    private final long windowMillis;
    private final long[] keys = new long[SLOTS];
    private final int[] counts = new int[SLOTS];
    private final long[] firstSeen = new long[SLOTS];
    private final long[] inboundAtFirst = new long[SLOTS];
    /** Flows (addresses and ports) by hash, with the highest segment end each has sent. */
    private static final int FLOWS = 64;
    private final long[] flowKeys = new long[FLOWS];
    private final int[] flowHighWater = new int[FLOWS];

    /** Whether the peer's packets wait unread in our socket (the engine was held up, not the path). */
    private final BooleanSupplier inboundPending;
    private final LateTooBig lateTooBig;

    /**
     * Answers a packet with Packet Too Big after it was sent, once a check found the black hole.
     * Called on the prober's thread, not the reader's.
     */
    @FunctionalInterface
    public interface LateTooBig {
        /** @param packet a copy of the inner packet; {@code effectiveMtu} the SA's, now lowered */
        void answer(ByteBuf packet, int effectiveMtu);
    }

    public BlackHoleDetector(PmtuSettings settings) {
        this(settings, () -> false, (packet, mtu) -> {
        });
    }

    /**
     * @param inboundPending whether datagrams wait unread on the outer socket ({@link SocketReceiveQueue})
     * @param lateTooBig     answers a suspected segment once a check confirmed the black hole
     */
    public BlackHoleDetector(PmtuSettings settings, BooleanSupplier inboundPending, LateTooBig lateTooBig) {
        this.retransmissions = settings.blackHoleRetransmissions();
        this.windowMillis = settings.blackHoleWindow().toMillis();
        this.inboundPending = inboundPending;
        this.lateTooBig = lateTooBig;
    }

    /**
     * Looks at one outbound inner packet (readable bytes) that fits the SA's effective MTU and
     * is about to be sent.
     *
     * @return the event when this packet completed a detection (the PLPMTU is now the base), else null
     */
    public BlackHoleEvent observe(ByteBuf packet, PmtuState state) {
        int start = packet.readerIndex();
        int length = packet.readableBytes();
        if (length < state.effectiveMtu() - NEAR_FULL_SIZE || length <= state.effectiveMtuAt(state.base())) {
            return null;
        }
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
        if (end - l4 - dataOffset <= 0) {
            return null; // no data: an ACK, not a retransmission
        }
        long ports = packet.getUnsignedInt(l4);
        long sequence = packet.getUnsignedInt(l4 + 4);
        long flow = addresses ^ (ports * 0x9E3779B97F4A7C15L);
        long now = state.clock().millis();
        long inbound = state.inboundPackets();
        PmtuState.BlackHoleCheck check = state.blackHoleCheck();
        if (check != null) {
            state.peerSilence().fullSizeSent(packet, inbound, now);
            int payload = end - l4 - dataOffset;
            if (behindHighWater(mix(flow), (int) sequence + payload) && !state.icmpSeenWithinMillis(windowMillis)) {
                askForCheck(check, packet, state, inbound);
            }
        }
        long key = mix(flow ^ (ports << 32 | sequence));
        int slot = (int) (key ^ (key >>> 32)) & (SLOTS - 1);
        if (keys[slot] == key && now - firstSeen[slot] <= windowMillis) {
            counts[slot]++;
        } else {
            keys[slot] = key;
            counts[slot] = 1;
            firstSeen[slot] = now;
            inboundAtFirst[slot] = inbound;
            return null;
        }
        if (state.icmpSeenWithinMillis(windowMillis)) {
            return null;
        }
        // With a prober, a silence is its check's to judge; the count stays, for the holes a check
        // of the outer path cannot see (beyond the tunnel's far end, its ICMP discarded there).
        boolean silentPeer = check == null && inbound == inboundAtFirst[slot];
        if (counts[slot] < retransmissions && !silentPeer) {
            return null;
        }
        // Not a silence the engine made itself: held up (a loaded machine, a collection pause), it
        // finds the peer's packets still waiting unread in the socket. Asked last: a system call.
        if (inboundPending.getAsBoolean()) {
            return null;
        }
        java.util.Arrays.fill(counts, 0);
        return state.blackHole(length);
    }

    /**
     * Whether a segment ending at {@code end} (sequence number plus payload) lies behind the
     * highest end this flow has sent so far: a retransmission, however many segments were sent
     * after its first transmission (a table of segments would have forgotten it by then). Moves
     * the flow's high-water mark otherwise. Compared in sequence space modulo 2^32 (RFC 9293 §3.4).
     */
    private boolean behindHighWater(long flow, int end) {
        int slot = (int) (flow ^ (flow >>> 32)) & (FLOWS - 1);
        if (flowKeys[slot] != flow) {
            flowKeys[slot] = flow;
            flowHighWater[slot] = end;
            return false;
        }
        if (end - flowHighWater[slot] <= 0) {
            return true;
        }
        flowHighWater[slot] = end;
        return false;
    }

    /** A retransmission: the prober checks at once, if it takes a check now (allocates only then). */
    private void askForCheck(PmtuState.BlackHoleCheck check, ByteBuf packet, PmtuState state, long inbound) {
        if (!check.ready()) {
            return;
        }
        ByteBuf copy = Unpooled.copiedBuffer(packet); // heap: the check may end without using it
        check.start(inbound, event -> lateTooBig.answer(copy, state.effectiveMtu()));
    }

    private static long mix(long z) {
        // SplitMix64's finaliser: spreads the bits so that the slot index is well distributed.
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
