package io.pathsec.engine.datapath;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.socket.DatagramPacket;
import io.pathsec.engine.esp.EspCodec;
import io.pathsec.engine.esp.EspException;
import io.pathsec.engine.icmp.TunnelIcmp;
import io.pathsec.engine.packet.FlowKey;
import io.pathsec.engine.packet.TcpMssClamp;
import io.pathsec.engine.pmtu.InnerMtuEnforcer;
import io.pathsec.engine.pmtu.PmtuState;
import io.pathsec.engine.policy.DropReason;
import io.pathsec.engine.policy.IpsecMode;
import io.pathsec.engine.transport.EspTransport;
import io.pathsec.engine.tun.TunDevice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Inbound: tunnel to protected side (RFC 4301 §5.2), in five steps, each a method below in
 * this order.
 * <ol>
 *   <li>{@link #receive}: an ESP datagram arrives on the event loop (never blocks there).</li>
 *   <li>{@link #lookUp}: the SAD by SPI; unknown SPIs are dropped and counted.</li>
 *   <li>Replay pre-check (RFC 4303 §3.4.3): the 64-bit number is inferred and packets left
 *       of the window or already seen are dropped before any crypto is spent on them.</li>
 *   <li>{@link InboundJob#process}: decrypt and verify the ICV on a worker, then mark the
 *       number as seen, drop dummy packets (next header 59, RFC 4303 §2.6), and check the
 *       inner packet against the SA's selectors (RFC 4301 §5.2 step 4: no spoofing); clamp
 *       the MSS of SYNs to the effective MTU of our outbound direction, so that this side's
 *       senders answer with segments the SA can carry.</li>
 *   <li>{@link #deliver}: write to the TUN in order.</li>
 * </ol>
 */
final class InboundPath implements EspTransport.EspReceiver, OrderedLane.Delivery<InboundPath.InboundJob> {
    private static final Logger LOG = LoggerFactory.getLogger(InboundPath.class);
    static final int DUMMY = 59;

    private final TunDevice tun;
    private final TunnelPolicy policy;
    private final ByteBufAllocator allocator;
    private final TunnelCounters counters;
    private final Lane<InboundJob> lane;
    private final FlowKey[] flows;
    private final TcpMssClamp[] mssClamps;

    InboundPath(TunDevice tun, TunnelPolicy policy, ByteBufAllocator allocator, CryptoWorkers workers,
                int inFlight, TunnelCounters counters) {
        this.tun = tun;
        this.policy = policy;
        this.allocator = allocator;
        this.counters = counters;
        // one per worker and one for the producer, which opens small packets itself (OrderedLane)
        this.flows = new FlowKey[workers.size() + 1];
        this.mssClamps = new TcpMssClamp[flows.length];
        for (int i = 0; i < flows.length; i++) {
            flows[i] = new FlowKey();
            mssClamps[i] = new TcpMssClamp();
        }
        this.lane = workers.size() == 0 ? new InlineLane<>(() -> new InboundJob(this), this)
                : new OrderedLane<>("inbound", workers, inFlight, () -> new InboundJob(this), this);
    }

    /** Step 1. */
    @Override
    public void receive(DatagramPacket packet) {
        ByteBuf esp = packet.content();
        if (esp.readableBytes() < 8) {
            counters.dropInbound(DropReason.MALFORMED);
            packet.release();
            return;
        }
        lookUp(packet, esp);
    }

    /** The socket's read is over: a lane that delivers on this thread ends its batch now. */
    @Override
    public void endOfReceive() {
        lane.producerIdle();
    }

    /** Steps 2 and 3. */
    private void lookUp(DatagramPacket packet, ByteBuf esp) {
        SaRuntime sa = policy.inboundSa(EspCodec.spi(esp));
        if (sa == null) {
            counters.dropInbound(DropReason.NO_SA);
            packet.release();
            return;
        }
        long seq = sa.replayWindow().check(EspCodec.sequenceLow32(esp));
        if (seq < 0) {
            sa.sa().countDrop(DropReason.REPLAY);
            counters.dropInbound(DropReason.REPLAY);
            packet.release();
            return;
        }
        InboundJob job = lane.tryAcquire();
        if (job == null) {
            // Every job is in flight: wait briefly. Holding the event loop lets the socket's
            // large receive buffer absorb the burst, which beats dropping here.
            try {
                job = lane.acquire(TunnelLimits.INBOUND_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (job == null) {
            counters.dropInbound(DropReason.QUEUE_FULL);
            packet.release();
            return;
        }
        job.buf = esp;
        job.sa = sa;
        job.seq = seq;
        job.sender = packet.sender();
        job.recipient = packet.recipient();
        try {
            lane.submit(job);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Step 4, on a crypto worker. */
    DropReason open(InboundJob job, int worker) {
        SaRuntime sa = job.sa;
        int nextHeader;
        try {
            nextHeader = sa.codec(worker).decrypt(job.buf, job.seq);
        } catch (EspException e) {
            return e.reason() == EspException.Reason.AUTHENTICATION_FAILED
                    ? DropReason.AUTHENTICATION : DropReason.MALFORMED;
        }
        // Only an authenticated packet may move the window (RFC 4303 §3.4.3).
        if (!sa.replayWindow().accept(job.seq)) {
            return DropReason.REPLAY;
        }
        if (nextHeader == DUMMY) {
            return DropReason.DUMMY;
        }
        if (sa.sa().mode() == IpsecMode.TRANSPORT) {
            job.buf = InnerPacket.rebuildTransportPacket(allocator, job.buf, nextHeader,
                    job.sender.getAddress(), job.recipient.getAddress());
        } else if (nextHeader != InnerPacket.IPV4 && nextHeader != InnerPacket.IPV6) {
            return DropReason.MALFORMED;
        }
        FlowKey flow = flows[worker];
        if (!flow.parse(job.buf)) {
            return DropReason.SELECTOR_MISMATCH;
        }
        if (!sa.sa().allowsInbound(flow)) {
            // An ICMP error about a flow of this SA may still pass (RFC 4301 §6.2, icmp.TunnelIcmp).
            TunnelIcmp icmp = policy.icmp();
            DropReason refused = icmp == null ? DropReason.SELECTOR_MISMATCH : icmp.inbound(job.buf, flow, sa.sa());
            if (refused != null) {
                return refused;
            }
        } else if (flow.icmpType() >= 0 && policy.icmp() != null && sa.carriesOnlyIcmp()) {
            // On the explicit ICMP SA: checked against the data SA its quote belongs to (RFC 4301 §6.2).
            DropReason refused = policy.icmp().onIcmpSaInbound(job.buf, flow, sa.sa());
            if (refused != null) {
                return refused;
            }
        }
        PmtuState pmtu = sa.pmtu();
        if (pmtu != null && flow.protocol() == FlowKey.PROTO_TCP) {
            InnerMtuEnforcer.clampMss(mssClamps[worker], job.buf, pmtu.effectiveMtu());
        }
        return null;
    }

    /** Step 5. */
    @Override
    public void deliver(InboundJob job) {
        if (job.drop != null) {
            job.sa.sa().countDrop(job.drop);
            counters.dropInbound(job.drop);
            return;
        }
        int length = job.buf.readableBytes();
        try {
            tun.writeBatched(job.buf);
            job.sa.sa().countPacket(length);
            PmtuState pmtu = job.sa.pmtu();
            if (pmtu != null) {
                pmtu.countInbound(); // the peer is heard: the black-hole detector asks
            }
            counters.received(length);
        } catch (IOException e) {
            LOG.warn("TUN {} write failed: {}", tun.name(), e.getMessage());
        }
    }

    /** The end of a batch: TCP segments held to be written as one super-packet go now. */
    @Override
    public void endOfBatch() {
        try {
            tun.flushWrites();
        } catch (IOException e) {
            LOG.warn("TUN {} write failed: {}", tun.name(), e.getMessage());
        }
    }

    void stop() {
        lane.close();
    }

    static final class InboundJob extends CryptoJob {
        private final InboundPath path;
        ByteBuf buf;
        SaRuntime sa;
        long seq;
        InetSocketAddress sender;
        InetSocketAddress recipient;
        DropReason drop;

        InboundJob(InboundPath path) {
            this.path = path;
        }

        @Override
        protected void process(int workerIndex) {
            drop = path.open(this, workerIndex);
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
            drop = null;
            sender = recipient = null;
        }
    }
}
