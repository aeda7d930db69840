package io.pathsec.engine.pmtu.tcpmss;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.pathsec.engine.ike.session.IkeSaExtensionKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The initiator's side of the TCP-MSS method (the seed proposal), run once per IKE SA right after
 * IKE_AUTH, beside the tunnel and never in its way:
 * <ol>
 *   <li>connect to the responder's outer address on the TCP-MSS port, from our outer address,
 *       with the outer sockets' SO_MARK so the connection takes the outer path, not the tunnel;</li>
 *   <li>read the MSS observed on the connection ({@link ObservedMss}) and send HELLO: the IKE
 *       SA's SPIs, a challenge, the transcript MAC;</li>
 *   <li>verify RESPONDER_MSS (its MAC covers our HELLO), answer INITIATOR_MSS, close;</li>
 *   <li>report the path MTU from the smaller of the two MSS values ({@link TcpMssResult}).</li>
 * </ol>
 * A refused connection is retried a few times within the exchange time (the responder starts
 * listening when it has sent IKE_AUTH's answer, a moment before we act on it); anything else
 * that goes wrong ends in a {@link TcpMssResult.Failed}, logged once, and the tunnel keeps the
 * path MTU its other sources give. One event-loop thread, gone when the exchange ends.
 */
public final class TcpMssInitiator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TcpMssInitiator.class);
    private static final int CONNECT_TRIES = 4;
    private static final long RETRY_DELAY_MILLIS = 250;

    private final TcpMssSettings settings;
    private final InetSocketAddress local;
    private final InetSocketAddress peer;
    private final int mark;
    private final IkeSaExtensionKey key;
    private final SecureRandom random;
    private final TcpMssStats stats;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    private final CompletableFuture<TcpMssResult> result = new CompletableFuture<>();
    private final java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile Channel channel;

    private TcpMssInitiator(TcpMssSettings settings, InetAddress local, InetAddress peer, int mark,
                            IkeSaExtensionKey key, SecureRandom random, TcpMssStats stats) {
        this.settings = settings;
        this.local = new InetSocketAddress(local, 0);
        this.peer = new InetSocketAddress(peer, settings.port());
        this.mark = mark;
        this.key = key;
        this.random = random;
        this.stats = stats;
    }

    /**
     * Starts the exchange when the profile enables the method and the peer announced PathSec's
     * Vendor ID; else does nothing. Call on the IKE session's thread after IKE_AUTH (the key comes
     * from the session); returns at once.
     *
     * @param mark     the outer sockets' SO_MARK, 0 for none
     * @param whenDone called once with the outcome, on the exchange's thread
     */
    public static Optional<TcpMssInitiator> afterIkeAuth(TcpMssSettings settings, boolean peerSpeaksPathSec,
                                                         TcpMssKeySource keys, InetAddress local, InetAddress peer,
                                                         int mark, TcpMssStats stats, Consumer<TcpMssResult> whenDone) {
        if (!settings.enabled()) {
            return Optional.empty();
        }
        if (!peerSpeaksPathSec) {
            LOG.info("TCP-MSS method: {} did not announce PathSec's Vendor ID; not used", peer.getHostAddress());
            return Optional.empty();
        }
        Optional<IkeSaExtensionKey> key = keys.tcpMssKey();
        if (key.isEmpty()) {
            return Optional.empty();
        }
        TcpMssInitiator i = new TcpMssInitiator(settings, local, peer, mark, key.get(), new SecureRandom(), stats);
        i.result.thenAccept(whenDone);
        i.start();
        return Optional.of(i);
    }

    /** Completes once, with the measured path MTU or the reason there is none. */
    public CompletableFuture<TcpMssResult> result() {
        return result;
    }

    private void start() {
        group.schedule(() -> finish(failed(TcpMssRejection.TIMEOUT, "no answer within " + settings.exchangeTimeout())),
                settings.exchangeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        connect(1);
    }

    private void connect(int attempt) {
        if (finished.get()) {
            return;
        }
        Bootstrap b = new Bootstrap().group(group)
                .channelFactory(this::markedChannel)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
                .handler(new Exchange());
        b.connect(peer, local).addListener(f -> {
            if (f.isSuccess()) {
                return;
            }
            Throwable cause = f.cause();
            if (cause instanceof ConnectException && !(cause instanceof io.netty.channel.ConnectTimeoutException)
                    && attempt < CONNECT_TRIES) {
                group.schedule(() -> connect(attempt + 1), RETRY_DELAY_MILLIS, TimeUnit.MILLISECONDS);
            } else if (cause instanceof UncheckedIOException local) {
                finish(failed(TcpMssRejection.LOCAL_ERROR, local.getCause().getMessage()));
            } else {
                finish(failed(TcpMssRejection.UNREACHABLE, "port " + peer.getPort() + "/tcp: " + cause.getMessage()));
            }
        });
    }

    private EpollSocketChannel markedChannel() {
        EpollSocketChannel ch = OuterPathSockets.client(peer.getAddress(), mark);
        channel = ch;
        return ch;
    }

    private TcpMssResult.Failed failed(TcpMssRejection reason, String detail) {
        return new TcpMssResult.Failed(reason, detail, Instant.now());
    }

    private void finish(TcpMssResult outcome) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        stats.count(outcome); // counted before anyone hears the outcome
        if (outcome instanceof TcpMssResult.Measured) {
            LOG.info("TCP-MSS method with {}: {}", peer.getAddress().getHostAddress(), outcome);
        } else {
            LOG.info("TCP-MSS method with {}: {}; the other path MTU sources carry on",
                    peer.getAddress().getHostAddress(), outcome);
        }
        Channel ch = channel;
        if (ch != null && ch.isOpen() && !(outcome instanceof TcpMssResult.Measured)) {
            ch.close();
        }
        result.complete(outcome);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** Stops the exchange (the tunnel is closing); the outcome becomes CLOSED_EARLY if none yet. */
    @Override
    public void close() {
        finish(failed(TcpMssRejection.CLOSED_EARLY, "the tunnel closed"));
    }

    /** HELLO out, RESPONDER_MSS in, INITIATOR_MSS out. */
    private final class Exchange extends TcpMssFraming {
        private TcpMssTranscript transcript;
        private int localMss;

        Exchange() {
            super(TcpMssMessage.Type.RESPONDER_MSS);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            try {
                localMss = ObservedMss.read(((EpollSocketChannel) ctx.channel()).fd().intValue());
            } catch (IOException e) {
                finish(failed(TcpMssRejection.LOCAL_ERROR, e.getMessage()));
                return;
            }
            transcript = TcpMssTranscript.of(key);
            send(ctx, transcript.seal(new TcpMssMessage.Hello(key.initiatorSpi(), key.responderSpi(),
                    TcpMssMessage.newChallenge(random)).body()));
            super.channelActive(ctx);
        }

        @Override
        void received(ChannelHandlerContext ctx, byte[] message) throws TcpMssException {
            TcpMssMessage.ResponderMss answer = (TcpMssMessage.ResponderMss) TcpMssMessage.decode(message, expected);
            transcript.open(message);
            expected = null;
            sendAndClose(ctx, transcript.seal(new TcpMssMessage.InitiatorMss(localMss).body()));
            boolean ipv6 = peer.getAddress() instanceof Inet6Address;
            finish(new TcpMssResult.Measured(localMss, answer.observedMss(),
                    ObservedMss.pathMtu(localMss, answer.observedMss(), ipv6), Instant.now()));
        }

        @Override
        void refused(ChannelHandlerContext ctx, TcpMssException e) {
            finish(failed(e.reason(), "the responder's answer: " + e.getMessage()));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            finish(failed(TcpMssRejection.CLOSED_EARLY, "the responder closed the connection"));
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            finish(failed(TcpMssRejection.CLOSED_EARLY, cause.toString()));
            ctx.close();
        }
    }
}
