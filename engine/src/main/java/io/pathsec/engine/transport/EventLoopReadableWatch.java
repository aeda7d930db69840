package io.pathsec.engine.transport;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A descriptor (the TUN device) registered on the UDP socket's Netty event loop, so that one
 * thread waits in one epoll_wait(2) for both: the idle tunnel's answer to a packet then lands on
 * the thread that is already awake (docs/architecture.md "One thread waits for both"). Level-triggered,
 * and a handler that stops with work left (its budget spent, to let the socket's reads in; a
 * super-packet half split leaves the descriptor unreadable) says so and is called again after
 * the loop's other work. The handler also runs every {@code idleMillis} (if above 0), as a
 * reader's poll timeout would.
 *
 * <p>The descriptor stays the caller's: Netty only adds it to and removes it from its epoll set;
 * the {@link Handle} it holds closes nothing.
 */
final class EventLoopReadableWatch implements ReadableWatch {
    private static final Logger LOG = LoggerFactory.getLogger(EventLoopReadableWatch.class);
    private static final long CANCEL_WAIT_SECONDS = 2;

    private final IoEventLoop loop;
    private final FileDescriptor fd;
    /** Returns true when it stopped with work left. */
    private final BooleanSupplier handler;
    /** Touched on the loop only. */
    private IoRegistration registration;
    private ScheduledFuture<?> idleTick;

    private EventLoopReadableWatch(IoEventLoop loop, int fd, BooleanSupplier handler) {
        this.loop = loop;
        this.fd = new FileDescriptor(fd);
        this.handler = handler;
    }

    static ReadableWatch start(IoEventLoop loop, int fd, BooleanSupplier handler, long idleMillis) throws IOException {
        EventLoopReadableWatch watch = new EventLoopReadableWatch(loop, fd, handler);
        var registered = loop.register(watch.new Handle()).awaitUninterruptibly();
        if (!registered.isSuccess()) {
            throw new IOException("cannot watch fd " + fd + " on the event loop: " + registered.cause(),
                    registered.cause());
        }
        var armed = loop.submit(() -> {
            watch.registration = registered.getNow();
            watch.registration.submit(EpollIoOps.EPOLLIN);
            if (idleMillis > 0) {
                watch.idleTick = loop.scheduleWithFixedDelay(watch::run, idleMillis, idleMillis, TimeUnit.MILLISECONDS);
            }
        }).awaitUninterruptibly();
        if (!armed.isSuccess()) {
            registered.getNow().cancel();
            throw new IOException("cannot watch fd " + fd + " on the event loop: " + armed.cause(), armed.cause());
        }
        return watch;
    }

    /** What Netty's epoll loop holds: the descriptor and what to do when it is readable. */
    private final class Handle implements EpollIoHandle {
        @Override
        public FileDescriptor fd() {
            return fd;
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            run();
        }

        /** Called by Netty when the loop shuts down: the descriptor is not Netty's to close. */
        @Override
        public void close() {
        }
    }

    private void run() {
        try {
            if (handler.getAsBoolean() && registration != null) {
                loop.execute(this::run);
            }
        } catch (RuntimeException e) {
            // The loop also serves the UDP socket: a failing handler must not take it down.
            LOG.error("handler of fd {} failed", fd.intValue(), e);
        }
    }

    @Override
    public void close() {
        if (loop.inEventLoop()) {
            cancel(); // the handler is not running beside us: this is its thread
            return;
        }
        if (loop.isShuttingDown()) {
            return; // the loop removes every registration itself, and runs nothing more
        }
        loop.submit(this::cancel).awaitUninterruptibly(CANCEL_WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private void cancel() {
        if (idleTick != null) {
            idleTick.cancel(false);
            idleTick = null;
        }
        if (registration != null) {
            registration.cancel();
            registration = null;
        }
    }
}
