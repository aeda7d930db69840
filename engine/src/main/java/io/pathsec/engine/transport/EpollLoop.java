package io.pathsec.engine.transport;

import io.pathsec.engine.linux.LinuxLibC;
import jnr.ffi.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static io.pathsec.engine.linux.LinuxLibC.C;
import static io.pathsec.engine.linux.LinuxLibC.EINTR;

/**
 * The ESP socket's event loop: one thread waiting in one epoll_wait(2) for the UDP socket and
 * the TUN device, so that an idle tunnel's answer lands on the thread that is already awake
 * (docs/architecture.md, "One thread waits for both").
 *
 * <p>Why not Netty's event loop, which did this job before: on an idle tunnel every packet wakes
 * a loop whose caches went cold, and what runs between the wake-up and the first read, and again
 * between the last write and the next wait, is paid at cold-cache speed on every hop of a round
 * trip. Netty's loop runs its task and timer machinery there (scheduled-task queue, wake-up
 * bookkeeping, its registration table); this loop runs a handler, its queued tasks and its due
 * idle ticks, and nothing else (BENCHMARKS.md, "Our own epoll loop").
 *
 * <p>Level-triggered. A handler returns true when it stopped with work left (its budget spent)
 * and then runs again at the next turn, without waiting. Tasks from other threads
 * ({@link #execute}) wake the loop through an eventfd.
 */
