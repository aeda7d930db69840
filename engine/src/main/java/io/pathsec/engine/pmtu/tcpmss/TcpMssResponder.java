package io.pathsec.engine.pmtu.tcpmss;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import io.pathsec.engine.ike.session.IkeSaExtensionKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The responder's side of the TCP-MSS method, for a gateway (road warriors and host-to-host
 * peers alike). It listens on the TCP-MSS port only while at least one IKE SA whose peer
 * announced PathSec's Vendor ID waits for its exchange ({@link #expect}, right after IKE_AUTH);
 * each wait ends with the exchange, the IKE SA, or the listen window, and the last one closes the
 * socket. The listening socket carries the outer sockets' SO_MARK, which accepted connections
 * inherit, so answers take the outer path even to a peer whose address is routed into the tunnel.
 *
 * <p>Per connection: the peer's address must be one we wait for; HELLO must name a waiting IKE
 * SA and carry its MAC; we answer RESPONDER_MSS with a fresh challenge and the MSS we observed;
 * INITIATOR_MSS must verify over the whole transcript. Anything else closes the connection and
 * is counted ({@link TcpMssStats}); after {@link #MAX_FAILURES} bad attempts an IKE SA stops
 * waiting. Nothing here blocks an IKE thread for more than the bind of the socket.
 */
public final class TcpMssResponder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TcpMssResponder.class);
    /** Connections handled at once; more are refused (BUSY). */
    static final int MAX_CONNECTIONS = 32;
    /** Failed exchanges after which an IKE SA stops waiting (a peer with the wrong key, an attacker). */
    static final int MAX_FAILURES = 3;
    private static final long BIND_WAIT_MILLIS = 2000;

    private record SpiPair(long initiatorSpi, long responderSpi) {
    }

    /** One IKE SA waiting for its exchange. */
    private final class Expectation {
        final IkeSaExtensionKey key;
        final InetAddress peer;
        final Consumer<TcpMssResult> whenDone;
        final AtomicInteger failures = new AtomicInteger();
        volatile ScheduledFuture<?> expiry;

        Expectation(IkeSaExtensionKey key, InetAddress peer, Consumer<TcpMssResult> whenDone) {
            this.key = key;
            this.peer = peer;
            this.whenDone = whenDone;
        }

        SpiPair spis() {
            return new SpiPair(key.initiatorSpi(), key.responderSpi());
        }
    }

    private final InetSocketAddress listen;
    private final TcpMssSettings settings;
    private final int mark;
    private final TcpMssStats stats = new TcpMssStats();
    private final SecureRandom random = new SecureRandom();
    private final Map<SpiPair, Expectation> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicBoolean listenFailureLogged = new AtomicBoolean();
    private EventLoopGroup group;
    private Channel server;

    /**
     * @param listen our outer address (the gateway's listen address)
     * @param mark   the outer sockets' SO_MARK, 0 for none
     */
    public TcpMssResponder(InetAddress listen, TcpMssSettings settings, int mark) {
        this.listen = new InetSocketAddress(listen, settings.port());
        this.settings = settings;
        this.mark = mark;
    }

    public TcpMssStats stats() {
        return stats;
    }

    /** Whether the TCP-MSS port is open now. */
    public synchronized boolean listening() {
        return server != null && server.isOpen();
    }

    /**
     * After IKE_AUTH, on the session's thread: waits for the initiator's connection if the method
     * is on and the peer announced PathSec's Vendor ID; else does nothing.
     *
     * @param whenDone called once with the outcome, on the exchange's thread
     */
    public void afterIkeAuth(boolean peerSpeaksPathSec, TcpMssKeySource keys, InetAddress peer,
                             Consumer<TcpMssResult> whenDone) {
        if (!settings.enabled() || !peerSpeaksPathSec) {
            return;
        }
        keys.tcpMssKey().ifPresent(key -> expect(key, peer, whenDone));
    }

    private void expect(IkeSaExtensionKey key, InetAddress peer, Consumer<TcpMssResult> whenDone) {
        Expectation e = new Expectation(key, peer, whenDone);
        waiting.put(e.spis(), e);
        String failure = openIfNeeded();
        if (failure != null) {
            end(e, new TcpMssResult.Failed(TcpMssRejection.LOCAL_ERROR, failure, Instant.now()));
            return;
        }
        e.expiry = group.schedule(() -> end(e, new TcpMssResult.Failed(TcpMssRejection.TIMEOUT,
                "no TCP-MSS connection within " + settings.listenWindow(), Instant.now())),
                settings.listenWindow().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The IKE SA is gone: stop waiting for it. */
    public void forget(long initiatorSpi, long responderSpi) {
        Expectation e = waiting.remove(new SpiPair(initiatorSpi, responderSpi));
        if (e != null) {
            cancelExpiry(e);
            closeIfIdle();
        }
    }

    /** Ends one IKE SA's wait with {@code outcome} (once), counted, and closes the port when none is left. */
    private void end(Expectation e, TcpMssResult outcome) {
        end(e, outcome, true);
    }

    /** @param count false when the connection that ended it was counted already */
    private void end(Expectation e, TcpMssResult outcome, boolean count) {
        if (!waiting.remove(e.spis(), e)) {
            return;
        }
        cancelExpiry(e);
        if (count) {
            stats.count(outcome);
        }
        LOG.info("TCP-MSS method with {}: {}", e.peer.getHostAddress(), outcome);
        closeIfIdle();
        e.whenDone.accept(outcome);
    }

    private static void cancelExpiry(Expectation e) {
        ScheduledFuture<?> f = e.expiry;
        if (f != null) {
            f.cancel(false);
        }
    }

    /** Opens the port if it is not open; returns null, or why it could not. */
    private synchronized String openIfNeeded() {
        if (server != null && server.isOpen()) {
            return null;
        }
        if (group == null) {
            group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        }
        ChannelFuture bound = new ServerBootstrap().group(group)
                .channelFactory(() -> OuterPathSockets.server(listen.getAddress(), mark))
                // The port reopens for the next IKE SA while the last connection sits in TIME_WAIT.
                .option(io.netty.channel.ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<EpollSocketChannel>() {
                    @Override
                    protected void initChannel(EpollSocketChannel ch) {
                        ch.pipeline().addLast(new Exchange());
                    }
                })
                .bind(listen);
        if (!bound.awaitUninterruptibly(BIND_WAIT_MILLIS) || !bound.isSuccess()) {
            bound.channel().close();
            Throwable cause = bound.cause();
            String why = "cannot listen on " + listen + "/tcp: " + (cause == null ? "timeout"
                    : cause instanceof UncheckedIOException u ? u.getCause().getMessage() : cause.getMessage());
            if (listenFailureLogged.compareAndSet(false, true)) {
                LOG.warn("TCP-MSS method: {}; peers fall back to the other path MTU sources", why);
            }
            return why;
        }
        server = bound.channel();
        LOG.debug("TCP-MSS port {}/tcp open", listen);
        return null;
    }

    private synchronized void closeIfIdle() {
        if (waiting.isEmpty() && server != null) {
            server.close();
            server = null;
            LOG.debug("TCP-MSS port {}/tcp closed: no IKE SA waits for it", listen);
        }
    }


    @Override
    public void close() {
        for (Expectation e : waiting.values()) {
            cancelExpiry(e);
        }
        waiting.clear();
        EventLoopGroup g;
        synchronized (this) {
            if (server != null) {
                server.close();
                server = null;
            }
            g = group;
            group = null;
        }
        if (g != null) {
            g.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /** HELLO in, RESPONDER_MSS out, INITIATOR_MSS in. */
    private final class Exchange extends TcpMssFraming {
        private Expectation expectation;
        private TcpMssTranscript transcript;
        private int localMss;
        private InetAddress from;
        private boolean counted;

        Exchange() {
            super(TcpMssMessage.Type.HELLO);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            from = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
            counted = true; // released in channelInactive
            if (connections.incrementAndGet() > MAX_CONNECTIONS) {
                reject(ctx, TcpMssRejection.BUSY, "more than " + MAX_CONNECTIONS + " connections");
                return;
            }
            if (waiting.values().stream().noneMatch(e -> e.peer.equals(from))) {
                reject(ctx, TcpMssRejection.UNEXPECTED_PEER, "no IKE SA with " + from.getHostAddress() + " waits");
                return;
            }
            try {
                localMss = ObservedMss.read(((EpollSocketChannel) ctx.channel()).fd().intValue());
            } catch (IOException e) {
                reject(ctx, TcpMssRejection.LOCAL_ERROR, e.getMessage());
                return;
            }
            ctx.executor().schedule(() -> {
                if (ctx.channel().isOpen()) {
                    reject(ctx, TcpMssRejection.TIMEOUT, "exchange not done within " + settings.exchangeTimeout());
                }
            }, settings.exchangeTimeout().toMillis(), TimeUnit.MILLISECONDS);
            super.channelActive(ctx);
        }

        @Override
        void received(ChannelHandlerContext ctx, byte[] message) throws TcpMssException {
            if (expected == TcpMssMessage.Type.HELLO) {
                hello(ctx, message);
            } else {
                initiatorMss(ctx, message);
            }
        }

        private void hello(ChannelHandlerContext ctx, byte[] message) throws TcpMssException {
            TcpMssMessage.Hello hello = (TcpMssMessage.Hello) TcpMssMessage.decode(message, expected);
            Expectation e = waiting.get(new SpiPair(hello.initiatorSpi(), hello.responderSpi()));
            if (e == null) {
                throw new TcpMssException(TcpMssRejection.UNKNOWN_IKE_SA, "HELLO names no waiting IKE SA");
            }
            if (!e.peer.equals(from)) {
                throw new TcpMssException(TcpMssRejection.UNEXPECTED_PEER, "the IKE SA's peer is "
                        + e.peer.getHostAddress() + ", the connection comes from " + from.getHostAddress());
            }
            expectation = e;
            transcript = TcpMssTranscript.of(e.key);
            transcript.open(message);
            expected = TcpMssMessage.Type.INITIATOR_MSS;
            byte[] answer = new TcpMssMessage.ResponderMss(TcpMssMessage.newChallenge(random), localMss).body();
            send(ctx, transcript.seal(answer));
        }

        private void initiatorMss(ChannelHandlerContext ctx, byte[] message) throws TcpMssException {
            TcpMssMessage.InitiatorMss m = (TcpMssMessage.InitiatorMss) TcpMssMessage.decode(message, expected);
            transcript.open(message);
            expected = null;
            ctx.close();
            boolean ipv6 = from instanceof Inet6Address;
            end(expectation, new TcpMssResult.Measured(localMss, m.observedMss(),
                    ObservedMss.pathMtu(localMss, m.observedMss(), ipv6), Instant.now()));
        }

        @Override
        void refused(ChannelHandlerContext ctx, TcpMssException e) {
            expected = null; // one refusal per connection: closing it must not count again
            stats.rejected(e.reason());
            LOG.info("TCP-MSS connection from {} refused: {} ({})", from.getHostAddress(), e.reason(), e.getMessage());
            Expectation x = expectation;
            if (x != null && x.failures.incrementAndGet() >= MAX_FAILURES) {
                end(x, new TcpMssResult.Failed(e.reason(), MAX_FAILURES + " failed exchanges", Instant.now()), false);
            }
        }

        private void reject(ChannelHandlerContext ctx, TcpMssRejection reason, String why) {
            refused(ctx, new TcpMssException(reason, why));
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (counted) {
                connections.decrementAndGet();
                counted = false;
            }
            if (expected != null && expectation != null) {
                refused(ctx, new TcpMssException(TcpMssRejection.CLOSED_EARLY, "the initiator closed mid-exchange"));
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("TCP-MSS connection from {}: {}", from, cause.toString());
            ctx.close();
        }
    }
}
