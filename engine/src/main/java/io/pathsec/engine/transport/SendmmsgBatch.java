package io.pathsec.engine.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.pathsec.engine.linux.LinuxLibC;
import jnr.ffi.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
import static io.pathsec.engine.transport.Mmsghdr.IOVEC;
import static io.pathsec.engine.transport.Mmsghdr.MSG_CONTROL;
import static io.pathsec.engine.transport.Mmsghdr.MSG_CONTROLLEN;
import static io.pathsec.engine.transport.Mmsghdr.MSG_IOV;
import static io.pathsec.engine.transport.Mmsghdr.MSG_IOVLEN;
import static io.pathsec.engine.transport.Mmsghdr.MSG_NAME;
import static io.pathsec.engine.transport.Mmsghdr.MSG_NAMELEN;
import static io.pathsec.engine.transport.Mmsghdr.SOCKADDR;
import static io.pathsec.engine.transport.Mmsghdr.SOCKADDR_IN6_LEN;
import static io.pathsec.engine.transport.Mmsghdr.SOCKADDR_IN_LEN;

/**
 * Datagrams waiting to leave one UDP socket, sent with one sendmmsg(2) per batch straight from
 * the calling thread. The caller's thread does the system call: no event loop is woken per
 * packet, which on two shared cores cost more than the send itself (BENCHMARKS.md).
 *
 * <p>Consecutive datagrams to one destination with the same length (the last may be shorter)
 * share one message sent with UDP generic segmentation offload (udp(7) UDP_SEGMENT, a control
 * message carrying the segment size): the kernel builds one large buffer and cuts it into
 * datagrams as late as possible, so a run of full-size ESP packets crosses the stack, the veth
 * links and every forwarding router as one unit instead of dozens. The segments of a TCP super-
 * packet read from the TUN are exactly such a run. Where the kernel refuses a segmented message,
 * its datagrams are sent one by one and segmentation stays off for this socket.
 *
 * <p>The {@code struct mmsghdr}, {@code iovec}, {@code sockaddr} and control arrays live in
 * native memory allocated once; each iovec points at the payload of a direct {@link ByteBuf}
 * (no copy) and each message keeps the destination it last encoded, so a batch to one peer
 * encodes no address at all. Not thread-safe: the owner serialises {@link #add}, {@link #send}
 * and {@link #discard}.
 */
final class SendmmsgBatch {
    private static final Logger LOG = LoggerFactory.getLogger(SendmmsgBatch.class);
    /** Datagrams per batch; UIO_MAXIOV (1024) is the kernel's limit, 64 keeps latency low. */
    static final int CAPACITY = 64;
    /** udp(7): UDP_MAX_SEGMENTS is 64 on the kernels we support. */
    static final int MAX_SEGMENTS = 64;
    /** Bytes of one segmented message: the IP datagram the kernel builds must stay under 64 KiB. */
    static final int MAX_SEGMENTED_BYTES = 65_000;
    /** System property: {@code false} sends every datagram as its own message. */
    static final String SEGMENTATION_PROPERTY = "pathsec.udp.gso";
    /** How long one send waits for room in a full socket buffer before dropping the rest. */
    private static final int WRITABLE_WAIT_MILLIS = 20;

    // struct cmsghdr { size_t cmsg_len; int cmsg_level; int cmsg_type; } then a u16 segment size.
    private static final int CMSG_LEN_U16 = 16 + 2;   // CMSG_LEN(sizeof(uint16_t))
    private static final int CMSG_SPACE_U16 = 16 + 8; // CMSG_SPACE(sizeof(uint16_t))
    private static final int SOL_UDP = 17;
    private static final int UDP_SEGMENT = 103;

