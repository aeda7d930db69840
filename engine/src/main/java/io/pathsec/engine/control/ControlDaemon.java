package io.pathsec.engine.control;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.pathsec.engine.control.api.ControlProtocol;
import io.pathsec.engine.control.api.LogLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The PathSec daemon: holds any number of tunnels and serves the control API on a Unix domain
 * socket. Closing it takes every tunnel down (devices, routes, rules) and removes the socket.
 *
 * <p>Threads: one Netty event loop for all connections' I/O; a bounded pool of request workers
 * (a connect blocks for as long as the tunnel takes to come up, and must not stall the I/O);
 * one timer for the per-second counters.
 */
public final class ControlDaemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlDaemon.class);
    /** The slf4j MDC key that names the profile a log line is about, while a request is served. */
    public static final String PROFILE_LOG_KEY = "profile";
    /** Events buffered per subscriber before they are dropped for it (Netty's high water mark). */
    static final int SUBSCRIBER_QUEUE_BYTES = 256 * 1024;
    private static final int WORKERS = 8;
    private static final int QUEUED_REQUESTS = 1024;

    private final DaemonOptions options;
    private final EventHub events;
    private final TunnelRegistry tunnels;
    private final EventLoopGroup loop;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService timer;
    private final Channel server;
    /** Every open client connection; a closed channel leaves the group by itself. */
    private final ChannelGroup clients;
    private volatile boolean closed;

    private ControlDaemon(DaemonOptions options, EventHub events, TunnelRegistry tunnels, EventLoopGroup loop,
                          ThreadPoolExecutor workers, ScheduledExecutorService timer, Channel server,
                          ChannelGroup clients) {
        this.options = options;
        this.events = events;
        this.tunnels = tunnels;
        this.loop = loop;
        this.workers = workers;
        this.timer = timer;
        this.server = server;
        this.clients = clients;
    }

    public static ControlDaemon start(DaemonOptions options) throws IOException {
        Epoll.ensureAvailability();
        ProfileStore profiles = ProfileStore.open(options.stateDir());
        EventHub events = new EventHub();
        TunnelRegistry tunnels = new TunnelRegistry(options.starter(), events);
        ControlRequests requests = new ControlRequests(profiles, tunnels, options.version(), events.recent());
        ThreadPoolExecutor workers = new ThreadPoolExecutor(WORKERS, WORKERS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUED_REQUESTS), named("pathsec-control-worker"));
        workers.allowCoreThreadTimeOut(true);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(named("pathsec-counters"));
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, named("pathsec-control-io"), EpollIoHandler.newFactory());
        ChannelGroup clients = new DefaultChannelGroup("pathsec-control-clients", GlobalEventExecutor.INSTANCE);
        try {
            ControlSocket.prepare(options.socket(), options.socketGroup());
            Channel server = new ServerBootstrap()
                    .group(loop)
                    .channel(EpollServerDomainSocketChannel.class)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                            new WriteBufferWaterMark(SUBSCRIBER_QUEUE_BYTES / 4, SUBSCRIBER_QUEUE_BYTES))
                    .childHandler(new ChannelInitializer<EpollDomainSocketChannel>() {
                        @Override
                        protected void initChannel(EpollDomainSocketChannel ch) {
                            clients.add(ch);
                            ch.pipeline().addLast(new LineFramer(ControlProtocol.MAX_MESSAGE_BYTES),
                                    new ControlConnection(options.access(), requests, events, workers,
                                            SUBSCRIBER_QUEUE_BYTES));
                        }
                    })
                    .bind(new DomainSocketAddress(options.socket().toFile())).sync().channel();
            ControlSocket.secure(options.socket(), options.socketMode(), options.socketGroup());
            timer.scheduleAtFixedRate(new CounterSampler(tunnels, events), 1, 1, TimeUnit.SECONDS);
            LOG.info("PathSec daemon {} listening on {} (profiles in {})", options.version(), options.socket(),
                    options.stateDir());
            return new ControlDaemon(options, events, tunnels, loop, workers, timer, server, clients);
        } catch (IOException | RuntimeException e) {
            shutdown(loop, workers, timer);
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdown(loop, workers, timer);
            throw new IOException("interrupted while binding " + options.socket());
        }
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public Path socket() {
        return options.socket();
    }

    /** Forwards a log line to subscribers (the launcher's log appender calls this). */
    public void publishLog(LogLine line) {
        if (!closed) {
            events.publish(line);
        }
    }

    /** The event stream, for engine parts that publish (PMTU, probes, ICMP decisions). */
    public EventHub events() {
        return events;
    }

    /** Takes every tunnel down, stops serving, and removes the socket. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        LOG.info("PathSec daemon stopping: taking {} tunnel(s) down", tunnels.running().size());
        tunnels.close();
        closed = true;
        server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        // Hang up on every client before the event loop stops: the loop's own shutdown closes
        // its channels only if it notices the shutdown before its last pass, and with a quiet
        // period of 0 a loop that is busy at that moment (say, with another client's hang-up)
        // exits without doing so. Those clients would then wait on a socket nobody serves.
        clients.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        shutdown(loop, workers, timer);
        try {
            Files.deleteIfExists(options.socket());
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", options.socket(), e.getMessage());
        }
        LOG.info("PathSec daemon stopped");
    }

    private static void shutdown(EventLoopGroup loop, ThreadPoolExecutor workers, ScheduledExecutorService timer) {
        timer.shutdownNow();
        workers.shutdownNow();
        loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
