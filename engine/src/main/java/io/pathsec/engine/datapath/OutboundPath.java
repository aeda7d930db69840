package io.pathsec.engine.datapath;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pathsec.engine.esp.EspCodec;
import io.pathsec.engine.esp.EspException;
import io.pathsec.engine.icmp.IcmpRoute;
import io.pathsec.engine.icmp.TunnelIcmp;
import io.pathsec.engine.packet.FlowKey;
import io.pathsec.engine.pmtu.BlackHoleDetector;
import io.pathsec.engine.pmtu.BlackHoleEvent;
import io.pathsec.engine.pmtu.InnerMtuEnforcer;
import io.pathsec.engine.pmtu.PmtuState;
import io.pathsec.engine.policy.DropReason;
import io.pathsec.engine.tun.TunDevice;
import io.pathsec.engine.transport.EspTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Outbound: protected side to tunnel, in five steps, each a method below in this order.
 * <ol>
 *   <li>{@link #drainReady} (on the UDP socket's event loop) or {@link #run} (a reader thread):
 *       read a packet from the TUN into a pooled buffer with headroom, so ESP headers can be
 *       written in front of it without a copy.</li>
 *   <li>{@link #classify}: look up the SPD (RFC 4301 §5.1); PROTECT goes on, DISCARD and
 *       packets without policy are dropped and counted. Then {@link #fitPathMtu}: the SA's
 *       effective MTU (RFC 4301 §8.2.1) — too big with DF: ICMP to the source and drop; DF
 *       clear: fragment; full-size TCP retransmissions feed the black-hole detector; SYNs have
 *       their MSS clamped.</li>
 *   <li>{@link #number}: take the SA's next sequence number, here on the single reading
 *       thread, so numbers are assigned in the order packets are sent (RFC 4303 §3.3.3).</li>
 *   <li>{@link OutboundJob#process}: encrypt in place on a crypto worker.</li>
 *   <li>{@link #deliver}: send in order as ESP-in-UDP (RFC 3948); one flush per batch.</li>
 * </ol>
 */
final class OutboundPath implements Runnable, OrderedLane.Delivery<OutboundPath.OutboundJob> {
    private static final Logger LOG = LoggerFactory.getLogger(OutboundPath.class);
    /** How long an idle reader waits before it looks at released ICMP errors again. */
    static final int POLL_MILLIS = 200;
    /** Packets read per turn of the event loop before the socket's datagrams get theirs. */
    private static final int LOOP_BUDGET = 128;
    /** A TUN readiness this long after the one before finds a quiet tunnel (see {@link #drainReady}). */
    private static final long QUIET_GAP_NANOS = 1_000_000;

    private final TunDevice tun;
    private final TunnelPolicy policy;
    private final EspTransport socket;
    private final ByteBufAllocator allocator;
    private final Lane<OutboundJob> lane;
    private final TunnelCounters counters;
    private final FlowKey flow = new FlowKey();
    private final InnerMtuEnforcer mtuEnforcer;
    /** For Packet Too Big sent later, on the prober's thread, when a black-hole check confirms. */
    private final InnerMtuEnforcer lateMtuEnforcer;
    private final BlackHoleDetector blackHoles;
    private final io.pathsec.engine.pmtu.OuterDf outerDf;
    private final List<ByteBuf> fragments = new ArrayList<>();
    private volatile boolean running = true;
    /** When {@link #drainReady} last ran; the event loop's thread only. */
    private long lastReadyNanos;

    OutboundPath(TunDevice tun, TunnelPolicy policy, EspTransport socket,
                 ByteBufAllocator allocator, CryptoWorkers workers, int inFlight, TunnelCounters counters,
                 InnerMtuEnforcer mtuEnforcer) {
        this.tun = tun;
        this.mtuEnforcer = mtuEnforcer;
        this.lateMtuEnforcer = mtuEnforcer.forAnotherThread();
        this.outerDf = policy.pmtuSettings().outerDf();
        this.blackHoles = policy.pmtuSettings().enabled(io.pathsec.engine.pmtu.PmtuSource.BLACK_HOLE)
                ? new BlackHoleDetector(policy.pmtuSettings(), socket::receivePending, this::lateTooBig) : null;
        this.policy = policy;
        this.socket = socket;
        this.allocator = allocator;
        this.counters = counters;
        this.lane = workers.size() == 0 ? new InlineLane<>(OutboundJob::new, this)
                : new OrderedLane<>("outbound", workers, inFlight, OutboundJob::new, this);
    }

    /**
     * Step 1 on a thread of its own, for devices without a descriptor to wait on (in memory) or
     * with {@link DataPath#READER_THREAD_PROPERTY}: reads until stopped.
     */
    @Override
    public void run() {
        while (drain(POLL_MILLIS, Integer.MAX_VALUE) != Drained.GONE) {
            // each turn waits up to POLL_MILLIS for the first packet
        }
    }

    /**
     * Step 1 on the UDP socket's event loop, which waits for the TUN and the socket in one
     * epoll_wait: reads what the TUN holds without waiting, up to {@link #LOOP_BUDGET} packets
     * so the socket's datagrams are not held up behind a bulk transfer. A readiness more than
     * {@link #QUIET_GAP_NANOS} after the one before reads one packet only.
     *
     * @return true when the budget ran out with packets left: call again soon
     */
    boolean drainReady() {
        long now = System.nanoTime();
        boolean quiet = now - lastReadyNanos > QUIET_GAP_NANOS;
        lastReadyNanos = now;
        // A quiet tunnel's lone packet: read it and go back to epoll_wait, which (level-
        // triggered) reports the TUN again at once if more are queued. Looking once more here
        // would cost a read that finds nothing, on the round trip's critical path.
        return drain(0, quiet ? 1 : LOOP_BUDGET) == Drained.BUDGET_SPENT && !quiet;
    }

    /** How a {@link #drain} ended. */
    private enum Drained { EMPTY, BUDGET_SPENT, GONE }

    /**
     * Reads and classifies packets until the TUN is empty or {@code budget} packets were read;
     * waits up to {@code firstWaitMillis} for the first. After a packet it looks once more
     * without waiting: while the TUN has packets ready they join the batch, and the first empty
     * look (or the budget) ends it.
     */
    private Drained drain(int firstWaitMillis, int budget) {
        if (!running) {
            return Drained.GONE;
        }
        int bufferSize = EspCodec.MAX_HEADROOM + TunnelLimits.MAX_INNER_PACKET + EspCodec.MAX_TAILROOM;
        int read = 0;
        try {
            sendReleasedIcmp(bufferSize);
            while (read < budget) {
                int n = readOne(bufferSize, read == 0 ? firstWaitMillis : 0);
                if (n < 0) {
                    return Drained.GONE;
                }
                if (n == 0) {
                    return Drained.EMPTY;
                }
                read++;
            }
            return Drained.BUDGET_SPENT;
        } catch (InterruptedException e) {
            return Drained.GONE;
        } finally {
            if (read > 0) {
                lane.producerIdle();
            }
        }
    }

    /** One packet from the TUN through steps 2 and 3: its length, 0 for none, -1 once the device is gone. */
    private int readOne(int bufferSize, int waitMillis) throws InterruptedException {
        ByteBuf buf = allocator.directBuffer(bufferSize);
        buf.setIndex(EspCodec.MAX_HEADROOM, EspCodec.MAX_HEADROOM);
        int n;
        try {
            n = tun.read(buf, waitMillis);
        } catch (IOException e) {
            buf.release();
            if (running) {
                LOG.error("TUN {} read failed, outbound path stops: {}", tun.name(), e.getMessage());
                running = false;
            }
            return -1;
        }
        if (n <= 0) {
            buf.release();
            return n;
        }
        boolean handedOff = false;
        try {
            handedOff = classify(buf);
        } catch (RuntimeException e) {
            // One bad packet (or a bug it triggers) must not stop the tunnel.
            counters.dropOutbound(DropReason.MALFORMED);
            LOG.error("outbound packet dropped after an internal error", e);
        } finally {
            if (!handedOff) {
                buf.release();
            }
        }
        return n;
    }

    /**
     * Step 2: the SPD decides.
     *
     * @return true when the packet went to the crypto workers (they own it now); false when it
     *         was dropped and the caller must release it
     */
    private boolean classify(ByteBuf packet) throws InterruptedException {
        if (!flow.parse(packet)) {
            counters.dropOutbound(DropReason.MALFORMED);
            return false;
        }
        SaRuntime sa = policy.outboundSa(flow);
        if (sa == null) {
            return icmpOutsideSelectors(packet);
        }
        if (flow.icmpType() >= 0 && !icmpSaAdmits(packet, sa)) {
            return false;
        }
        return fitPathMtu(packet, sa);
    }

    /** ICMP errors that waited for the explicit ICMP SA, now up: through the SPD like any packet. */
    private void sendReleasedIcmp(int bufferSize) throws InterruptedException {
        TunnelIcmp icmp = policy.icmp();
        for (byte[] p = icmp == null ? null : icmp.nextReleased(); p != null; p = icmp.nextReleased()) {
            ByteBuf buf = allocator.directBuffer(bufferSize);
            buf.setIndex(EspCodec.MAX_HEADROOM, EspCodec.MAX_HEADROOM).writeBytes(p);
            boolean handedOff = false;
            try {
                handedOff = classify(buf);
            } finally {
                if (!handedOff) {
                    buf.release();
                }
            }
        }
    }

    /** An ICMP error on the explicit ICMP SA must quote a flow of a data SA (icmp.TunnelIcmp#onIcmpSaOutbound). */
    private boolean icmpSaAdmits(ByteBuf packet, SaRuntime sa) {
        TunnelIcmp icmp = policy.icmp();
        if (icmp == null || !sa.carriesOnlyIcmp()) {
            return true;
        }
        DropReason refused = icmp.onIcmpSaOutbound(packet, flow, sa.sa());
        if (refused != null) {
            counters.dropOutbound(refused);
        }
        return refused == null;
    }

    /** An ICMP error may still cross under the profile's ICMP option (RFC 4301 §6.2, icmp.TunnelIcmp). */
    private boolean icmpOutsideSelectors(ByteBuf packet) throws InterruptedException {
        TunnelIcmp icmp = policy.icmp();
        IcmpRoute route = icmp == null ? null : icmp.crossing(packet, flow);
        SaRuntime sa = route == null || route.sa() == null ? null : policy.outboundRuntime(route.sa());
        if (sa != null) {
            return fitPathMtu(packet, sa);
        }
        if (route == null || route.drop() != null) {
            counters.dropOutbound(route == null ? DropReason.POLICY_DISCARD : route.drop());
        }
        return false;
    }

    /**
     * Step 2, continued: the SA's effective MTU. Reads a volatile int and a few header octets;
     * allocates only when a packet must be fragmented.
     */
    private boolean fitPathMtu(ByteBuf packet, SaRuntime sa) throws InterruptedException {
        PmtuState pmtu = sa.pmtu();
        int mtu = pmtu.effectiveMtu();
        switch (mtuEnforcer.decide(packet, mtu)) {
            case TOO_BIG:
                return tooBig(packet, sa, mtu);
            case FRAGMENT:
                return fragmentAndNumber(packet, sa, mtu);
            default:
                break;
        }
        BlackHoleEvent blackHole = blackHoles == null ? null : blackHoles.observe(packet, pmtu);
        if (blackHole != null) {
            LOG.warn("PMTU black hole on SA {}: {}-byte inner packets vanish with no ICMP; PLPMTU {} -> {}",
                    blackHole.sa(), blackHole.vanishedSize(), blackHole.previousPlpmtu(), blackHole.newPlpmtu());
            // This very retransmission gets the Packet Too Big, so its sender shrinks at once.
            mtu = pmtu.effectiveMtu();
            if (mtuEnforcer.decide(packet, mtu) == InnerMtuEnforcer.Decision.TOO_BIG) {
                return tooBig(packet, sa, mtu);
            }
        }
        mtuEnforcer.clampMss(packet, mtu);
        return number(packet, sa);
    }

    /** RFC 4301 §8.2.1: answer with ICMP carrying the effective MTU, then drop. */
    private boolean tooBig(ByteBuf packet, SaRuntime sa, int mtu) {
        mtuEnforcer.answerTooBig(packet, mtu);
        sa.sa().countDrop(DropReason.TOO_BIG);
        counters.dropOutbound(DropReason.TOO_BIG);
        return false;
    }

    /**
     * A black-hole check confirmed what a retransmission or the peer's silence made us suspect
     * (pmtu.BlackHoleDetector, pmtu.PeerSilenceWatch): that segment, already sent into the hole,
     * is answered now. Prober threads of several SAs
     * may call at once, hence the lock.
     */
    void lateTooBig(ByteBuf packet, int mtu) {
        synchronized (lateMtuEnforcer) {
            if (running && lateMtuEnforcer.decide(packet, mtu) == InnerMtuEnforcer.Decision.TOO_BIG) {
                lateMtuEnforcer.answerTooBig(packet, mtu);
            }
        }
    }

    /**
     * IPv4 without DF: fragments before encryption, each in its own pooled buffer with ESP
     * headroom. The original stays with the caller, which releases it.
     */
    private boolean fragmentAndNumber(ByteBuf packet, SaRuntime sa, int mtu) throws InterruptedException {
        fragments.clear();
        if (mtuEnforcer.fragment(packet, mtu, allocator, fragments) == 0) {
            counters.dropOutbound(DropReason.MALFORMED);
            return false;
        }
        // The same size as the reader's buffers: room for TFC padding as well.
        int bufferSize = EspCodec.MAX_HEADROOM + TunnelLimits.MAX_INNER_PACKET + EspCodec.MAX_TAILROOM;
        int i = 0;
        try {
            for (; i < fragments.size(); i++) {
                ByteBuf fragment = fragments.get(i);
                ByteBuf buf = allocator.directBuffer(bufferSize);
                buf.setIndex(EspCodec.MAX_HEADROOM, EspCodec.MAX_HEADROOM);
                buf.writeBytes(fragment);
                fragment.release();
                fragments.set(i, null);
                if (!number(buf, sa)) {
                    buf.release();
                }
            }
        } finally {
            for (; i < fragments.size(); i++) {
                ByteBuf rest = fragments.get(i);
                if (rest != null) {
                    rest.release();
                }
            }
            fragments.clear();
        }
        return false;
    }

    /**
     * Step 3: the sequence number, then the hand-off to the workers. Waits while every job is in
     * flight (even on the event loop: the workers and the delivery thread free jobs without it,
     * and the TUN is back-pressured instead of dropping packets).
     */
    private boolean number(ByteBuf packet, SaRuntime sa) throws InterruptedException {
        boolean df = outerDf.outerDf(innerDf(packet));
        int nextHeader = InnerPacket.prepareForEsp(packet, sa.sa().mode());
        if (nextHeader < 0) {
            counters.dropOutbound(DropReason.MALFORMED);
            return false;
        }
        long seq = sa.sa().nextSequenceNumber();
        if (seq == 0) {
            // Sequence numbers exhausted (0 is never valid): the SA must be rekeyed, never
            // wrapped (RFC 4303 §3.3.3).
            sa.sa().countDrop(DropReason.LIFETIME_EXPIRED);
            return false;
        }
        OutboundJob job = null;
        while (running && job == null) {
            job = lane.acquire(POLL_MILLIS);
        }
        if (job == null) {
            return false;
        }
        job.buf = packet;
        job.sa = sa;
        job.seq = seq;
        job.nextHeader = nextHeader;
        job.outerDf = df;
        lane.submit(job);
        return true;
    }

    /** Step 4 runs in {@link OutboundJob#process}. Step 5: send in order. */
    @Override
    public void deliver(OutboundJob job) {
        ByteBuf buf = job.buf;
        job.buf = null;
        if (job.failure != null) {
            job.sa.sa().countDrop(DropReason.MALFORMED);
            buf.release();
            return;
        }
        job.sa.sa().countPacket(buf.readableBytes());
        counters.sent(buf.readableBytes());
        socket.write(buf, job.sa.sa().remoteEndpoint(), job.outerDf);
    }

    /** The inner packet's DF bit; IPv6 is never fragmented on the way, so it counts as set (RFC 8200 §5). */
    private static boolean innerDf(ByteBuf packet) {
        int start = packet.readerIndex();
        return packet.readableBytes() < 20 || packet.getUnsignedByte(start) >> 4 != 4
                || (packet.getUnsignedShort(start + 6) & 0x4000) != 0;
    }

    @Override
    public void endOfBatch() {
        socket.flush();
    }

    void stop() {
        running = false;
        lane.close();
        synchronized (lateMtuEnforcer) {
            lateMtuEnforcer.close(); // after running = false: no late answer uses it any more
        }
    }

    static final class OutboundJob extends CryptoJob {
        ByteBuf buf;
        SaRuntime sa;
        long seq;
        int nextHeader;
        /** The outer IPv4 DF bit (RFC 4301 §8.1: copied from the inner packet, set or cleared per SA). */
        boolean outerDf;
        EspException failure;

        @Override
        protected void process(int workerIndex) {
            try {
                sa.codec(workerIndex).encrypt(buf, nextHeader, seq);
            } catch (EspException e) {
                failure = e;
            }
        }

        @Override
        protected boolean smallEnoughToRunInline() {
            return buf.readableBytes() <= TunnelLimits.INLINE_PACKET_BYTES;
        }

        @Override
        protected void reset() {
            if (buf != null) {
                buf.release();
                buf = null;
            }
            sa = null;
            failure = null;
        }
    }
}
