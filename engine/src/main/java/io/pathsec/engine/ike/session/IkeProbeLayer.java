package io.pathsec.engine.ike.session;

import io.pathsec.engine.ike.message.IkeHeader;
import io.pathsec.engine.ike.message.IkeMessage;
import io.pathsec.engine.ike.message.IkePayload;
import io.pathsec.engine.ike.message.IkeUnsupportedPayload;
import io.pathsec.engine.pmtu.EffectiveMtu;
import io.pathsec.engine.pmtu.ProbeQuote;
import io.pathsec.engine.pmtu.dplpmtud.PacketizationLayer;

import java.net.Inet6Address;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * The IKE SA as DPLPMTUD's packetization layer (RFC 8899 §6 asks each PL to define its probes):
 * a probe is an INFORMATIONAL request whose only payload is a non-critical payload of a
 * private-use type (RFC 7296 §3.2: 128–255) filled to make the outer IP packet exactly the probe
 * size. Every IKEv2 peer must skip a non-critical payload it does not know (§2.5) and answer an
 * INFORMATIONAL request (§1.4, an empty one is a liveness check, §2.4), so the answer confirms the
 * size with any peer, strongSwan included.
 *
 * <p>Message IDs (RFC 7296 §2.3: a window of one) — the probe is an ordinary exchange with its
 * own ID, sent once with DF ({@link IkeTransport#sendProbe}) and never retransmitted. When
 * PROBE_TIMER expires unanswered, the same ID is completed by an empty INFORMATIONAL: if the peer
 * never saw the probe it answers that as a liveness check; if it did (and only its answer was
 * lost) it resends its cached answer (§2.1). Either way both ends have consumed the ID and later
 * requests proceed. The probe itself never counts towards declaring the peer dead; the small
 * completion does, as any request does. Only after the completion is answered is the probe
 * reported lost (small messages pass, so the size is to blame); if the completion goes unanswered
 * too, the outcome is "unanswered" and says nothing about sizes. A validated ICMP Packet Too Big
 * quoting the probe (its SPIs and message ID, {@link ProbeQuote}) ends the wait at once
 * ({@link #probeTooBig}).
 *
 * <p>Runs on the session's scheduler thread, as the IKE SA does.
 */
public final class IkeProbeLayer implements PacketizationLayer {
    /** The private-use payload type of the padding (§3.2: 128–255, "mutually consenting parties"). */
    static final int PROBE_PADDING_TYPE = 200;
    /** The non-ESP marker in front of IKE on port 4500 (RFC 3948 §2.2). */
    private static final int NON_ESP_MARKER = 4;

    private final IkeScheduler scheduler;
    private final Supplier<IkeSa> current;
    /** How many recent round trips {@link #roundTrip} takes the least of. */
    private static final int ROUND_TRIP_SAMPLES = 8;

    /** Round trips of the latest acknowledged probes, in nanoseconds, a ring; 0 for none yet. */
    private final long[] roundTrips = new long[ROUND_TRIP_SAMPLES];
    private int nextRoundTrip;
    /** The least of {@link #roundTrips}, null before the first. Read by checks from the data path's thread. */
    private volatile Duration minRoundTrip;

    IkeProbeLayer(IkeScheduler scheduler, Supplier<IkeSa> current) {
        this.scheduler = scheduler;
        this.current = current;
    }

    @Override
    public int probeSize(int target) {
        IkeSa sa = usable();
        if (sa == null) {
            return 0;
        }
        int padding = padding(sa, target);
        return padding < 0 ? 0 : outerSize(sa, padding);
    }

    @Override
    public void sendProbe(int size, Duration probeTimer, ProbeOutcome outcome) {
        IkeSa sa = usable();
        int padding = sa == null ? -1 : padding(sa, size);
        if (padding < 0 || outerSize(sa, padding) != size) {
            scheduler.execute(outcome::unanswered);
            return;
        }
        List<IkePayload> probe = List.of(new IkeUnsupportedPayload(PROBE_PADDING_TYPE, false, new byte[padding]));
        IkeSa.ResponseHandler completion = new IkeSa.ResponseHandler() {
            @Override
            public void onResponse(IkeMessage response) {
                outcome.lost();
            }

            @Override
            public void onTimeout() {
                outcome.unanswered();
            }
        };
        Instant[] sentAt = new Instant[1]; // when it left, not when it was queued behind other requests
        IntConsumer sent = id -> {
            sentAt[0] = scheduler.now();
            outcome.sent(new ProbeQuote(sa.spiI, sa.spiR, id, sa.peer(),
                    sa.natTraversal() ? IkeConstants.NAT_T_PORT : IkeConstants.IKE_PORT, sa.natTraversal()));
        };
        sa.sendProbe(probe, new IkeSa.Probe(probeTimer, List.of(), completion, sent), new IkeSa.ResponseHandler() {
            @Override
            public void onResponse(IkeMessage response) {
                if (sentAt[0] != null) {
                    sampleRoundTrip(Duration.between(sentAt[0], scheduler.now()));
                }
                outcome.acknowledged();
            }

            @Override
            public void onTimeout() {
                // Lost at this size; the outcome waits for the completion's answer.
            }
        });
    }

    /**
     * The least round trip of the last few acknowledged probes: the path's own delay, without the
     * first exchanges of a JVM still compiling or a moment of load (a windowed minimum, as RACK
     * keeps one, RFC 8985 §6.2); a smoothed mean would carry those outliers for many samples,
     * and probes are few.
     */
    @Override
    public Duration roundTrip() {
        return minRoundTrip;
    }

    private void sampleRoundTrip(Duration sample) {
        roundTrips[nextRoundTrip] = Math.max(1, sample.toNanos());
        nextRoundTrip = (nextRoundTrip + 1) % ROUND_TRIP_SAMPLES;
        long least = Long.MAX_VALUE;
        for (long rtt : roundTrips) {
            if (rtt > 0) {
                least = Math.min(least, rtt);
            }
        }
        minRoundTrip = Duration.ofNanos(least);
    }

    @Override
    public void probeTooBig(ProbeQuote quote) {
        IkeSa sa = usable();
        if (sa != null && sa.spiI == quote.initiatorSpi() && sa.spiR == quote.responderSpi()) {
            sa.probeTooBig(quote.messageId());
        }
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        return scheduler.schedule(delay, task)::cancel;
    }

    @Override
    public void execute(Runnable task) {
        scheduler.execute(task);
    }

    private IkeSa usable() {
        IkeSa sa = current.get();
        return sa == null || sa.isClosed() ? null : sa;
    }

    /** The largest padding whose probe fits {@code target}, or -1 when even an empty one does not. */
    private static int padding(IkeSa sa, int target) {
        // A block cipher pads the chain up to 15 octets, so start one block above the estimate.
        int padding = target - outerSize(sa, 0) + 16;
        for (int i = 0; i < 64 && padding >= 0; i++, padding--) {
            if (outerSize(sa, padding) <= target) {
                return padding;
            }
        }
        return -1;
    }

    /** The outer IP packet of a probe with {@code padding} octets of padding payload body. */
    private static int outerSize(IkeSa sa, int padding) {
        boolean ipv6 = sa.peer().getAddress() instanceof Inet6Address;
        int below = (ipv6 ? EffectiveMtu.IPV6_HEADER : EffectiveMtu.IPV4_HEADER) + EffectiveMtu.UDP_HEADER
                + (sa.natTraversal() ? NON_ESP_MARKER : 0);
        int chain = IkePayload.GENERIC_HEADER_LENGTH + padding;
        return below + IkeHeader.LENGTH + IkePayload.GENERIC_HEADER_LENGTH + sa.keys.outbound.sealedLength(chain);
    }
}