    private final int fd;
    private final int family;
    private final ByteBufAllocator allocator;
    private final Pointer messages;
    private final Pointer iovecs;
    private final Pointer names;
    private final Pointer controls;
    private final Pointer single;
    private final Pointer pollFd;
    private final ByteBuf[] payloads = new ByteBuf[CAPACITY];
    /** Per message: its first datagram, its datagram count, its segment size, its destination. */
    private final int[] firstDatagram = new int[CAPACITY];
    private final int[] segments = new int[CAPACITY];
    private final int[] segmentSize = new int[CAPACITY];
    private final int[] messageBytes = new int[CAPACITY];
    private final InetSocketAddress[] encodedFor = new InetSocketAddress[CAPACITY];
    private final LongAdder dropped;
    private boolean segmentation;
    private int count;
    private int messageCount;

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
        this.segmentation = Boolean.parseBoolean(System.getProperty(SEGMENTATION_PROPERTY, "true"));
        this.messages = LinuxLibC.allocate(CAPACITY * Mmsghdr.SIZE);
        this.iovecs = LinuxLibC.allocate(CAPACITY * IOVEC);
        this.names = LinuxLibC.allocate(CAPACITY * SOCKADDR);
        this.controls = LinuxLibC.allocate(CAPACITY * CMSG_SPACE_U16);
        this.single = LinuxLibC.allocate(Mmsghdr.SIZE);
        for (int i = 0; i < CAPACITY; i++) {
            long m = (long) i * Mmsghdr.SIZE;
            messages.setMemory(m, Mmsghdr.SIZE, (byte) 0);
            messages.putLong(m + MSG_NAME, names.address() + (long) i * SOCKADDR);
            messages.putInt(m + MSG_NAMELEN, family == AF_INET ? SOCKADDR_IN_LEN : SOCKADDR_IN6_LEN);
            long c = (long) i * CMSG_SPACE_U16;
            controls.setMemory(c, CMSG_SPACE_U16, (byte) 0);
            controls.putLong(c, CMSG_LEN_U16);
            controls.putInt(c + 8, SOL_UDP);
            controls.putInt(c + 12, UDP_SEGMENT);
        }
        names.setMemory(0, (long) CAPACITY * SOCKADDR, (byte) 0);
        single.setMemory(0, Mmsghdr.SIZE, (byte) 0);
        single.putInt(MSG_NAMELEN, family == AF_INET ? SOCKADDR_IN_LEN : SOCKADDR_IN6_LEN);
        single.putLong(MSG_IOVLEN, 1);
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
        int length = direct.readableBytes();
        if (!joinsLastMessage(to, length)) {
            int k = messageCount;
            if (encodedFor[k] != to) {
                encodedFor[k] = null;
                try {
                    encode((long) k * SOCKADDR, to);
                } catch (IllegalArgumentException e) {
                    direct.release();
                    dropped.increment();
                    throw e;
                }
                encodedFor[k] = to;
            }
            firstDatagram[k] = count;
            segments[k] = 0;
            segmentSize[k] = length;
            messageBytes[k] = 0;
            messageCount++;
        }
        int k = messageCount - 1;
        segments[k]++;
        messageBytes[k] += length;
        long iov = (long) count * IOVEC;
        iovecs.putLong(iov, direct.memoryAddress() + direct.readerIndex());
        iovecs.putLong(iov + 8, length);
        payloads[count] = direct;
        count++;
    }

    /**
     * udp(7) UDP_SEGMENT: every segment of one message has the segment size except the last,
     * which may be shorter (and then ends the message); one destination per message.
     */
    private boolean joinsLastMessage(InetSocketAddress to, int length) {
        if (!segmentation || messageCount == 0) {
            return false;
        }
        int k = messageCount - 1;
        int size = segmentSize[k];
        boolean lastWasShort = segments[k] > 0 && messageBytes[k] != segments[k] * size;
        return !lastWasShort && length <= size && segments[k] < MAX_SEGMENTS
                && messageBytes[k] + length <= MAX_SEGMENTED_BYTES
                && (encodedFor[k] == to || to.equals(encodedFor[k]));
    }

    /** Datagrams queued and not yet sent. */
    int pending() {
        return count;
    }

    /** Whether runs of equal datagrams still go out as one segmented message. */
    boolean segmentation() {
        return segmentation;
    }

    /**
     * Sends every queued datagram and releases the buffers. A message the kernel refuses is
     * tried once more (an ICMP error reported earlier on the socket fails the next send once,
     * ip(7) IP_RECVERR); a segmented one is then sent datagram by datagram; what still fails is
     * dropped and counted, and the rest of the batch still goes.
     */
    void send() {
        for (int k = 0; k < messageCount; k++) {
            long m = (long) k * Mmsghdr.SIZE;
            messages.putLong(m + MSG_IOV, iovecs.address() + (long) firstDatagram[k] * IOVEC);
            messages.putLong(m + MSG_IOVLEN, segments[k]);
            if (segments[k] > 1) {
                long c = (long) k * CMSG_SPACE_U16;
                controls.putShort(c + 16, (short) segmentSize[k]);
                messages.putLong(m + MSG_CONTROL, controls.address() + c);
                messages.putLong(m + MSG_CONTROLLEN, CMSG_SPACE_U16);
            } else {
                messages.putLong(m + MSG_CONTROL, 0);
                messages.putLong(m + MSG_CONTROLLEN, 0);
            }
        }
        int start = 0;
        int retried = -1;
        int budget = 4 * messageCount + 8; // every pass sends, retries once, or waits: bounded either way
        try {
            while (start < messageCount && budget-- > 0) {
                int n = C.sendmmsg(fd, messages.address() + (long) start * Mmsghdr.SIZE, messageCount - start,
                        MSG_DONTWAIT);
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
                if (segments[start] > 1) {
                    refuseSegmentation(errno);
                    sendSingly(start);
                } else {
                    dropped.increment();
                }
                start++;
            }
            for (int k = start; k < messageCount; k++) {
                dropped.add(segments[k]);
            }
        } finally {
            discard();
        }
    }

    /** The kernel refused UDP_SEGMENT here (an old kernel, a device or route without it). */
    private void refuseSegmentation(int errno) {
        if (segmentation) {
            segmentation = false;
            LOG.info("UDP segmentation offload refused ({}), datagrams are sent one by one on this socket",
                    C.strerror(errno));
        }
    }

    /** Sends the datagrams of message {@code k} as messages of their own. */
    private void sendSingly(int k) {
        single.putLong(MSG_NAME, names.address() + (long) k * SOCKADDR);
        for (int i = 0; i < segments[k]; i++) {
            single.putLong(MSG_IOV, iovecs.address() + (long) (firstDatagram[k] + i) * IOVEC);
            int n = C.sendmmsg(fd, single.address(), 1, MSG_DONTWAIT);
            if (n != 1 && !(LinuxLibC.errno() == EAGAIN && awaitWritable()
                    && C.sendmmsg(fd, single.address(), 1, MSG_DONTWAIT) == 1)) {
                dropped.increment();
            }
        }
    }

    /** Releases every queued datagram without sending it. */
    void discard() {
        for (int i = 0; i < count; i++) {
            payloads[i].release();
            payloads[i] = null;
        }
        count = 0;
        messageCount = 0;
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
