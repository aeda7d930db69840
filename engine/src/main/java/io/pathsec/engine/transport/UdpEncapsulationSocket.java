package io.pathsec.engine.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.pathsec.engine.pmtu.OuterSocketPmtuMode;
import io.pathsec.engine.esp.UdpEncapsulation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The UDP socket on port 4500 that carries ESP-in-UDP and IKE (RFC 3948), on Netty's epoll
 * transport so that reads use recvmmsg and a flush of many datagrams one sendmmsg.
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

    /** Receives IKE messages (non-ESP marker already stripped); must not block. */
    public interface IkeReceiver {
        void receive(ByteBuf message, InetSocketAddress sender, InetSocketAddress recipient);
    }

    /** The socket's own IPv4 DF mode (probe mode: set); written on the data path's threads, read on the loop. */
    private volatile boolean defaultDf = true;
    private final EventLoopGroup group;
    private final Channel channel;
    private final LongAdder keepalives = new LongAdder();
    private final LongAdder ikeWithoutHandler = new LongAdder();

    private UdpEncapsulationSocket(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /**
     * Binds the socket.
     *
     * @param ikeReceiver null while no IKE runs on this socket (static keys): IKE is then counted and dropped
     */
    public static UdpEncapsulationSocket bind(InetSocketAddress local, EspTransport.EspReceiver espReceiver,
                                              IkeReceiver ikeReceiver) throws IOException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        UdpEncapsulationSocket[] self = new UdpEncapsulationSocket[1];
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(EpollDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER_BYTES)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER_BYTES)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM * 16))
                .handler(new SimpleChannelInboundHandler<DatagramPacket>(false) {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                        self[0].classify(packet, espReceiver, ikeReceiver);
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        // ICMP errors reported on the socket (ECONNREFUSED …) must not close it.
                        LOG.debug("UDP socket error: {}", cause.toString());
                    }
                });
        try {
            Channel ch = b.bind(local).sync().channel();
            self[0] = new UdpEncapsulationSocket(group, ch);
            return self[0];
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IOException("cannot bind UDP " + local + ": " + e.getMessage(), e);
        }
    }

    private void classify(DatagramPacket packet, EspTransport.EspReceiver esp, IkeReceiver ike) {
        ByteBuf payload = packet.content();
        if (UdpEncapsulation.isNatKeepalive(payload)) {
            keepalives.increment();
            packet.release();
        } else if (UdpEncapsulation.isIke(payload)) {
            if (ike == null) {
                ikeWithoutHandler.increment();
                packet.release();
            } else {
                try {
                    ike.receive(payload.skipBytes(4), packet.sender(), packet.recipient());
                } finally {
                    packet.release();
                }
            }
        } else {
            esp.receive(packet);
        }
    }

    /** Queues a datagram; it leaves at the next {@link #flush()}. Takes ownership of the buffer. */
    @Override
    public void write(ByteBuf payload, InetSocketAddress to) {
        channel.write(new DatagramPacket(payload, to), channel.voidPromise());
    }

    /**
     * A datagram whose DF differs from the socket's mode: on the event loop, behind everything
     * queued before it, the datagrams queued so far leave in the socket's mode, then the socket's
     * IPv4 mode is switched for this one datagram and back (ip(7) has no per-datagram DF).
     */
    @Override
    public void write(ByteBuf payload, InetSocketAddress to, boolean outerDf) {
        if (outerDf == defaultDf) {
            write(payload, to);
            return;
        }
        channel.eventLoop().execute(() -> {
            channel.flush();
            try {
                OuterSocketPmtuMode.setIpv4Df(fd(), outerDf);
                channel.writeAndFlush(new DatagramPacket(payload, to), channel.voidPromise());
            } catch (IOException | RuntimeException | LinkageError e) {
                LOG.debug("DF {} not applied, sent in the socket's mode: {}", outerDf, e.toString());
                channel.writeAndFlush(new DatagramPacket(payload, to), channel.voidPromise());
            } finally {
                try {
                    OuterSocketPmtuMode.setIpv4Df(fd(), defaultDf);
                } catch (IOException | RuntimeException | LinkageError e) {
                    LOG.warn("outer socket DF mode not restored: {}", e.toString());
                }
            }
        });
    }

    @Override
    public void defaultOuterDf(boolean df) throws IOException {
        OuterSocketPmtuMode.setIpv4Df(fd(), df);
        defaultDf = df;
    }

    /** Sends every queued datagram (one sendmmsg where the kernel allows). */
    @Override
    public void flush() {
        channel.flush();
    }

    /** The socket's file descriptor, for options Netty does not expose (SO_MARK). */
    public int fd() {
        return ((EpollDatagramChannel) channel).fd().intValue();
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
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
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
}
