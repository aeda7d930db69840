package io.pathsec.engine.tun;

import io.pathsec.engine.linux.LinuxLibC;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.pathsec.engine.testsupport.RequiresRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real TUN device in a throw-away network namespace: configuration checked with {@code ip},
 * pings from the kernel answered by hand through the device, and shutdown under a blocked reader.
 */
@RequiresRoot
class LinuxTunTest {

    private static final InetAddress V4_LOCAL = address("10.9.0.1");
    private static final InetAddress V4_PEER = address("10.9.0.2");
    private static final InetAddress V6_LOCAL = address("2001:db8:9::1");
    private static final InetAddress V6_PEER = address("2001:db8:9::2");

    private TestNetns netns;
    private LinuxTun tun;
    private ByteBuf buf;

    @BeforeEach
    void createNamespaceAndTun() throws Exception {
        netns = TestNetns.create();
        tun = NetnsThread.call(netns.name, () -> LinuxTun.open("pathsec%d", 1400));
        buf = PooledByteBufAllocator.DEFAULT.directBuffer(2048);
    }

    @AfterEach
    void removeNamespace() throws Exception {
        try {
            if (buf != null) {
                buf.release();
            }
            if (tun != null) {
                tun.close();
            }
        } finally {
            if (netns != null) {
                netns.close(); // even when the test or the setup failed
            }
        }
    }

    private void configure() throws IOException {
        LinuxInterfaceConfig config = tun.config();
        config.addAddress(tun.name(), V4_LOCAL, 24);
        config.addAddress(tun.name(), V6_LOCAL, 64);
        config.up(tun.name());
    }

    @Test
    void opensFromTemplateInsideTheNamespaceAndConfiguresIt() throws Exception {
        assertEquals("pathsec0", tun.name(), "first free number for the template in a fresh namespace");
        tun.setMtu(1380);
        configure();

        String link = netns.ip("-d", "link", "show", "dev", tun.name());
        assertTrue(link.contains("mtu 1380"), link);
        assertTrue(link.contains("tun type tun"), link);
        assertTrue(link.contains("pi off"), "IFF_NO_PI: " + link);
        assertTrue(link.contains(",UP"), link);
        assertEquals(1380, tun.mtu());
        assertTrue(tun.config().isUp(tun.name()));
        String addresses = netns.ip("addr", "show", "dev", tun.name());
        assertTrue(addresses.contains("inet 10.9.0.1/24"), addresses);
        assertTrue(addresses.contains("inet6 2001:db8:9::1/64"), addresses);
        assertTrue(netns.ip("route").contains("10.9.0.0/24 dev pathsec0"), "prefix route from the netmask");

        String rs = netns.execAndWait("cat", "/proc/sys/net/ipv6/conf/pathsec0/router_solicitations").output();
        assertEquals("0", rs.trim(), "router solicitations switched off in the namespace, not in ours");
        // `ip -n NS` found the device by name above; a link lives in exactly one namespace.
        assertTrue(tun.config().index(tun.name()) > 0);
    }

    @Test
    void opensAnExplicitlyNamedDeviceBesideATemplatedOne() throws Exception {
        try (LinuxTun second = NetnsThread.call(netns.name, () -> LinuxTun.open("pstun-x", 1280))) {
            assertEquals("pstun-x", second.name());
            assertEquals(1280, second.mtu());
            assertTrue(netns.ip("link", "show", "dev", "pstun-x").contains("mtu 1280"));
        }
        assertThrows(IllegalArgumentException.class, () -> LinuxTun.open("name-longer-than-15", 1400));
    }

    /**
     * With the kernel's defaults a TUN link that comes up sends IPv6 router solicitations
     * (ICMPv6 type 133) into the device; the device from {@link LinuxTun#open} must not. A second
     * device with the defaults restored is the control: once it has sent its solicitation, ours,
     * up at the same moment, has had the same chance and must have stayed silent.
     */
    @Test
    void aNewLinkSendsNoRouterSolicitationsIntoTheTun() throws Exception {
        try (LinuxTun noisy = NetnsThread.call(netns.name, () -> LinuxTun.open("pstun-noisy", 1400))) {
            netns.execAndWait("sysctl", "-qw", "net.ipv6.conf.pstun-noisy.accept_ra=1",
                    "net.ipv6.conf.pstun-noisy.router_solicitations=3");
            noisy.config().up(noisy.name());
            tun.config().up(tun.name());

            boolean solicited = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            for (int i = 0; i < 50 && !solicited && System.nanoTime() < deadline; i++) {
                buf.clear();
                solicited = noisy.read(buf, 200) > 40 && buf.getByte(6) == 58 && (buf.getByte(40) & 0xff) == 133;
            }
            assertTrue(solicited, "control: a link with the kernel defaults solicits routers");
            buf.clear();
            assertEquals(0, tun.read(buf, 200), "the kernel sent something into the quiet TUN");
        }
        String ra = netns.execAndWait("cat", "/proc/sys/net/ipv6/conf/pathsec0/accept_ra").output();
        assertEquals("0", ra.trim());
    }

