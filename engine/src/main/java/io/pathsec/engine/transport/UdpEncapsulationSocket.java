package io.pathsec.engine.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.Socket;
import io.pathsec.engine.pmtu.OuterSocketPmtuMode;
import io.pathsec.engine.pmtu.SocketReceiveQueue;
import io.pathsec.engine.esp.UdpEncapsulation;
import io.pathsec.engine.linux.LinuxLibC;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The UDP socket on port 4500 that carries ESP-in-UDP and IKE (RFC 3948). It is read on its own
 * epoll loop ({@link EpollLoop}), which also serves the TUN device ({@link #watchReadable}), with
 * recvmmsg(2) ({@link RecvmmsgBatch}); sends are {@link SendmmsgBatch}es made by the writing
 * thread itself. Netty provides the native socket and the buffers.
 *
 * <p>Every datagram is classified by its first bytes (RFC 3948 §2.2–2.3): a one-byte 0xFF is a
 * NAT keepalive and is dropped; four zero bytes (the non-ESP marker) start an IKE message;
 * anything else is ESP and goes to the {@link EspReceiver}.
 */
public final class UdpEncapsulationSocket implements EspTransport {
    private static final Logger LOG = LoggerFactory.getLogger(UdpEncapsulationSocket.class);

    /** Large socket buffers: the reference daemons lose packets in the default 212 KB (BUILD-NOTES). */
    static final int SOCKET_BUFFER_BYTES = 8 * 1024 * 1024;
    /** Largest datagram we expect; recvmmsg reads up to 16 of them per buffer. */
    static final int MAX_DATAGRAM = 9216;
    /** The name of the event loop's thread, before the port. */
    public static final String LOOP_THREAD_PREFIX = "pathsec-udp-";
    /** recvmmsg(2) calls per turn of the loop, before the TUN device gets its turn. */
    private static final int RECEIVES_PER_TURN = 4;

    /** Receives IKE messages (non-ESP marker already stripped); must not block. */
    public interface IkeReceiver {
        void receive(ByteBuf message, InetSocketAddress sender, InetSocketAddress recipient);
    }

    /** The socket's own IPv4 DF mode (probe mode: set); written on the data path's threads, read on the loop. */
    private volatile boolean defaultDf = true;
    private final EpollLoop loop;
    private final Socket socket;
    private final InetSocketAddress localAddress;
    private final EspTransport.EspReceiver espReceiver;
    private final IkeReceiver ikeReceiver;
    private final LongAdder keepalives = new LongAdder();
    private final LongAdder ikeWithoutHandler = new LongAdder();
    private final LongAdder sendDrops = new LongAdder();
    private final LongAdder receiveDrops = new LongAdder();
    /** Guarded by itself; null once closed. */
    private SendmmsgBatch outgoing;
    /** Read on the loop only. */
    private final RecvmmsgBatch incoming;
    /** {@link #classify}, made once: the loop hands it every datagram. */
    private final Consumer<DatagramPacket> classifier = this::classify;
    private final SocketReceiveQueue receiveQueue;
    /** Set once at bind, before the first read; closed first at close. */
    private ReadableWatch reading;

    private UdpEncapsulationSocket(EpollLoop loop, Socket socket, EspTransport.EspReceiver espReceiver,
                                   IkeReceiver ikeReceiver) {
        this.loop = loop;
        this.socket = socket;
        this.localAddress = socket.localAddress();
        this.espReceiver = espReceiver;
        this.ikeReceiver = ikeReceiver;
        // Netty's default allocator, as its datagram channel used: its large receive buffers are
        // freed by other threads (the crypto workers), which the pooled arenas serve with a lock.
        this.outgoing = new SendmmsgBatch(fd(), family(fd()), ByteBufAllocator.DEFAULT, sendDrops);
        this.incoming = new RecvmmsgBatch(fd(), MAX_DATAGRAM, localAddress, ByteBufAllocator.DEFAULT, receiveDrops);
        this.receiveQueue = new SocketReceiveQueue(fd());
    }

    /** On the socket's event loop, {@link EpollLoop} (the TUN device). */
    @Override
    public ReadableWatch watchReadable(int fd, BooleanSupplier handler, long idleMillis) throws IOException {
        return loop.watch(fd, handler, idleMillis);
    }

    /** FIONREAD on the socket: datagrams the event loop has not read yet. */
    @Override
    public boolean receivePending() {
        return receiveQueue.getAsBoolean();
    }

    /**
     * Binds the socket and starts reading it.
     *
     * @param ikeReceiver null while no IKE runs on this socket (static keys): IKE is then counted and dropped
     */
    public static UdpEncapsulationSocket bind(InetSocketAddress local, EspTransport.EspReceiver espReceiver,
                                              IkeReceiver ikeReceiver) throws IOException {
        Epoll.ensureAvailability(); // Netty's native library, which its Socket needs
        EpollLoop loop = EpollLoop.start(LOOP_THREAD_PREFIX + local.getPort());
        Socket socket = null;
        try {
            // Netty's native socket: AF_INET6 where the host has IPv6 (IPv4 peers v4-mapped), non-blocking.
            socket = Socket.newSocketDgram();
            socket.setReuseAddress(true);
            socket.setReceiveBufferSize(SOCKET_BUFFER_BYTES);
            socket.setSendBufferSize(SOCKET_BUFFER_BYTES);
            socket.bind(local);
            UdpEncapsulationSocket self = new UdpEncapsulationSocket(loop, socket, espReceiver, ikeReceiver);
            self.reading = loop.watch(self.fd(), self::receiveTurn, 0);
            return self;
        } catch (IOException | RuntimeException e) {
            if (socket != null) {
                socket.close();
            }
            loop.close();
            throw new IOException("cannot bind UDP " + local + ": " + e.getMessage(), e);
        }
    }

    /**
     * One turn of the loop on the socket: reads until the queue is empty or {@link
     * #RECEIVES_PER_TURN} batches were read, then ends the receive (held TCP segments go to the
     * TUN device). True when it stopped with datagrams left.
     */
    private boolean receiveTurn() {
        int read = 0;
        boolean full = false;
        try {
            for (int turn = 0; turn < RECEIVES_PER_TURN; turn++) {
                int n = incoming.receive(classifier);
                read += n;
                full = incoming.filled();
                if (!full) {
                    break;
                }
            }
        } catch (RecvmmsgBatch.ReceiveError e) {
            // An error queued on the socket (an ICMP error on a socket with IP_RECVERR): the
            // read consumed it; the datagrams behind it are read at the next readiness.
            LOG.debug("UDP socket error: {}", e.getMessage());
        }
        if (read > 0) {
            espReceiver.endOfReceive();
        }
        return full;
    }

    /**
     * Hands one datagram on by its first bytes. A receiver that fails loses its datagram only:
     * the rest of the read, and the socket, go on.
     */
    private void classify(DatagramPacket packet) {
        ByteBuf payload = packet.content();
        try {
            if (UdpEncapsulation.isNatKeepalive(payload)) {
                keepalives.increment();
                packet.release();
            } else if (UdpEncapsulation.isIke(payload)) {
                receiveIke(packet);
            } else {
                espReceiver.receive(packet);
            }
        } catch (RuntimeException e) {
            LOG.warn("datagram from {} dropped: {}", packet.sender(), e.toString());
        }
    }

    private void receiveIke(DatagramPacket packet) {
        try {
            if (ikeReceiver == null) {
                ikeWithoutHandler.increment();
            } else {
                ikeReceiver.receive(packet.content().skipBytes(4), packet.sender(), packet.recipient());
            }
        } finally {
            packet.release();
        }
    }

    /**
     * Queues a datagram; it leaves at the next {@link #flush()} (or earlier, when a batch is
     * full). Takes ownership of the buffer. Sending bypasses the event loop: the writing thread
     * makes the sendmmsg(2) call itself, so no thread is woken per packet; the loop only receives.
     */
    @Override
    public void write(ByteBuf payload, InetSocketAddress to) {
        if (to.isUnresolved()) {
            payload.release();
            sendDrops.increment();
            return;
        }
        synchronized (this) {
            if (outgoing == null) {
                payload.release();
                return;
            }
            outgoing.add(payload, to);
        }
    }

    /**
     * A datagram whose DF differs from the socket's mode: the datagrams queued before it leave
     * first in the socket's mode, then the socket's IPv4 mode is switched for this one datagram
     * and back (ip(7) has no per-datagram DF). All under the send lock, so no other datagram
     * leaves in the switched mode.
     */
    @Override
    public void write(ByteBuf payload, InetSocketAddress to, boolean outerDf) {
        if (outerDf == defaultDf || to.isUnresolved()) {
            write(payload, to);
            return;
        }
        synchronized (this) {
            if (outgoing == null) {
                payload.release();
                return;
            }
            flush();
            boolean switched = setDf(outerDf);
            outgoing.add(payload, to);
            outgoing.send();
            if (switched && !setDf(defaultDf)) {
                LOG.warn("outer socket DF mode not restored to {}", defaultDf);
            }
        }
    }

    private boolean setDf(boolean df) {
        try {
            OuterSocketPmtuMode.setIpv4Df(fd(), df);
            return true;
        } catch (IOException | RuntimeException | LinkageError e) {
            LOG.debug("DF {} not applied, sent in the socket's mode: {}", df, e.toString());
            return false;
        }
    }

    @Override
    public void defaultOuterDf(boolean df) throws IOException {
        OuterSocketPmtuMode.setIpv4Df(fd(), df);
        defaultDf = df;
    }

    /** Sends every queued datagram with one sendmmsg(2) per {@link SendmmsgBatch#CAPACITY}. */
    @Override
    public synchronized void flush() {
        if (outgoing != null && outgoing.pending() > 0) {
            outgoing.send();
        }
    }

    /** Datagrams the kernel refused, or that found no room in the socket buffer in time. */
    public long sendDrops() {
        return sendDrops.sum();
    }

    /**
     * The socket's address family (SO_DOMAIN): Netty opens AF_INET6 where the host has IPv6,
     * and such a socket reaches IPv4 peers through v4-mapped addresses (ipv6(7)).
     */
    private static int family(int fd) {
        try {
            return LinuxLibC.getInt(fd, LinuxLibC.SOL_SOCKET, LinuxLibC.SO_DOMAIN, "getsockopt(SO_DOMAIN)");
        } catch (IOException e) {
            throw new IllegalStateException("UDP socket without a family: " + e.getMessage(), e);
        }
    }

    /** The socket's file descriptor, for options Netty does not expose (SO_MARK). */
    public int fd() {
        return socket.intValue();
    }

    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** Datagrams longer than {@link #MAX_DATAGRAM}, cut by the kernel and dropped. */
    public long receiveDrops() {
        return receiveDrops.sum();
    }

    @Override
    public long natKeepalives() {
        return keepalives.sum();
    }

    public long ikeMessagesDropped() {
        return ikeWithoutHandler.sum();
    }

    @Override
    public void close() {
        synchronized (this) {
            // Under the lock no send is in progress, and none starts: the fd is closed below.
            if (outgoing != null) {
                outgoing.discard();
                outgoing = null;
            }
        }
        if (reading != null) {
            reading.close(); // no read after this: the descriptor and the buffers can go
        }
        incoming.release();
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("closing the UDP socket: {}", e.toString());
        }
        loop.close();
    }
}
