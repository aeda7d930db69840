package io.pathsec.engine.datapath;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.pathsec.engine.transport.EspTransport;
import io.pathsec.engine.transport.UdpEncapsulationSocket;
import io.pathsec.engine.tun.SocketMark;
import io.pathsec.engine.tun.TunDevice;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The running data path of one tunnel: the TUN reader thread (outbound), the UDP socket's
 * event loop (inbound), the crypto workers they share, and one ordered lane per direction.
 */
public final class DataPath implements AutoCloseable {
    private final TunnelCounters counters;
    private final CryptoWorkers workers;
    private final InboundPath inbound;
    private final EspTransport socket;
    private final OutboundPath outbound;
    private final Thread reader;

    private DataPath(TunnelCounters counters, CryptoWorkers workers, InboundPath inbound,
                     EspTransport socket, OutboundPath outbound, Thread reader) {
        this.counters = counters;
        this.workers = workers;
        this.inbound = inbound;
        this.socket = socket;
        this.outbound = outbound;
        this.reader = reader;
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
        return start(tun, policy, workerCount, udpOpener(listen, outerSocketMark, ikeReceiver));
    }

    /**
     * The UDP 4500 socket as a transport opener, so that a caller may wrap it (a diagnostics
     * capture) before {@link #start(TunDevice, TunnelPolicy, int, EspTransport.Opener)}.
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
            return socket;
        };
    }

    /** Starts both directions over any transport (an in-memory pair in tests). */
    public static DataPath start(TunDevice tun, TunnelPolicy policy, int workerCount, EspTransport.Opener transport)
            throws IOException {
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
        OutboundPath outbound = new OutboundPath(tun, policy, socket, allocator, workers,
                TunnelLimits.IN_FLIGHT_PER_DIRECTION, counters);
        Thread reader = new Thread(outbound, tun.name() + "-tun-reader");
        reader.setDaemon(true);
        reader.start();
        return new DataPath(counters, workers, inbound, socket, outbound, reader);
    }

    public TunnelStats stats() {
        return counters.snapshot();
    }

    /** NAT keepalives received (RFC 3948 §2.3). */
    public long natKeepalives() {
        return socket.natKeepalives();
    }

    /** Sends one IKE message from the data path's port, behind the four-octet non-ESP marker. */
    public void sendIke(byte[] message, InetSocketAddress to) {
        io.netty.buffer.ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer(4 + message.length);
        buf.writeInt(0);
        buf.writeBytes(message);
        socket.write(buf, to);
        socket.flush();
    }

    @Override
    public void close() {
        outbound.stop();
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        socket.close();
        inbound.stop();
        workers.close();
    }
}
