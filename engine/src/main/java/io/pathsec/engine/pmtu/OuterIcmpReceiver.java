package io.pathsec.engine.pmtu;

import io.pathsec.engine.linux.LinuxLibC;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import jnr.ffi.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

import static io.pathsec.engine.linux.LinuxLibC.AF_INET;
import static io.pathsec.engine.linux.LinuxLibC.AF_INET6;
import static io.pathsec.engine.linux.LinuxLibC.C;
import static io.pathsec.engine.linux.LinuxLibC.EAGAIN;
import static io.pathsec.engine.linux.LinuxLibC.EINTR;
import static io.pathsec.engine.linux.LinuxLibC.ICMP6_FILTER;
import static io.pathsec.engine.linux.LinuxLibC.ICMP_FILTER;
import static io.pathsec.engine.linux.LinuxLibC.IPPROTO_ICMP;
import static io.pathsec.engine.linux.LinuxLibC.IPPROTO_ICMPV6;
import static io.pathsec.engine.linux.LinuxLibC.MSG_DONTWAIT;
import static io.pathsec.engine.linux.LinuxLibC.POLLIN;
import static io.pathsec.engine.linux.LinuxLibC.SOCK_CLOEXEC;
import static io.pathsec.engine.linux.LinuxLibC.SOCK_RAW;
import static io.pathsec.engine.linux.LinuxLibC.SOL_RAW;

/**
 * Receives the outer path's ICMP Fragmentation Needed and ICMPv6 Packet Too Big on raw sockets
 * (socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) and its ICMPv6 twin), in one small thread, and hands
 * them to {@link ClassicPmtud}. A raw socket gets a copy of every ICMP message the host receives;
 * the kernel's ICMP filters (ICMP_FILTER, ICMP6_FILTER) keep all other types out. Reading the
 * UDP socket's error queue (IP_RECVERR) would need Netty's cooperation; the raw socket does not.
 *
 * <p>Needs CAP_NET_RAW; without it, or without IPv6, the family is skipped and logged. The
 * buffer is reused: a message costs no allocation.
 */
public final class OuterIcmpReceiver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OuterIcmpReceiver.class);
    private static final int POLL_MILLIS = 250;
    private static final int MAX_MESSAGE = 2048;
    /** Bounded work per wake-up, so that closing is noticed under an ICMP flood. */
    private static final int MAX_PER_ROUND = 256;
    private static final int SOCKADDR_IN6 = 28;

    private final ClassicPmtud pmtud;
    private final int fd4;
    private final int fd6;
    private final Pointer pollFds;
    private final ByteBuf buffer = Unpooled.directBuffer(MAX_MESSAGE, MAX_MESSAGE);
    /** struct sockaddr_in6 (28 bytes) and its length: the ICMPv6 sender (its header is not delivered). */
    private final byte[] from = new byte[SOCKADDR_IN6];
    private final int[] fromLength = new int[1];
    private final byte[] source4 = new byte[4];
    private final byte[] source6 = new byte[16];
    private final Thread thread;
    private volatile boolean running = true;

    private OuterIcmpReceiver(ClassicPmtud pmtud, int fd4, int fd6, String name) {
        this.pmtud = pmtud;
        this.fd4 = fd4;
        this.fd6 = fd6;
        this.pollFds = LinuxLibC.allocate(16);
        pollFds.putInt(0, fd4);
        pollFds.putShort(4, POLLIN);
        pollFds.putInt(8, fd6);
        pollFds.putShort(12, POLLIN);
        this.thread = new Thread(this::run, name + "-outer-icmp");
        thread.setDaemon(true);
    }

    /**
     * Opens the raw sockets and starts the reader thread.
     *
     * @throws IOException when neither family can be opened (no CAP_NET_RAW)
     */
    public static OuterIcmpReceiver start(ClassicPmtud pmtud, String name) throws IOException {
        int fd4 = open(AF_INET, IPPROTO_ICMP);
        int fd6 = open(AF_INET6, IPPROTO_ICMPV6);
        if (fd4 < 0 && fd6 < 0) {
            throw LinuxLibC.error("socket(SOCK_RAW, IPPROTO_ICMP)", LinuxLibC.errno());
        }
        if (fd4 >= 0) {
            // Bit set = type blocked (raw(7)): only Destination Unreachable passes.
            LinuxLibC.setInt(fd4, SOL_RAW, ICMP_FILTER, ~(1 << IcmpPmtuValidator.ICMPV4_DESTINATION_UNREACHABLE));
        }
        if (fd6 >= 0) {
            byte[] filter = new byte[32]; // struct icmp6_filter: 256 bits, set = blocked (RFC 3542 §3.2)
            java.util.Arrays.fill(filter, (byte) 0xff);
            filter[0] = (byte) ~(1 << IcmpPmtuValidator.ICMPV6_PACKET_TOO_BIG);
            C.setsockopt(fd6, IPPROTO_ICMPV6, ICMP6_FILTER, filter, filter.length);
        }
        LOG.info("outer ICMP receiver: IPv4 {}, IPv6 {}", fd4 >= 0 ? "on" : "off", fd6 >= 0 ? "on" : "off");
        OuterIcmpReceiver r = new OuterIcmpReceiver(pmtud, fd4, fd6, name);
        r.thread.start();
        return r;
    }

    private static int open(int family, int protocol) {
        int fd = C.socket(family, SOCK_RAW | SOCK_CLOEXEC, protocol);
        if (fd < 0) {
            LOG.warn("no raw ICMP socket for family {}: {}", family, C.strerror(LinuxLibC.errno()));
        }
        return fd;
    }

    private void run() {
        while (running) {
            int rc = C.poll(pollFds.address(), 2, POLL_MILLIS);
            if (rc < 0) {
                if (LinuxLibC.errno() != EINTR) {
                    LOG.error("poll on raw ICMP sockets failed: {}", C.strerror(LinuxLibC.errno()));
                    return;
                }
                continue;
            }
            if (rc == 0) {
                continue;
            }
            if (fd4 >= 0 && (pollFds.getShort(6) & POLLIN) != 0) {
                drain(fd4, false);
            }
            if (fd6 >= 0 && (pollFds.getShort(14) & POLLIN) != 0) {
                drain(fd6, true);
            }
        }
    }

    private void drain(int fd, boolean ipv6) {
        for (int i = 0; i < MAX_PER_ROUND && running; i++) {
            buffer.clear();
            fromLength[0] = SOCKADDR_IN6;
            long n = C.recvfrom(fd, buffer.memoryAddress(), MAX_MESSAGE, MSG_DONTWAIT, from, fromLength);
            if (n < 0) {
                int errno = LinuxLibC.errno();
                if (errno != EAGAIN && errno != EINTR) {
                    LOG.warn("recv on raw ICMP socket: {}", C.strerror(errno));
                }
                return;
            }
            buffer.writerIndex((int) n);
            try {
                if (!ipv6) {
                    // A raw IPv4 socket delivers the IP header too (raw(7)); ICMPv6 ones do not.
                    if (n < 20) {
                        continue;
                    }
                    buffer.getBytes(12, source4);
                    buffer.readerIndex((buffer.getUnsignedByte(0) & 0x0f) * 4);
                } else {
                    System.arraycopy(from, 8, source6, 0, 16); // sin6_addr
                }
                pmtud.handle(buffer, ipv6, ipv6 ? source6 : source4);
            } catch (RuntimeException e) {
                LOG.warn("outer ICMP message dropped after an internal error", e);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (fd4 >= 0) {
            C.close(fd4);
        }
        if (fd6 >= 0) {
            C.close(fd6);
        }
        buffer.release();
    }
}
