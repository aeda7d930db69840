package io.pathsec.engine.tun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Packets per second through a real {@link LinuxTun} in a throw-away namespace; a measurement,
 * not a test (run as root):
 * <pre>
 * mvn -q -B -o -pl engine test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp engine/target/test-classes:engine/target/classes:$(cat engine/target/cp.txt) \
 *      io.pathsec.engine.tun.TunThroughput [seconds] [packet-bytes]
 * </pre>
 * 1. read+write: the thread writes ICMP echo requests from 10.9.0.2 to 10.9.0.1 into the TUN
 *    and reads back the kernel's echo replies, 32 in flight: one write and one read per packet.
 * 2. read only: a UDP socket in the namespace sends to 10.9.0.2 (routed into the TUN) as fast
 *    as it can on a second thread while this one reads.
 */
public final class TunThroughput {

    private static final int IN_FLIGHT = 32;

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 1400;
        InetAddress local = InetAddress.getByName("10.9.0.1");
        InetAddress peer = InetAddress.getByName("10.9.0.2");
        try (TestNetns netns = TestNetns.create();
             LinuxTun tun = NetnsThread.call(netns.name, () -> LinuxTun.open("pathsec%d", 1500))) {
            tun.config().addAddress(tun.name(), local, 24);
            tun.config().up(tun.name());
            echo(tun, peer, local, size, 1); // warm-up: JIT, route and neighbour caches
            double echo = echo(tun, peer, local, size, seconds);
            System.out.printf("read+write (ICMP echo via kernel), %d-byte packets: %,.0f packets/s each way%n", size, echo);
            double read = readOnly(tun, netns.name, peer, size, seconds);
            System.out.printf("read only (UDP from a namespace socket), %d-byte packets: %,.0f packets/s%n", size, read);
            System.out.printf("dropped writes: %d%n", tun.droppedWrites());
        }
    }

    private static double echo(LinuxTun tun, InetAddress from, InetAddress to, int size, int seconds) throws Exception {
        ByteBuf request = PooledByteBufAllocator.DEFAULT.directBuffer(2048);
        ByteBuf reply = PooledByteBufAllocator.DEFAULT.directBuffer(2048);
        try {
            IcmpEcho.writeIpv4Request(request, from, to, 0x5053, 1, size);
            for (int i = 0; i < IN_FLIGHT; i++) {
                tun.write(request);
            }
            long replies = 0;
            long loops = 0;
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            long now = start;
            while (now < end) {
                reply.clear();
                int n = tun.read(reply, 1000);
                if (n < 0) {
                    break;
                }
                if (n > 0) {
                    replies++;
                }
                tun.write(request); // one out per reply in, and one more for a lost reply (n == 0)
                if ((++loops & 255) == 0 || n == 0) {
                    now = System.nanoTime();
                }
            }
            // drain what is still in flight so the next phase starts clean
            for (int i = 0; i < 4 * IN_FLIGHT && tun.read(reply.clear(), 50) > 0; i++) {
                // bounded
            }
            return replies / ((System.nanoTime() - start) / 1e9);
        } finally {
            request.release();
            reply.release();
        }
    }

    private static double readOnly(LinuxTun tun, String netns, InetAddress peer, int size, int seconds) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        DatagramChannel sender = NetnsThread.call(netns, DatagramChannel::open); // a socket of the namespace
        ByteBuffer payload = ByteBuffer.allocateDirect(size - 28);
        InetSocketAddress target = new InetSocketAddress(peer, 9);
        Thread blaster = new Thread(() -> {
            try {
                while (running.get()) {
                    sender.send(payload.clear(), target);
                }
            } catch (Exception e) {
                // closed at the end
            }
        }, "udp-blaster");
        blaster.setDaemon(true);
        blaster.start();
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(2048);
        try {
            long packets = 0;
            long loops = 0;
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            long now = start;
            while (now < end) {
                buf.clear();
                int n = tun.read(buf, 1000);
                if (n > 0) {
                    packets++;
                }
                if ((++loops & 255) == 0 || n <= 0) {
                    now = System.nanoTime();
                }
            }
            return packets / ((System.nanoTime() - start) / 1e9);
        } finally {
            running.set(false);
            blaster.join(2000);
            sender.close();
            buf.release();
        }
    }
}
