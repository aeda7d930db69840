package io.pathsec.engine.tun;

import io.pathsec.engine.linux.LinuxLibC;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static io.pathsec.engine.linux.LinuxLibC.C;
import static io.pathsec.engine.linux.LinuxLibC.CLONE_NEWNET;
import static io.pathsec.engine.linux.LinuxLibC.O_CLOEXEC;
import static io.pathsec.engine.linux.LinuxLibC.O_RDONLY;
import static io.pathsec.engine.linux.LinuxLibC.check;

/**
 * Threads that live in a named network namespace ({@code ip netns add NAME}, which bind-mounts
 * it at {@code /run/netns/NAME}), for the lab, the integration tests and a daemon that serves
 * a namespace other than its own.
 *
 * <p>setns(2) with CLONE_NEWNET moves only the calling thread, and a Java platform thread is one
 * kernel thread; so each task gets a fresh thread that enters the namespace first and dies after
 * the task, never returning to a pool in the wrong namespace. Whatever that thread creates —
 * a TUN fd, sockets, a {@link LinuxInterfaceConfig} — stays bound to the namespace for its
 * whole life and may then be used from any thread.
 */
public final class NetnsThread {

    private static final AtomicInteger COUNT = new AtomicInteger();

    private NetnsThread() {
    }

    /** Runs {@code task} on a new thread inside {@code netns}, waits, and returns its result. */
    public static <T> T call(String netns, Callable<T> task) throws Exception {
        Path path = path(netns);
        FutureTask<T> future = new FutureTask<>(() -> {
            enter(path);
            return task.call();
        });
        Thread thread = new Thread(future, threadName(netns));
        thread.setDaemon(true);
        thread.start();
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            throw (Error) cause;
        }
    }

    /**
     * Starts a long-lived daemon thread (a TUN reader, a lab router) inside {@code netns}.
     * Returns once the thread is in the namespace, so a failure to enter is thrown here and
     * {@code task} never runs in the wrong namespace.
     */
    public static Thread start(String netns, Runnable task) throws IOException, InterruptedException {
        Path path = path(netns);
        CountDownLatch entered = new CountDownLatch(1);
        IOException[] failure = new IOException[1];
        Thread thread = new Thread(() -> {
            try {
                enter(path);
            } catch (IOException e) {
                failure[0] = e;
                return;
            } finally {
                entered.countDown();
            }
            task.run();
        }, threadName(netns));
        thread.setDaemon(true);
        thread.start();
        entered.await(); // setns(2) is one system call: this wait is short and bounded
        if (failure[0] != null) {
            throw failure[0];
        }
        return thread;
    }

    /** Moves the calling thread into the namespace at {@code path} (setns(2), CLONE_NEWNET). */
    static void enter(Path path) throws IOException {
        int fd = check(C.open(path.toString(), O_RDONLY | O_CLOEXEC), "open " + path);
        try {
            check(C.setns(fd, CLONE_NEWNET), "setns " + path);
        } finally {
            LinuxLibC.closeQuietly(fd);
        }
    }

    private static String threadName(String netns) {
        return "netns-" + netns + "-" + COUNT.incrementAndGet();
    }

    /** A bare name is an {@code ip netns} name; a path (e.g. /proc/PID/ns/net) is used as is. */
    static Path path(String netns) {
        return netns.contains("/") ? Path.of(netns) : Path.of("/run/netns", netns);
    }
}
