package io.pathsec.engine.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pathsec.engine.linux.LinuxLibC;
import jnr.ffi.Pointer;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;

import static io.pathsec.engine.linux.LinuxLibC.AF_INET;
import static io.pathsec.engine.linux.LinuxLibC.AF_INET6;
import static io.pathsec.engine.linux.LinuxLibC.C;
import static io.pathsec.engine.linux.LinuxLibC.EAGAIN;
import static io.pathsec.engine.linux.LinuxLibC.EINTR;
import static io.pathsec.engine.linux.LinuxLibC.MSG_DONTWAIT;
import static io.pathsec.engine.linux.LinuxLibC.POLLOUT;

/**
 * Datagrams waiting to leave one UDP socket, sent with one sendmmsg(2) per batch straight from
 * the calling thread. The caller's thread does the system call: no event loop is woken per
 * packet, which on two shared cores cost more than the send itself (BENCHMARKS.md).
 *
 * <p>The {@code struct mmsghdr}, {@code iovec} and {@code sockaddr} arrays live in native
 * memory allocated once; each slot points at the payload of a direct {@link ByteBuf} (no copy)
 * and keeps the destination it last encoded, so a batch to one peer encodes no address at all.
 * Not thread-safe: the owner serialises {@link #add}, {@link #send} and {@link #discard}.
 */
final class SendmmsgBatch {
    /** Datagrams per sendmmsg; UIO_MAXIOV (1024) is the kernel's limit, 64 keeps latency low. */
    static final int CAPACITY = 64;
    /** How long one send waits for room in a full socket buffer before dropping the rest. */
    private static final int WRITABLE_WAIT_MILLIS = 20;

    // struct mmsghdr { struct msghdr msg_hdr; unsigned int msg_len; } on LP64: 64 bytes.
    private static final int MMSGHDR = 64;
    private static final int MSG_NAME = 0;
    private static final int MSG_NAMELEN = 8;
    private static final int MSG_IOV = 16;
    private static final int MSG_IOVLEN = 24;
    private static final int IOVEC = 16;
    private static final int SOCKADDR = 32; // room for sockaddr_in6 (28 bytes)
    private static final int SOCKADDR_IN_LEN = 16;
    private static final int SOCKADDR_IN6_LEN = 28;

    private final int fd;
    private final int family;
    private final ByteBufAllocator allocator;
    private final Pointer messages;
    private final Pointer iovecs;
    private final Pointer names;
    private final Pointer pollFd;
    private final ByteBuf[] payloads = new ByteBuf[CAPACITY];
    private final InetSocketAddress[] encodedFor = new InetSocketAddress[CAPACITY];
    private final LongAdder dropped;
    private int count;

    /**
     * @param family  the socket's family: an AF_INET6 socket reaches IPv4 peers through
     *                v4-mapped addresses (ipv6(7))
     * @param dropped counts datagrams the kernel refused or that found no room in time
     */
    SendmmsgBatch(int fd, int family, ByteBufAllocator allocator, LongAdder dropped) {
        if (family != AF_INET && family != AF_INET6) {
            throw new IllegalArgumentException("not an IP socket: family " + family);
        }
        this.fd = fd;
        this.family = family;
        this.allocator = allocator;
        this.dropped = dropped;
        this.messages = LinuxLibC.allocate(CAPACITY * MMSGHDR);
        this.iovecs = LinuxLibC.allocate(CAPACITY * IOVEC);
        this.names = LinuxLibC.allocate(CAPACITY * SOCKADDR);
        for (int i = 0; i < CAPACITY; i++) {
            long m = (long) i * MMSGHDR;
            messages.setMemory(m, MMSGHDR, (byte) 0);
            messages.putLong(m + MSG_NAME, names.address() + (long) i * SOCKADDR);
            messages.putInt(m + MSG_NAMELEN, family == AF_INET ? SOCKADDR_IN_LEN : SOCKADDR_IN6_LEN);
            messages.putLong(m + MSG_IOV, iovecs.address() + (long) i * IOVEC);
            messages.putLong(m + MSG_IOVLEN, 1);
        }
        names.setMemory(0, (long) CAPACITY * SOCKADDR, (byte) 0);
        this.pollFd = LinuxLibC.allocate(8); // struct pollfd { int fd; short events; short revents; }
        pollFd.putInt(0, fd);
        pollFd.putShort(4, POLLOUT);
    }

