package io.pathsec.engine.pmtu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pathsec.engine.packet.IcmpErrorBuilder;

/**
 * Notices the peer falling silent under full-size traffic before any inner TCP timer runs out
 * (DESIGN.md "Path MTU", source 4). When a black hole opens under a transfer, the full-size
 * segments vanish and nothing more comes back from the peer once the acknowledgements of what
 * passed before are in; the sender waits for its retransmission timeout (at least 200 ms on
 * Linux, 1 s by RFC 6298 (2.4)) and then starts again from a congestion window of one segment.
 * Here the first full-size segment sent after the peer was last heard is remembered; if the peer
 * stays silent for {@link #SILENCE_MILLIS} after it, the SA's prober is asked for a black-hole
 * check ({@link PmtuState.BlackHoleCheck}). Should the check find the hole, that segment (its
 * sequence number certainly unacknowledged) is answered with Packet Too Big, and the sender
 * resends at the new size at once with its congestion window intact (Linux: tcp_simple_retransmit
 * leaves it alone).
 *
 * <p>Silence after full-size packets is also what delayed ACKs and one-way traffic look like; a
 * check costs one padded IKE exchange and, answered, changes nothing, and the prober takes one
 * at most every {@code CHECK_HOLDOFF}.
 *
 * <p>One per SA. {@link #fullSizeSent} runs on the outbound reader thread, {@link #silentFor} on
 * the PMTU timer thread.
 */
public final class PeerSilenceWatch {
    /** Silence after a full-size segment that asks for a check: a quarter of Linux's least RTO. */
    public static final long SILENCE_MILLIS = 50;
    /** As much of a segment as a Packet Too Big quotes: the error fits 576 octets (IPv4) or 1280 (RFC 4443 §2.4 (c)). */
    private static final int QUOTE_IPV4 = IcmpErrorBuilder.IPV4_MAX_ERROR_LENGTH - 28;
    private static final int QUOTE_IPV6 = IcmpErrorBuilder.IPV6_MAX_ERROR_LENGTH - 48;

    private final byte[] quote = new byte[QUOTE_IPV6];
    private int quoteLength;
    private int packetLength;
    /** The peer's packet count when the segment was sent; -1 before the first. */
    private long inboundAt = -1;
    private long sentAtMillis;
    private boolean reported;

    /** A segment sent into a silence, and the peer's packet count when it was sent. */
    public record Suspect(ByteBuf segment, long inboundAt) {
    }

    /**
     * Outbound reader: a full-size TCP segment with data is about to be sent. Remembered if the
     * peer was heard since the last one was: under a transfer every few segments (an ACK covers
     * several), a copy of at most 548 octets for IPv4.
     */
    public void fullSizeSent(ByteBuf packet, long inbound, long nowMillis) {
        if (inbound == inboundAt) {
            return; // a field this thread wrote itself: no lock needed to read it
        }
        synchronized (this) {
            packetLength = packet.readableBytes();
            boolean ipv4 = packet.getUnsignedByte(packet.readerIndex()) >> 4 == 4;
            quoteLength = Math.min(packetLength, ipv4 ? QUOTE_IPV4 : QUOTE_IPV6);
            packet.getBytes(packet.readerIndex(), quote, 0, quoteLength);
            inboundAt = inbound;
            sentAtMillis = nowMillis;
            reported = false;
        }
    }

    /**
     * PMTU timer: the remembered segment, if nothing came from the peer since it was sent
     * {@code silenceMillis} or more ago; once per segment, else null. The copy has the segment's
     * length, and its first octets are the segment's: as many as any ICMP error quotes.
     */
    public synchronized Suspect silentFor(long inbound, long nowMillis, long silenceMillis) {
        if (reported || inboundAt < 0 || inbound != inboundAt || nowMillis - sentAtMillis < silenceMillis) {
            return null;
        }
        reported = true;
        ByteBuf segment = Unpooled.buffer(packetLength, packetLength);
        segment.writeBytes(quote, 0, quoteLength).writeZero(packetLength - quoteLength);
        return new Suspect(segment, inboundAt);
    }

    /**
     * PMTU timer, for one SA: asks its prober for a check when the peer is silent after a
     * full-size segment and no ICMP arrived within {@code icmpWindowMillis}.
     *
     * @return whether a check was started
     */
    public static boolean poll(PmtuState state, long icmpWindowMillis, BlackHoleDetector.LateTooBig lateTooBig) {
        PmtuState.BlackHoleCheck check = state.blackHoleCheck();
        if (check == null || !check.ready() || state.icmpSeenWithinMillis(icmpWindowMillis)) {
            return false;
        }
        Suspect s = state.peerSilence().silentFor(state.inboundPackets(), state.clock().millis(), SILENCE_MILLIS);
        return s != null && check.start(s.inboundAt(), event -> lateTooBig.answer(s.segment(), state.effectiveMtu()));
    }
}
