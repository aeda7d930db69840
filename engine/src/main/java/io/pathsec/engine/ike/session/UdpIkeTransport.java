package io.pathsec.engine.ike.session;

import io.netty.buffer.ByteBuf;
import io.pathsec.engine.datapath.DataPath;
import io.pathsec.engine.pmtu.OuterSocketPmtuMode;
import io.pathsec.engine.pmtu.UdpSocketFd;
import io.pathsec.engine.transport.UdpEncapsulationSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;

/**
 * IKE over UDP: port 500 on a socket of its own, port 4500 shared with the data path's ESP
 * socket, where IKE travels behind the non-ESP marker (RFC 3948 §2.2). Received messages are
 * handed to a {@link Receiver} on the session's scheduler thread.
 */
public final class UdpIkeTransport implements IkeTransport, UdpEncapsulationSocket.IkeReceiver, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UdpIkeTransport.class);
    private static final int MAX_MESSAGE = 65535;

    /** Gets every received IKE message, on the session thread. */
    public interface Receiver {
        void receive(byte[] message, InetSocketAddress from, boolean viaNatTraversal);
    }

    private final DatagramChannel port500;
    /** The port 500 socket's descriptor for IP_MTU_DISCOVER on probes, or -1 when unknown. */
    private final int port500Fd;
    private final IkeScheduler scheduler;
    private final Thread reader;
    private volatile Receiver receiver;
    private volatile DataPath natTraversalPort;
    private volatile boolean closed;

    private UdpIkeTransport(DatagramChannel port500, IkeScheduler scheduler) {
        this.port500 = port500;
        this.port500Fd = localPort(port500) > 0 ? UdpSocketFd.find(localPort(port500)) : -1;
        this.scheduler = scheduler;
        this.reader = new Thread(this::readLoop, "ike-udp-500");
        reader.setDaemon(true);
    }

    /** Binds UDP {@code local} (port 500) in the calling thread's network namespace. */
    public static UdpIkeTransport bind(InetSocketAddress local, IkeScheduler scheduler) throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(local);
            ch.socket().setSoTimeout(500); // lets the reader notice close within half a second
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot bind IKE port " + local + ": " + e.getMessage(), e);
        }
        return new UdpIkeTransport(ch, scheduler);
    }

    /** Starts delivering; {@code dataPath} carries port 4500 (it must have been started with this receiver). */
    public void start(Receiver receiver, DataPath dataPath) {
        this.receiver = receiver;
        this.natTraversalPort = dataPath;
        reader.start();
    }

    private void readLoop() {
        byte[] buf = new byte[MAX_MESSAGE];
        java.net.DatagramPacket packet = new java.net.DatagramPacket(buf, buf.length);
        while (!closed) {
            try {
                port500.socket().receive(packet);
                deliver(Arrays.copyOf(buf, packet.getLength()), (InetSocketAddress) packet.getSocketAddress(), false);
            } catch (SocketTimeoutException e) {
                // loop to check closed
            } catch (IOException e) {
                if (!closed) {
                    LOG.debug("IKE port 500 read failed: {}", e.toString());
                }
            }
        }
    }

    /** Port 4500: called on the data path's event loop with the marker already stripped. */
    @Override
    public void receive(ByteBuf message, InetSocketAddress sender, InetSocketAddress recipient) {
        byte[] copy = new byte[message.readableBytes()];
        message.getBytes(message.readerIndex(), copy);
        deliver(copy, sender, true);
    }

    private void deliver(byte[] message, InetSocketAddress from, boolean natT) {
        Receiver r = receiver;
        if (r != null && !closed) {
            scheduler.execute(() -> r.receive(message, from, natT));
        }
    }

    @Override
    public void send(byte[] message, InetSocketAddress to, boolean natTraversal) {
        if (closed) {
            return;
        }
        try {
            if (natTraversal) {
                DataPath dp = natTraversalPort;
                if (dp != null) {
                    dp.sendIke(message, to);
                }
            } else {
                port500.send(ByteBuffer.wrap(message), to);
            }
        } catch (IOException | RuntimeException e) {
            // A lost datagram is what retransmission is for; the session must not fail here.
            LOG.debug("IKE send to {} failed: {}", to, e.toString());
        }
    }

    /**
     * On port 4500 (the data path's socket) the probe is written with DF set; port 500 is switched
     * to probe mode for this one datagram (RFC 8899 §4.4: probes leave with DF whatever the
     * route's cached MTU).
     */
    @Override
    public void sendProbe(byte[] message, InetSocketAddress to, boolean natTraversal) {
        if (natTraversal) {
            DataPath dp = natTraversalPort;
            if (dp != null && !closed) {
                try {
                    dp.sendIkeProbe(message, to);
                } catch (RuntimeException e) {
                    LOG.debug("IKE probe to {} failed: {}", to, e.toString());
                }
            }
            return;
        }
        if (port500Fd < 0) {
            send(message, to, false);
            return;
        }
        synchronized (port500) {
            try {
                OuterSocketPmtuMode.whileProbing(port500Fd, () -> send(message, to, false));
            } catch (IOException | RuntimeException | LinkageError e) {
                LOG.debug("probe mode on port 500 failed, sending as usual: {}", e.toString());
                send(message, to, false);
            }
        }
    }

    private static int localPort(DatagramChannel ch) {
        try {
            return ch.getLocalAddress() instanceof InetSocketAddress a ? a.getPort() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public void sendNatKeepalive(InetSocketAddress to) {
        DataPath dp = natTraversalPort;
        if (dp != null && !closed) {
            dp.sendNatKeepalive(to);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            port500.close();
        } catch (IOException e) {
            LOG.debug("closing port 500: {}", e.toString());
        }
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