    /** Queues a datagram; sends the batch first if it is full. Takes ownership of {@code payload}. */
    void add(ByteBuf payload, InetSocketAddress to) {
        if (count == CAPACITY) {
            send();
        }
        ByteBuf direct = payload;
        if (!payload.hasMemoryAddress()) {
            // Only control traffic (IKE) arrives on the heap; the data path's buffers are direct.
            direct = allocator.directBuffer(payload.readableBytes()).writeBytes(payload);
            payload.release();
        }
        int i = count;
        if (encodedFor[i] != to) {
            encodedFor[i] = null;
            try {
                encode((long) i * SOCKADDR, to);
            } catch (IllegalArgumentException e) {
                direct.release();
                dropped.increment();
                throw e;
            }
            encodedFor[i] = to;
        }
        long iov = (long) i * IOVEC;
        iovecs.putLong(iov, direct.memoryAddress() + direct.readerIndex());
        iovecs.putLong(iov + 8, direct.readableBytes());
        payloads[i] = direct;
        count++;
    }

    /** Datagrams queued and not yet sent. */
    int pending() {
        return count;
    }

    /**
     * Sends every queued datagram and releases the buffers. A datagram the kernel refuses is
     * tried once more (an ICMP error reported earlier on the socket fails the next send once,
     * ip(7) IP_RECVERR), then dropped and counted; the rest of the batch still goes.
     */
    void send() {
        int start = 0;
        int retried = -1;
        int budget = 4 * count + 8; // every pass sends, retries once, or waits: bounded either way
        try {
            while (start < count && budget-- > 0) {
                int n = C.sendmmsg(fd, messages.address() + (long) start * MMSGHDR, count - start, MSG_DONTWAIT);
                if (n > 0) {
                    start += n;
                    continue;
                }
                int errno = LinuxLibC.errno();
                if (errno == EINTR) {
                    continue;
                }
                if (errno == EAGAIN) {
                    if (!awaitWritable()) {
                        break;
                    }
                    continue;
                }
                if (retried != start) {
                    retried = start;
                    continue;
                }
                dropped.increment();
                start++;
            }
            if (start < count) {
                dropped.add(count - start);
            }
        } finally {
            discard();
        }
    }

    /** Releases every queued datagram without sending it. */
    void discard() {
        for (int i = 0; i < count; i++) {
            payloads[i].release();
            payloads[i] = null;
        }
        count = 0;
    }

    private boolean awaitWritable() {
        int rc = C.poll(pollFd.address(), 1, WRITABLE_WAIT_MILLIS);
        return rc > 0 && (pollFd.getShort(6) & POLLOUT) != 0;
    }

    /** sockaddr_in, or sockaddr_in6 (v4-mapped for an IPv4 peer on an AF_INET6 socket). */
    private void encode(long at, InetSocketAddress to) {
        InetAddress address = to.getAddress();
        byte[] raw = address.getAddress(); // once per slot and destination, not per packet
        names.setMemory(at, SOCKADDR, (byte) 0);
        names.putShort(at, (short) family);
        names.putByte(at + 2, (byte) (to.getPort() >>> 8));
        names.putByte(at + 3, (byte) to.getPort());
        if (family == AF_INET) {
            if (!(address instanceof Inet4Address)) {
                throw new IllegalArgumentException("IPv6 destination " + to + " on an IPv4 socket");
            }
            names.put(at + 4, raw, 0, 4);
        } else if (raw.length == 4) {
            names.putByte(at + 18, (byte) 0xff);
            names.putByte(at + 19, (byte) 0xff);
            names.put(at + 20, raw, 0, 4);
        } else {
            names.put(at + 8, raw, 0, 16);
            if (address instanceof Inet6Address v6) {
                names.putInt(at + 24, v6.getScopeId());
            }
        }
    }
}
