package io.pathsec.engine.datapath;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.pathsec.engine.pmtu.ClassicPmtud;
import io.pathsec.engine.pmtu.IcmpPmtuValidator;
import io.pathsec.engine.pmtu.InnerIcmpSource;
import io.pathsec.engine.pmtu.InnerMtuEnforcer;
import io.pathsec.engine.pmtu.OuterIcmpReceiver;
import io.pathsec.engine.pmtu.OuterDf;
import io.pathsec.engine.pmtu.OuterIcmpStats;
import io.pathsec.engine.pmtu.OuterSocketPmtuMode;
import io.pathsec.engine.pmtu.PeerSilenceWatch;
import io.pathsec.engine.pmtu.PmtuState;
import io.pathsec.engine.transport.EspTransport;
import io.pathsec.engine.transport.PacketThreads;
import io.pathsec.engine.transport.ReadableWatch;
import io.pathsec.engine.transport.UdpEncapsulationSocket;
import io.pathsec.engine.tun.SocketMark;
import io.pathsec.engine.tun.TunDevice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The running data path of one tunnel: the UDP socket's event loop, which reads the TUN
 * (outbound) and the socket (inbound) — or, over an in-memory transport, a TUN reader thread
 * beside it — the crypto workers both directions share, and one ordered lane per direction;
 * beside them, path MTU discovery (DESIGN.md "Path MTU"): the outer socket in probe mode, the
 * outer ICMP receiver, and the raise timer of every outbound SA.
 */