final class EpollLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EpollLoop.class);
    // <sys/epoll.h>
    private static final int EPOLL_CLOEXEC = 0x80000;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CTL_DEL = 2;
    private static final int EPOLLIN = 0x001;
    /** struct epoll_event { uint32_t events; uint64_t data; } is packed on x86-64 only. */
    private static final boolean PACKED_EVENT = System.getProperty("os.arch", "").matches("amd64|x86_64");
    private static final int EVENT_SIZE = PACKED_EVENT ? 12 : 16;
    private static final int EVENT_DATA = PACKED_EVENT ? 4 : 8;
    private static final int MAX_EVENTS = 16;
    /** Tasks run per turn at most, so a flood of them cannot starve the descriptors. */
    private static final int TASKS_PER_TURN = 1024;
    /** epoll data of the wake-up eventfd; watches count from 1. */
    private static final long WAKE_ID = 0;
    private static final long CLOSE_WAIT_MILLIS = 2000;

    private final int epollFd;
    private final int wakeFd;
    /** Holds the eventfd increment 1, never changed: any thread may write it. */
    private final Pointer one;
    /** Loop thread only. */
    private final Pointer events;
    private final Pointer counter;
    private final List<Watch> again = new ArrayList<>();
    private final List<Watch> runNow = new ArrayList<>();
    /** Copy on write, under {@code this}; the loop reads it without a lock (a few entries, no allocation). */
    private volatile Watch[] watches = new Watch[0];
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final Thread thread;
    private volatile boolean running = true;

    private EpollLoop(int epollFd, int wakeFd, String name) {
        this.epollFd = epollFd;
        this.wakeFd = wakeFd;
        this.one = LinuxLibC.allocate(Long.BYTES);
        one.putLong(0, 1);
        this.events = LinuxLibC.allocate(MAX_EVENTS * EVENT_SIZE);
        this.counter = LinuxLibC.allocate(Long.BYTES);
        this.thread = PacketThreads.newThread(this::run, name);
    }

    /** Opens the epoll set and starts the loop's thread. */
    static EpollLoop start(String name) throws IOException {
        int epollFd = LinuxLibC.check(C.epoll_create1(EPOLL_CLOEXEC), "epoll_create1");
        int wakeFd = C.eventfd(0, LinuxLibC.EFD_NONBLOCK | LinuxLibC.EFD_CLOEXEC);
        if (wakeFd < 0) {
            int errno = LinuxLibC.errno();
            LinuxLibC.closeQuietly(epollFd);
            throw LinuxLibC.error("eventfd", errno);
        }
        EpollLoop loop = new EpollLoop(epollFd, wakeFd, name);
        try {
            loop.control(EPOLL_CTL_ADD, wakeFd, WAKE_ID);
        } catch (IOException e) {
            LinuxLibC.closeQuietly(wakeFd);
            LinuxLibC.closeQuietly(epollFd);
            throw e;
        }
        loop.thread.start();
        return loop;
    }

    /**
     * Calls {@code handler} on this loop's thread whenever {@code fd} is readable, and every
     * {@code idleMillis} besides (none if 0). The descriptor stays the caller's; close the watch
     * before the descriptor.
     */
    ReadableWatch watch(int fd, BooleanSupplier handler, long idleMillis) throws IOException {
        if (!running) {
            throw new IOException("event loop " + thread.getName() + " is closed");
        }
        Watch w = new Watch(nextId.getAndIncrement(), fd, handler, idleMillis);
        add(w); // before the descriptor can report: the loop finds its watch
        try {
            control(EPOLL_CTL_ADD, fd, w.id);
        } catch (IOException e) {
            remove(w);
            throw e;
        }
        wake(); // the loop's wait may need the new idle tick's timeout
        return w;
    }

    /** Runs {@code task} on the loop's thread, after the descriptors of the current turn. */
    void execute(Runnable task) {
        tasks.add(task);
        if (!inLoop()) {
            wake();
        }
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    private void wake() {
        if (wakePending.compareAndSet(false, true)) {
            C.write(wakeFd, one.address(), Long.BYTES);
        }
    }

    private synchronized void add(Watch w) {
        Watch[] grown = Arrays.copyOf(watches, watches.length + 1);
        grown[grown.length - 1] = w;
        watches = grown;
    }

    private synchronized void remove(Watch w) {
        watches = Arrays.stream(watches).filter(x -> x != w).toArray(Watch[]::new);
    }

    private Watch find(long id) {
        for (Watch w : watches) {
            if (w.id == id) {
                return w;
            }
        }
        return null;
    }

    private void control(int op, int fd, long id) throws IOException {
        Pointer event = LinuxLibC.allocate(EVENT_SIZE); // registration only, never per packet
        event.putInt(0, EPOLLIN);
        event.putLong(EVENT_DATA, id);
        LinuxLibC.check(C.epoll_ctl(epollFd, op, fd, event.address()), "epoll_ctl(fd " + fd + ")");
    }

    private void run() {
        try {
            turns();
        } finally {
            running = false;
            LinuxLibC.closeQuietly(wakeFd);
            LinuxLibC.closeQuietly(epollFd);
        }
    }

    private void turns() {
        while (running && turn()) {
            // each turn is a method of its own: compiled by its call count, where a loop body
            // would wait for on-stack replacement, which an idle loop's few turns never reach
        }
    }

    /** One wait and what it reported; false when the epoll set failed and the loop must stop. */
    private boolean turn() {
        int n = C.epoll_wait(epollFd, events.address(), MAX_EVENTS, timeoutMillis());
        if (n < 0) {
            int errno = LinuxLibC.errno();
            if (errno == EINTR) {
                return true;
            }
            LOG.error("epoll_wait failed, event loop {} stops: {}", thread.getName(), C.strerror(errno));
            return false;
        }
        runNow.addAll(again);
        again.clear();
        for (int i = 0; i < n; i++) {
            long id = events.getLong((long) i * EVENT_SIZE + EVENT_DATA);
            if (id == WAKE_ID) {
                wakePending.set(false); // before the tasks run: a task added after this wakes again
                C.read(wakeFd, counter.address(), Long.BYTES);
            } else {
                Watch w = find(id);
                if (w != null && !runNow.contains(w)) {
                    runNow.add(w);
                }
            }
        }
        for (int i = 0; i < runNow.size(); i++) {
            runNow.get(i).handle();
        }
        runNow.clear();
        runTasks();
        runIdleTicks(System.nanoTime());
        return true;
    }

    /** 0 while a handler has work left or a task waits; else until the next idle tick (-1: none). */
    private int timeoutMillis() {
        if (!again.isEmpty() || !tasks.isEmpty()) {
            return 0;
        }
        long next = Long.MAX_VALUE;
        for (Watch w : watches) {
            if (w.idleNanos > 0) {
                next = Math.min(next, w.nextTickNanos);
            }
        }
        if (next == Long.MAX_VALUE) {
            return -1;
        }
        long wait = next - System.nanoTime();
        return wait <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(wait) + 1);
    }

    private void runTasks() {
        for (int i = 0; i < TASKS_PER_TURN; i++) {
            Runnable task = tasks.poll();
            if (task == null) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("task on event loop {} failed", thread.getName(), e);
            }
        }
    }

    private void runIdleTicks(long now) {
        for (Watch w : watches) {
            if (w.idleNanos > 0 && now - w.nextTickNanos >= 0) {
                w.nextTickNanos = now + w.idleNanos;
                w.handle();
            }
        }
    }

    /**
     * Stops the loop: its thread ends after the current turn and closes the epoll set and the
     * eventfd as it goes; from another thread, waits for that up to 2 s. Watched descriptors
     * stay open: they are their owners'.
     */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        if (inLoop()) {
            return; // the thread ends when this turn does
        }
        wake();
        try {
            thread.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("event loop {} did not stop within {} ms", thread.getName(), CLOSE_WAIT_MILLIS);
        }
    }

    /** A descriptor in the epoll set and its handler. */
    private final class Watch implements ReadableWatch {
        final long id;
        final int fd;
        final BooleanSupplier handler;
        final long idleNanos;
        /** Loop thread only, after construction. */
        long nextTickNanos;
        private volatile boolean closed;

        Watch(long id, int fd, BooleanSupplier handler, long idleMillis) {
            this.id = id;
            this.fd = fd;
            this.handler = handler;
            this.idleNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, idleMillis));
            this.nextTickNanos = System.nanoTime() + idleNanos;
        }

        /** On the loop: the handler, once; again next turn if it says work is left. */
        void handle() {
            if (closed) {
                return;
            }
            try {
                if (handler.getAsBoolean() && !closed && !again.contains(this)) {
                    again.add(this);
                }
            } catch (RuntimeException e) {
                // The loop also serves the other descriptor: a failing handler must not take it down.
                LOG.error("handler of fd {} failed", fd, e);
            }
        }

        /** No handler call after this returns (from another thread: waits for the loop's turn, 2 s at most). */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            if (inLoop() || !running || !thread.isAlive()) {
                cancel();
                return;
            }
            CountDownLatch cancelled = new CountDownLatch(1);
            execute(() -> {
                cancel();
                cancelled.countDown();
            });
            try {
                if (!cancelled.await(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                    LOG.warn("watch of fd {} not cancelled on its loop within {} ms", fd, CLOSE_WAIT_MILLIS);
                    cancel();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancel();
            }
        }

        private void cancel() {
            if (closed) {
                return;
            }
            closed = true;
            remove(this);
            again.remove(this); // cancel runs on the loop, or once it no longer runs
            try {
                control(EPOLL_CTL_DEL, fd, id);
            } catch (IOException e) {
                LOG.debug("removing fd {} from the epoll set: {}", fd, e.getMessage());
            }
        }
    }
}