    @Test
    void answersAnIpv4PingFromTheKernel() throws Exception {
        configure();
        pingThroughTun(V4_PEER, "ping", "-n", "-c1", "-W5", "10.9.0.2");
    }

    /**
     * A look without waiting that finds the device empty makes the next read wait in poll(2)
     * first (no second empty read): that read must still return the packet that comes later.
     */
    @Test
    void aWaitingReadAfterAnEmptyLookStillGetsTheNextPacket() throws Exception {
        configure();
        int n = 1;
        for (int i = 0; i < 100 && n != 0; i++) { // whatever the kernel sent on link-up, bounded
            buf.clear();
            n = tun.read(buf, 0);
        }
        assertEquals(0, n, "the device never went quiet");
        assertEquals(0, buf.readableBytes());
        pingThroughTun(V4_PEER, "ping", "-n", "-c1", "-W5", "10.9.0.2");
    }

    @Test
    void answersAnIpv6PingFromTheKernel() throws Exception {
        configure();
        awaitNoTentativeAddress();
        pingThroughTun(V6_PEER, "ping", "-6", "-n", "-c1", "-W5", "2001:db8:9::2");
    }

    /**
     * The IPv6 address is tentative until the kernel's DAD work has run (at once for a NOARP
     * link, but on a workqueue: late on a busy machine); ping cannot use it before. Bounded.
     */
    private void awaitNoTentativeAddress() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (int i = 0; i < 500 && System.nanoTime() < deadline; i++) {
            if (netns.ip("-6", "addr", "show", "dev", tun.name(), "tentative").isBlank()) {
                return;
            }
            Thread.onSpinWait();
        }
        fail("IPv6 address still tentative: " + netns.ip("-6", "addr", "show", "dev", tun.name()));
    }

    /**
     * The kernel routes the ping into the TUN; we read the echo request, skipping the kernel's
     * own IPv6 traffic (MLD reports), and write back the reply; ping must then succeed.
     */
    private void pingThroughTun(InetAddress peer, String... ping) throws Exception {
        Process process = netns.exec(ping);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            boolean answered = false;
            for (int i = 0; i < 100 && !answered && System.nanoTime() < deadline; i++) {
                buf.clear();
                int n = tun.read(buf, 100);
                assertTrue(n >= 0, "device closed under the test");
                assertEquals(n, buf.readableBytes());
                if (n > 0 && IcmpEcho.isEchoRequest(buf, peer)) {
                    IcmpEcho.turnIntoReply(buf);
                    tun.write(buf);
                    answered = true;
                }
            }
            if (!answered) {
                process.destroyForcibly();
                fail("no echo request to " + peer.getHostAddress() + " came out of the TUN; ping said: "
                        + TestNetns.await(process, "ping").output());
            }
            TestNetns.Result result = TestNetns.await(process, String.join(" ", ping));
            assertEquals(0, result.exitCode(), result.output());
            assertTrue(result.output().contains("1 received"), result.output());
        } finally {
            process.destroyForcibly();
        }
    }

    /** Someone raises the MTU with {@code ip link}: a packet too big for the buffer is dropped, not cut. */
    @Test
    void aPacketLargerThanTheRoomIsDroppedAndCountedNotCut() throws Exception {
        configure();
        netns.ip("link", "set", "dev", tun.name(), "mtu", "3000");
        ByteBuf small = PooledByteBufAllocator.DEFAULT.directBuffer(1400, 1400);
        Process ping = netns.exec("ping", "-n", "-c1", "-W1", "-s", "2000", "10.9.0.2");
        try {
            int n = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            for (int i = 0; i < 50 && tun.truncatedReads() == 0 && System.nanoTime() < deadline; i++) {
                small.clear();
                n = tun.read(small, 100);
                assertTrue(n >= 0 && n <= 1400, "read " + n);
            }
            assertEquals(1, tun.truncatedReads());
            assertEquals(0, small.readableBytes());
            assertEquals(3000, tun.mtu(), "the device asks the kernel again");
        } finally {
            small.release();
            ping.destroyForcibly();
            ping.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void readTimesOutWithZeroWhenNothingArrives() throws Exception {
        // link down: the kernel sends nothing into the device
        long start = System.nanoTime();
        assertEquals(0, tun.read(buf, 50));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(45), "poll honoured the timeout");
        assertEquals(0, buf.readableBytes());
    }

    @Test
    void closeFromAnotherThreadWakesABlockedReaderAtOnce() throws Exception {
        CountDownLatch returned = new CountDownLatch(1);
        AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);
        AtomicReference<String> readerTask = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                readerTask.set(Files.readSymbolicLink(Path.of("/proc/thread-self")).toString());
                result.set(tun.read(buf, 60_000));
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                returned.countDown();
            }
        }, "blocked-tun-reader");
        reader.start();
        awaitInPoll(readerTask);

        long start = System.nanoTime();
        tun.close();
        assertTrue(returned.await(2, TimeUnit.SECONDS), "reader still blocked 2 s after close (poll timeout was 60 s)");
        long wokenAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(null, failure.get());
        assertEquals(-1, result.get());
        assertTrue(wokenAfterMillis < 1000, "woken after " + wokenAfterMillis + " ms");
        reader.join(1000);
    }

    /**
     * Waits, bounded, until the reader thread sits in poll(2) (x86_64 syscall 7, or ppoll 271),
     * as /proc/PID/task/TID/syscall shows; so close() is proven to wake a real waiter.
     */
    private static void awaitInPoll(AtomicReference<String> readerTask) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        // Checked every 0.1 ms: the deadline, not the count, bounds the wait (a spin-only loop
        // ran out of iterations on a loaded machine before the reader thread had even started).
        for (int i = 0; i < 100_000 && System.nanoTime() < deadline; i++) {
            String task = readerTask.get();
            if (task != null) {
                String syscall = Files.readString(Path.of("/proc", task, "syscall")).split(" ")[0];
                if (syscall.equals("7") || syscall.equals("271")) {
                    return;
                }
            }
            LockSupport.parkNanos(100_000);
        }
        fail("reader never reached poll(2)");
    }

    @Test
    void closeIsIdempotentAndAClosedDeviceAnswersMinusOneAndRefusesWrites() throws Exception {
        tun.close();
        tun.close();
        assertEquals(-1, tun.read(buf, 1000));
        buf.writeBytes(new byte[] {0x45, 0, 0, 20});
        assertThrows(ClosedChannelException.class, () -> tun.write(buf));
        assertThrows(ClosedChannelException.class, () -> tun.setMtu(1300));
        assertEquals(1400, tun.mtu(), "last known MTU after close");
    }

    @Test
    void theKernelRefusesAWriteThatIsNotAnIpPacket() throws Exception {
        buf.writeBytes(new byte[40]); // first nibble 0: neither IPv4 nor IPv6
        IOException e = assertThrows(IOException.class, () -> tun.write(buf));
        assertTrue(e.getMessage().contains("Invalid argument"), e.getMessage());
    }

    @Test
    void heapBuffersAreRefused() {
        ByteBuf heap = Unpooled.buffer(2048);
        assertThrows(IllegalArgumentException.class, () -> tun.read(heap, 0));
    }

    @Test
    void socketMarkIsSetOnARealSocket() throws Exception {
        int mark = NetnsThread.call(netns.name, () -> {
            int fd = LinuxLibC.check(LinuxLibC.C.socket(LinuxLibC.AF_INET, LinuxLibC.SOCK_DGRAM, 0), "socket");
            try {
                assertEquals(0, SocketMark.socketMark(fd));
                SocketMark.setSocketMark(fd, 0xca6c);
                return SocketMark.socketMark(fd);
            } finally {
                LinuxLibC.closeQuietly(fd);
            }
        });
        assertEquals(0xca6c, mark);
        IOException e = assertThrows(IOException.class, () -> SocketMark.setSocketMark(-1, 1));
        assertTrue(e.getMessage().contains("Bad file descriptor"), e.getMessage());
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