public final class DataPath implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DataPath.class);
    /** How often the PMTU raise timers are looked at; a raise is late by up to this. */
    private static final long PMTU_TICK_MILLIS = 250;
    /** System property: {@code true} reads the TUN on a thread of its own, as before (A/B runs). */
    static final String READER_THREAD_PROPERTY = "pathsec.datapath.tunReaderThread";
    /** Half of PeerSilenceWatch.SILENCE_MILLIS: a silence is noticed within 75 ms of its start. */
    private static final long SILENCE_TICK_MILLIS = 25;

    private final TunnelCounters counters;
    private final CryptoWorkers workers;
    private final InboundPath inbound;
    private final EspTransport socket;
    private final OutboundPath outbound;
    /** The TUN's reader: a watch on the socket's event loop, or else a thread of its own. */
    private final ReadableWatch tunWatch;
    private final Thread reader;
    private final TunnelPolicy policy;
    private final ClassicPmtud classicPmtud;
    private final OuterIcmpReceiver icmpReceiver;
    private final ScheduledExecutorService pmtuTimer;
    private final InnerMtuEnforcer mtuEnforcer;

    private DataPath(TunnelCounters counters, CryptoWorkers workers, InboundPath inbound,
                     EspTransport socket, OutboundPath outbound, ReadableWatch tunWatch, Thread reader,
                     TunnelPolicy policy,
                     ClassicPmtud classicPmtud, OuterIcmpReceiver icmpReceiver, ScheduledExecutorService pmtuTimer,
                     InnerMtuEnforcer mtuEnforcer) {
        this.counters = counters;
        this.workers = workers;
        this.inbound = inbound;
        this.socket = socket;
        this.outbound = outbound;
        this.tunWatch = tunWatch;
        this.reader = reader;
        this.policy = policy;
        this.classicPmtud = classicPmtud;
        this.icmpReceiver = icmpReceiver;
        this.pmtuTimer = pmtuTimer;
        this.mtuEnforcer = mtuEnforcer;
    }

    /**
     * Starts both directions.
     *
     * @param outerSocketMark SO_MARK for the UDP socket, so that policy routing keeps the outer
     *                        packets out of the tunnel; 0 for none
     */
    public static DataPath start(TunDevice tun, TunnelPolicy policy, InetSocketAddress listen, int workerCount,
                                 int outerSocketMark) throws IOException {
        return start(tun, policy, listen, workerCount, outerSocketMark, null);
    }

    /**
     * Starts both directions with IKE sharing the UDP port (RFC 3948 §2.2): datagrams that start
     * with the non-ESP marker go to {@code ikeReceiver}; {@link #sendIke} sends on the same socket.
     */
    public static DataPath start(TunDevice tun, TunnelPolicy policy, InetSocketAddress listen, int workerCount,
                                 int outerSocketMark, UdpEncapsulationSocket.IkeReceiver ikeReceiver)
            throws IOException {
        return start(tun, policy, workerCount, udpOpener(listen, outerSocketMark, ikeReceiver),
                new InnerIcmpSource(List.of()), true);
    }

    /**
     * The UDP 4500 socket as a transport opener, so that a caller may wrap it (a diagnostics
     * capture) before {@link #start(TunDevice, TunnelPolicy, int, EspTransport.Opener)}. The
     * socket is put in PMTU probe mode ({@link OuterSocketPmtuMode}): the engine sizes packets.
     */
    public static EspTransport.Opener udpOpener(InetSocketAddress listen, int outerSocketMark,
                                                UdpEncapsulationSocket.IkeReceiver ikeReceiver) {
        return receiver -> {
            UdpEncapsulationSocket socket = UdpEncapsulationSocket.bind(listen, receiver, ikeReceiver);
            try {
                if (outerSocketMark != 0) {
                    SocketMark.setSocketMark(socket.fd(), outerSocketMark);
                }
            } catch (IOException e) {
                socket.close();
                throw e;
            }
            try {
                OuterSocketPmtuMode.setProbeMode(socket.fd());
            } catch (IOException | RuntimeException | LinkageError e) {
                LOG.warn("outer socket not in PMTU probe mode, the kernel's route MTU applies: {}", e.toString());
            }
            return socket;
        };
    }

    /** Starts both directions over any transport (an in-memory pair in tests); no outer ICMP. */
    public static DataPath start(TunDevice tun, TunnelPolicy policy, int workerCount, EspTransport.Opener transport)
            throws IOException {
        return start(tun, policy, workerCount, transport, new InnerIcmpSource(List.of()), false);
    }

    /**
     * Starts both directions and path MTU discovery.
     *
     * @param icmpSource where the ICMP errors to inner senders come from (RFC 4301 §8.2.1)
     * @param outerIcmp whether to receive outer ICMP (classic PMTUD, raw sockets): true for a
     *                  real outer path, false for in-memory transports
     */
    public static DataPath start(TunDevice tun, TunnelPolicy policy, int workerCount, EspTransport.Opener transport,
                                 InnerIcmpSource icmpSource, boolean outerIcmp) throws IOException {
        ByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;
        TunnelCounters counters = new TunnelCounters();
        CryptoWorkers workers = new CryptoWorkers(tun.name(), workerCount, TunnelLimits.WORKER_QUEUE);
        InboundPath inbound = new InboundPath(tun, policy, allocator, workers,
                TunnelLimits.IN_FLIGHT_PER_DIRECTION, counters);
        EspTransport socket;
        try {
            socket = transport.open(inbound);
        } catch (IOException e) {
            inbound.stop();
            workers.close();
            throw e;
        }
        if (policy.pmtuSettings().outerDf() == OuterDf.CLEAR) {
            try {
                socket.defaultOuterDf(false); // RFC 4301 §8.1 "clear"; probes still set it
            } catch (IOException | RuntimeException | LinkageError e) {
                LOG.warn("outer DF cannot be cleared, it stays set: {}", e.toString());
            }
        }
        ClassicPmtud classic = new ClassicPmtud(new IcmpPmtuValidator(policy,
                policy.pmtuSettings().icmpSequenceWindow()));
        if (policy.icmp() != null) {
            classic.check(policy.icmp().unprotectedSide()); // RFC 4301 §6.1.1 before any outer ICMP is used
        }
        OuterIcmpReceiver receiver = null;
        if (outerIcmp && policy.pmtuSettings().enabled(io.pathsec.engine.pmtu.PmtuSource.CLASSIC_ICMP)) {
            try {
                receiver = OuterIcmpReceiver.start(classic, tun.name());
            } catch (IOException | RuntimeException | LinkageError e) {
                LOG.warn("no classic PMTUD (outer ICMP cannot be received): {}", e.toString());
            }
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, tun.name() + "-pmtu-timer");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> tickRaiseTimers(policy), PMTU_TICK_MILLIS, PMTU_TICK_MILLIS,
                TimeUnit.MILLISECONDS);
        InnerMtuEnforcer enforcer = new InnerMtuEnforcer(tun, icmpSource);
        OutboundPath outbound = new OutboundPath(tun, policy, socket, allocator, workers,
                TunnelLimits.IN_FLIGHT_PER_DIRECTION, counters, enforcer);
        if (policy.pmtuSettings().enabled(io.pathsec.engine.pmtu.PmtuSource.BLACK_HOLE)) {
            timer.scheduleWithFixedDelay(() -> watchPeerSilence(policy, outbound), SILENCE_TICK_MILLIS,
                    SILENCE_TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
        ReadableWatch watch = watchTun(tun, socket, outbound);
        Thread reader = null;
        if (watch == null) {
            reader = PacketThreads.newThread(outbound, tun.name() + "-tun-reader");
            reader.start();
        }
        return new DataPath(counters, workers, inbound, socket, outbound, watch, reader, policy, classic, receiver,
                timer, enforcer);
    }

    /**
     * The TUN read on the socket's event loop: one thread per end waits for both, so the answer
     * to an idle tunnel's packet (the echo reply the kernel queues while the inbound packet is
     * written to the TUN; the reply arriving at the end that just sent) finds that thread awake
     * instead of waking a second one (BENCHMARKS.md, idle round trip). Null where the transport
     * has no event loop or the device no descriptor: then a reader thread.
     */
    private static ReadableWatch watchTun(TunDevice tun, EspTransport socket, OutboundPath outbound) {
        int fd = tun.readableFd();
        if (fd < 0 || Boolean.getBoolean(READER_THREAD_PROPERTY)) {
            return null;
        }
        try {
            return socket.watchReadable(fd, outbound::drainReady, OutboundPath.POLL_MILLIS);
        } catch (IOException | RuntimeException e) {
            LOG.warn("TUN {} read on a thread of its own, not on the socket's event loop: {}", tun.name(),
                    e.toString());
            return null;
        }
    }

    /** RFC 8899 §5.1.1: each outbound SA's PMTU_RAISE_TIMER. */
    private static void tickRaiseTimers(TunnelPolicy policy) {
        try {
            for (SaRuntime sa : policy.outboundSas()) {
                PmtuState pmtu = sa.pmtu();
                int before = pmtu.plpmtu();
                if (pmtu.tick()) {
                    LOG.info("SA {}: raise timer expired, PLPMTU {} -> {}, effective inner MTU {}",
                            pmtu.saName(), before, pmtu.plpmtu(), pmtu.effectiveMtu());
                }
            }
        } catch (RuntimeException e) {
            LOG.error("PMTU timer failed", e); // the next tick tries again
        }
    }

    /** A peer silent after full-size segments: a black-hole check (pmtu.PeerSilenceWatch). */
    private static void watchPeerSilence(TunnelPolicy policy, OutboundPath outbound) {
        try {
            long icmpWindow = policy.pmtuSettings().blackHoleWindow().toMillis();
            for (SaRuntime sa : policy.outboundSas()) {
                PeerSilenceWatch.poll(sa.pmtu(), icmpWindow, outbound::lateTooBig);
            }
        } catch (RuntimeException e) {
            LOG.error("peer silence watch failed", e); // the next tick tries again
        }
    }

    public TunnelStats stats() {
        return counters.snapshot();
    }

    /** The PMTU state of each outbound SA. */
    public List<PmtuState> pmtuStates() {
        return policy.outboundSas().stream().map(SaRuntime::pmtu).toList();
    }

    /** Outer ICMP packet-too-big messages accepted and rejected (forged or unvalidated). */
    public OuterIcmpStats outerIcmpStats() {
        return classicPmtud.stats();
    }

    /** NAT keepalives received (RFC 3948 §2.3). */
    public long natKeepalives() {
        return socket.natKeepalives();
    }

    /** Sends one IKE message from the data path's port, behind the four-octet non-ESP marker. */
    public void sendIke(byte[] message, InetSocketAddress to) {
        socket.write(nonEspMarked(message), to);
        socket.flush();
    }

    /** As {@link #sendIke}, with DF set whatever the tunnel's outer DF setting: a DPLPMTUD probe (RFC 8899 §4.4). */
    public void sendIkeProbe(byte[] message, InetSocketAddress to) {
        socket.write(nonEspMarked(message), to, true);
        socket.flush();
    }

    private static io.netty.buffer.ByteBuf nonEspMarked(byte[] message) {
        io.netty.buffer.ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer(4 + message.length);
        buf.writeInt(0);
        buf.writeBytes(message);
        return buf;
    }

    /** Sends one NAT-keepalive, the single octet 0xFF, from the data path's port (RFC 3948 §2.3). */
    public void sendNatKeepalive(InetSocketAddress to) {
        io.netty.buffer.ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer(1);
        buf.writeByte(0xff);
        socket.write(buf, to);
        socket.flush();
    }

    @Override
    public void close() {
        outbound.stop();
        if (tunWatch != null) {
            tunWatch.close(); // before the TUN closes: its fd number must leave the epoll set first
        } else {
            try {
                reader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        socket.close();
        inbound.stop();
        workers.close();
        pmtuTimer.shutdownNow();
        if (icmpReceiver != null) {
            icmpReceiver.close();
        }
        mtuEnforcer.close();
    }
}
