package io.pathsec.engine.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.socket.DatagramPacket;
import io.pathsec.engine.linux.LinuxLibC;
import jnr.ffi.Pointer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A descriptor watched on the UDP socket's event loop ({@link EpollLoop}, through
 * {@link UdpEncapsulationSocket#watchReadable}), with an eventfd standing in for the TUN device: the handler runs on the thread that receives
 * the datagrams, again while it says work is left, and never after the watch is closed. Needs no root.
 */
class EpollLoopWatchTest {
    private static final long NO_TICK = 60_000;
    private final BlockingQueue<Thread> receivedOn = new LinkedBlockingQueue<>();
    private UdpEncapsulationSocket socket;
    private DatagramSocket peer;
    private int eventFd = -1;
    private Pointer word;

    @BeforeEach
    void open() throws Exception {
        socket = UdpEncapsulationSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), p -> {
            receivedOn.add(Thread.currentThread());
            p.release();
        }, null);
        peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        eventFd = LinuxLibC.C.eventfd(0, LinuxLibC.EFD_NONBLOCK | LinuxLibC.EFD_CLOEXEC);
        assertTrue(eventFd >= 0, "eventfd");
        word = LinuxLibC.allocate(Long.BYTES);
    }

    @AfterEach
    void close() {
        socket.close();
        peer.close();
        if (eventFd >= 0) {
            LinuxLibC.C.close(eventFd);
        }
    }

    private void makeReadable() {
        word.putLong(0, 1);
        assertEquals(Long.BYTES, LinuxLibC.C.write(eventFd, word.address(), Long.BYTES));
    }

    /** Reads the eventfd empty, as a TUN reader reads until EAGAIN. */
    private void drain() {
        LinuxLibC.C.read(eventFd, word.address(), Long.BYTES);
    }

    /** Sends one datagram to the socket and waits until its event loop has received it. */
    private Thread roundOfTheLoop() throws Exception {
        byte[] esp = {0, 0, 1, 0, 0, 0, 0, 1};
        peer.send(new java.net.DatagramPacket(esp, esp.length, socket.localAddress()));
        Thread t = receivedOn.poll(5, TimeUnit.SECONDS);
        assertNotNull(t, "the socket received nothing");
        return t;
    }

    @Test
    void aReadableDescriptorRunsTheHandlerOnTheThreadThatReceivesTheDatagrams() throws Exception {
        BlockingQueue<Thread> handledOn = new LinkedBlockingQueue<>();
        try (ReadableWatch watch = socket.watchReadable(eventFd, () -> {
            drain();
            handledOn.add(Thread.currentThread());
            return false;
        }, NO_TICK)) {
            makeReadable();
            Thread handler = handledOn.poll(5, TimeUnit.SECONDS);
            assertNotNull(handler, "the handler did not run");
            assertEquals(roundOfTheLoop(), handler, "one thread serves both");
        }
    }

    @Test
    void aHandlerWithWorkLeftRunsAgainWithoutTheDescriptorUntilItIsDone() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        BlockingQueue<Integer> done = new LinkedBlockingQueue<>();
        BooleanSupplier handler = () -> {
            drain(); // readable no more: only the "work left" answer brings it back
            int n = calls.incrementAndGet();
            if (n == 4) {
                done.add(n);
            }
            return n < 4;
        };
        ReadableWatch watch = socket.watchReadable(eventFd, handler, NO_TICK);
        makeReadable();
        assertNotNull(done.poll(5, TimeUnit.SECONDS), "the handler ran " + calls.get() + " times, not 4");
        watch.close(); // waits for the loop: every call already queued has run
        assertEquals(4, calls.get());
    }

    @Test
    void afterCloseTheHandlerNeverRunsAgain() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        ReadableWatch watch = socket.watchReadable(eventFd, () -> {
            drain();
            calls.incrementAndGet();
            return false;
        }, NO_TICK);
        watch.close();
        watch.close(); // idempotent
        makeReadable();
        // Any epoll_wait after the write would report a still-registered eventfd; two full rounds
        // of the loop later the handler would have run.
        roundOfTheLoop();
        roundOfTheLoop();
        assertEquals(0, calls.get());
    }

    @Test
    void theHandlerAlsoRunsEveryIdlePeriodWithNothingReadable() throws Exception {
        BlockingQueue<Long> ticks = new LinkedBlockingQueue<>();
        try (ReadableWatch watch = socket.watchReadable(eventFd, () -> {
            ticks.add(System.nanoTime());
            return false;
        }, 20)) {
            for (int i = 0; i < 3; i++) {
                assertNotNull(ticks.poll(5, TimeUnit.SECONDS), "idle tick " + i);
            }
        }
    }

    @Test
    void aFailingHandlerLeavesTheSocketServing() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (ReadableWatch watch = socket.watchReadable(eventFd, () -> {
            drain();
            calls.incrementAndGet();
            throw new IllegalStateException("a bug in the handler");
        }, NO_TICK)) {
            makeReadable();
            roundOfTheLoop();
            roundOfTheLoop();
            makeReadable();
            roundOfTheLoop();
            roundOfTheLoop();
            assertEquals(2, calls.get(), "the handler ran once per readiness");
        }
    }
}
