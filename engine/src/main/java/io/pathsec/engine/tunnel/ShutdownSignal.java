package io.pathsec.engine.tunnel;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * SIGTERM / Ctrl-C for a foreground service: the JVM's shutdown hook signals the service's
 * loop and then waits, bounded, until the service has taken its tunnel down (devices, routes,
 * rules), so a stop never leaves them behind.
 */
public final class ShutdownSignal implements AutoCloseable {
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread hook;

    private ShutdownSignal(long cleanupSeconds) {
        hook = new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(cleanupSeconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pathsec-shutdown");
    }

    /** Installs the hook; the JVM's exit waits up to {@code cleanupSeconds} for {@link #close}. */
    public static ShutdownSignal install(long cleanupSeconds) {
        ShutdownSignal s = new ShutdownSignal(cleanupSeconds);
        Runtime.getRuntime().addShutdownHook(s.hook);
        return s;
    }

    /** Waits up to {@code millis} for a stop request; true once one came. */
    public boolean awaitStop(long millis) throws InterruptedException {
        return stop.await(millis, TimeUnit.MILLISECONDS);
    }

    /** The service has cleaned up: the exit may go on; the hook is removed unless it is running. */
    @Override
    public void close() {
        stopped.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: that is how we got here
        }
    }
}
