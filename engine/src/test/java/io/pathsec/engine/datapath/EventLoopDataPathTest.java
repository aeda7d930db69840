package io.pathsec.engine.datapath;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pathsec.engine.config.IpPrefix;
import io.pathsec.engine.config.StaticConfigGenerator;
import io.pathsec.engine.linux.LinuxLibC;
import io.pathsec.engine.policy.IpsecMode;
import io.pathsec.engine.tun.ChannelTun;
import io.pathsec.engine.tun.TunDevice;
import jnr.ffi.Pointer;
import io.pathsec.engine.transport.UdpEncapsulationSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two data paths over real UDP sockets on loopback, with TUN doubles that have a descriptor to
 * wait on (an eventfd readable while packets wait): the TUN is read on the socket's Netty event
 * loop, not on a reader thread of its own, and every packet still arrives unchanged and in order.
 * Needs no root.
 */
class EventLoopDataPathTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final byte[] E1 = addr("192.0.2.2");
    private static final byte[] E2 = addr("203.0.113.2");
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void theTunIsReadOnTheSocketsEventLoopAndEveryPacketArrivesInOrder() throws Exception {
        TunPair tuns = startPair("elg", 2);
        ReadinessTun tun1 = tuns.first();
        ReadinessTun tun2 = tuns.second();

        SplittableRandom random = new SplittableRandom(5);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            // Small packets (run inline on the loop) and large ones (to the workers) alike.
            byte[] packet = TwoEngineDataPathTest.ipv4Udp(E1, E2, i % 2 == 0 ? 40 : 1200, random);
            sent.add(packet);
            tun1.inject(packet);
        }
        TwoEngineDataPathTest.assertDelivered(tun2.inner, sent);
        byte[] reply = TwoEngineDataPathTest.ipv4Udp(E2, E1, 56, random);
        tun2.inject(reply);
        TwoEngineDataPathTest.assertDelivered(tun1.inner, List.of(reply));

        for (ReadinessTun tun : List.of(tun1, tun2)) {
            assertEquals(1, tun.readers.size(), tun + " read by one thread: " + tun.readers);
            Thread reader = tun.readers.iterator().next();
            assertTrue(reader.getName().startsWith(UdpEncapsulationSocket.LOOP_THREAD_PREFIX),
                    tun + " read on the socket's event loop, not on " + reader.getName());
        }
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().endsWith("-tun-reader")),
                "no TUN reader thread");
    }

    @Test
    void packetsQueuedBehindAQuietTunnelsLonePacketAreNotLeftForTheIdleTick() throws Exception {
        TunPair tuns = startPair("elq", 0);
        ReadinessTun tun1 = tuns.first();
        ReadinessTun tun2 = tuns.second();
        SplittableRandom random = new SplittableRandom(9);
        for (int round = 0; round < 5; round++) {
            // A quiet tunnel reads its first packet alone and goes back to epoll_wait
            // (OutboundPath.drainReady); the rest must come at once, not with the idle tick.
            List<byte[]> burst = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                burst.add(TwoEngineDataPathTest.ipv4Udp(E1, E2, 40 + i, random));
            }
            long start = System.nanoTime();
            burst.forEach(tun1::inject);
            TwoEngineDataPathTest.assertDelivered(tun2.inner, burst);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < OutboundPath.POLL_MILLIS / 2,
                    "burst of round " + round + " delivered in " + millis + " ms, not held for the "
                            + OutboundPath.POLL_MILLIS + " ms idle tick");
            // The next burst finds a quiet tunnel again: wait longer than the 1 ms gap.
            assertNull(tun2.inner.take(5, TimeUnit.MILLISECONDS), "nothing more delivered");
        }
    }

    /** The TUNs of two data paths back to back: what the first end's side injects, the second's delivers. */
    private record TunPair(ReadinessTun first, ReadinessTun second) {
    }

    /** Two data paths over loopback UDP with readiness TUNs named {@code prefix}1 and 2; closed after the test. */
    private TunPair startPair(String prefix, int workers) throws IOException {
        InetSocketAddress g1 = new InetSocketAddress(LOOPBACK, freePort());
        InetSocketAddress g2 = new InetSocketAddress(LOOPBACK, freePort());
        StaticConfigGenerator.ConfigPair pair = StaticConfigGenerator.pair(
                new StaticConfigGenerator.Host("g1", g1, List.of(), List.of(IpPrefix.parse("192.0.2.0/24"))),
                new StaticConfigGenerator.Host("g2", g2, List.of(), List.of(IpPrefix.parse("203.0.113.0/24"))),
                IpsecMode.TUNNEL, "aes256gcm16", new SplittableRandom(3));
        ReadinessTun tun1 = track(new ReadinessTun(prefix + "1"));
        ReadinessTun tun2 = track(new ReadinessTun(prefix + "2"));
        track(DataPath.start(tun1, TwoEngineDataPathTest.policy(pair.first()), workers, DataPath.udpOpener(g1, 0, null)));
        track(DataPath.start(tun2, TwoEngineDataPathTest.policy(pair.second()), workers, DataPath.udpOpener(g2, 0, null)));
        return new TunPair(tun1, tun2);
    }

    private <T extends AutoCloseable> T track(T closeable) {
        open.add(closeable);
        return closeable;
    }

    /** A port that was free a moment ago (the data path binds it again at once). */
    private static int freePort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            return s.getLocalPort();
        }
    }

    private static byte[] addr(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * An in-memory TUN with a descriptor: an eventfd that is readable while packets wait to be
     * read, as the TUN fd is; records which threads read it.
     */
    private static final class ReadinessTun implements TunDevice {
        final ChannelTun inner;
        final Set<Thread> readers = ConcurrentHashMap.newKeySet();
        private final int eventFd;
        private final Pointer word = LinuxLibC.allocate(Long.BYTES);
        private final Pointer drained = LinuxLibC.allocate(Long.BYTES);

        ReadinessTun(String name) {
            inner = new ChannelTun(name, 1400, 4096);
            eventFd = LinuxLibC.C.eventfd(0, LinuxLibC.EFD_NONBLOCK | LinuxLibC.EFD_CLOEXEC);
            assertTrue(eventFd >= 0, "eventfd");
            word.putLong(0, 1);
        }

        void inject(byte[] packet) {
            assertTrue(inner.inject(Unpooled.wrappedBuffer(packet)), "injected");
            signal();
        }

        private void signal() {
            LinuxLibC.C.write(eventFd, word.address(), Long.BYTES);
        }

        @Override
        public int readableFd() {
            return eventFd;
        }

        @Override
        public int read(ByteBuf dst, int timeoutMillis) throws IOException {
            readers.add(Thread.currentThread());
            int n = inner.read(dst, timeoutMillis);
            if (n == 0) {
                // Empty: not readable any more, unless a packet came in between (checked after).
                LinuxLibC.C.read(eventFd, drained.address(), Long.BYTES);
                n = inner.read(dst, 0);
                if (n > 0) {
                    signal();
                }
            }
            return n;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public int mtu() {
            return inner.mtu();
        }

        @Override
        public void setMtu(int mtu) throws IOException {
            inner.setMtu(mtu);
        }

        @Override
        public void write(ByteBuf packet) throws IOException {
            inner.write(packet);
        }

        @Override
        public void close() {
            inner.close();
            LinuxLibC.C.close(eventFd);
        }

        @Override
        public String toString() {
            return inner.name();
        }
    }
}
