package io.pathsec.engine.tun;

import io.pathsec.engine.linux.LinuxLibC;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import jnr.ffi.Pointer;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.pathsec.engine.linux.LinuxLibC.C;
import static io.pathsec.engine.linux.LinuxLibC.EAGAIN;
import static io.pathsec.engine.linux.LinuxLibC.EFD_CLOEXEC;
import static io.pathsec.engine.linux.LinuxLibC.EFD_NONBLOCK;
import static io.pathsec.engine.linux.LinuxLibC.EINTR;
import static io.pathsec.engine.linux.LinuxLibC.O_CLOEXEC;
import static io.pathsec.engine.linux.LinuxLibC.O_NONBLOCK;
import static io.pathsec.engine.linux.LinuxLibC.O_RDWR;
import static io.pathsec.engine.linux.LinuxLibC.POLLERR;
import static io.pathsec.engine.linux.LinuxLibC.POLLHUP;
import static io.pathsec.engine.linux.LinuxLibC.POLLIN;
import static io.pathsec.engine.linux.LinuxLibC.POLLNVAL;
import static io.pathsec.engine.linux.LinuxLibC.check;

/**
 * A Linux TUN device (Documentation/networking/tuntap.rst) in IFF_TUN|IFF_NO_PI mode: each
 * read(2) returns one whole IP packet, each write(2) injects one, with no packet-information
 * prefix.
 *
 * <p>By default with offloads (IFF_VNET_HDR, TUNSETOFFLOAD CSUM|TSO4|TSO6): the kernel's TCP
 * then hands the device super-packets of up to 64 KB, one read(2) for dozens of segments, and
 * skips checksumming what it sends into the device. {@link #read} still returns one ordinary
 * packet per call ({@link GsoSegmenter} splits and checksums); {@link #write} puts the
 * required virtio header in front ({@link VnetHeaderWriter}). This is what keeps a single TCP
 * stream through the tunnel from paying one system call per 1400 octets (BENCHMARKS.md).
 * {@code -Dpathsec.tun.offload=false} opens devices without.
 *
 * <p>The device lives in the network namespace of the thread that calls {@link #open}; run that
 * on a {@link NetnsThread} to put it elsewhere. Opening inside the namespace is the clean way:
 * a link moved with {@code ip link set dev X netns NS} keeps its MTU but arrives down and
 * without its addresses (checked on this kernel), so it would have to be configured twice.
 *
 * <p>Reading: one reader thread at a time (it owns the {@code struct pollfd} array); writing may
 * happen concurrently from other threads. The fd is non-blocking; a read first tries read(2)
 * (one system call per packet under load) and only when that says EAGAIN waits in poll(2) on
 * the TUN fd and an eventfd(2). {@link #close()} signals the eventfd, so a waiting reader
 * returns -1 at once. The fds themselves are closed by whoever leaves last, never under a
 * thread still inside read, poll or write: a closed fd number may be reused by another open.
 */
public final class LinuxTun implements TunDevice {

    // <linux/if_tun.h>
    static final long TUNSETIFF = 0x400454caL;
    static final int IFF_TUN = 0x0001;
    static final int IFF_NO_PI = 0x1000;
    static final int IFF_VNET_HDR = 0x4000;
    static final long TUNSETOFFLOAD = 0x400454d0L;
    static final int TUN_F_CSUM = 0x01;
    static final int TUN_F_TSO4 = 0x02;
    static final int TUN_F_TSO6 = 0x04;
    /** System property: {@code false} opens devices without offloads (one packet per read). */
    public static final String OFFLOAD_PROPERTY = "pathsec.tun.offload";
    /** The largest super-packet: an IP packet of 64 KB behind its virtio header. */
    private static final int STAGING_BYTES = GsoSegmenter.VNET_HDR_LENGTH + 65_536;
    private static final int POLLFD_SIZE = 8; // struct pollfd { int fd; short events; short revents; }

    private final String name;
    private final int fd;
    private final int wakeFd;
    private final LinuxInterfaceConfig config;
    private final Pointer pollFds;
    private final Pointer wakeValue;
    private final AtomicBoolean closing = new AtomicBoolean();
    /** 1 for the open device itself plus 1 per thread inside a system call on its fds. */
    private final AtomicInteger users = new AtomicInteger(1);
    private final AtomicLong droppedWrites = new AtomicLong();
    private final AtomicLong truncatedReads = new AtomicLong();
    /** Null without offloads; else the reader's super-packet splitter. */
    private final GsoSegmenter segmenter;
    /** With offloads every write needs a virtio header in front: a zero one, via writev(2). */
    private final VnetHeaderWriter vnetWriter;
    /** With offloads: runs of TCP segments written by {@link #writeBatched} become super-packets. */
    private final TcpCoalescer coalescer;
    private volatile int mtu;
    /** The reader's last look found the device empty (EAGAIN); touched by the reader thread only. */
    private boolean drained;

    private LinuxTun(String name, int fd, int wakeFd, LinuxInterfaceConfig config, int mtu, boolean offloads) {
        this.name = name;
        this.fd = fd;
        this.wakeFd = wakeFd;
        this.config = config;
        this.mtu = mtu;
        this.segmenter = offloads ? new GsoSegmenter(Unpooled.directBuffer(STAGING_BYTES, STAGING_BYTES)) : null;
        this.vnetWriter = offloads ? new VnetHeaderWriter(fd) : null;
        this.coalescer = offloads ? new TcpCoalescer(this::gatherWrite) : null;
        this.pollFds = LinuxLibC.allocate(2 * POLLFD_SIZE);
        pollFds.putInt(0, fd);
        pollFds.putShort(4, POLLIN);
        pollFds.putInt(POLLFD_SIZE, wakeFd);
        pollFds.putShort(POLLFD_SIZE + 4, POLLIN);
        this.wakeValue = LinuxLibC.allocate(Long.BYTES);
        wakeValue.putLong(0, 1);
    }

    /**
     * Creates (or attaches to a persistent) TUN device in the calling thread's namespace and
     * sets its MTU. The link stays down and without addresses; see {@link #config()}. Router
     * solicitations and RA processing are switched off before anything can bring it up.
     *
     * @param nameOrTemplate an interface name, or a template like {@code pathsec%d} that the
     *                       kernel completes with the first free number
     */
    public static LinuxTun open(String nameOrTemplate, int mtu) throws IOException {
        return open(nameOrTemplate, mtu, Boolean.parseBoolean(System.getProperty(OFFLOAD_PROPERTY, "true")));
    }

    /**
     * As {@link #open(String, int)}, choosing offloads: with them (IFF_VNET_HDR, TUNSETOFFLOAD
     * CSUM|TSO4|TSO6) the kernel hands out TCP super-packets of up to 64 KB, one read(2) for
     * dozens of segments, which {@link #read} splits ({@link GsoSegmenter}); readers and
     * writers see ordinary packets either way.
     */
    public static LinuxTun open(String nameOrTemplate, int mtu, boolean offloads) throws IOException {
        Ifreq request = new Ifreq(nameOrTemplate).shortValue(IFF_TUN | IFF_NO_PI | (offloads ? IFF_VNET_HDR : 0));
        int fd = check(C.open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC), "open /dev/net/tun");
        int wakeFd = -1;
        LinuxInterfaceConfig config = null;
        try {
            check(C.ioctl(fd, TUNSETIFF, request.bytes), "TUNSETIFF " + nameOrTemplate);
            if (offloads) {
                // Without this the device has a virtio header but no offloads: still correct.
                check(C.ioctl(fd, TUNSETOFFLOAD, (long) (TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6)), "TUNSETOFFLOAD");
            }
            String name = request.name();
            wakeFd = check(C.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), "eventfd");
            config = LinuxInterfaceConfig.open();
            config.quietIpv6(name);
            config.setMtu(name, mtu);
            return new LinuxTun(name, fd, wakeFd, config, mtu, offloads);
        } catch (IOException | RuntimeException e) {
            if (config != null) {
                config.close();
            }
            LinuxLibC.closeQuietly(wakeFd);
            LinuxLibC.closeQuietly(fd);
            throw e;
        }
    }

    @Override
    public String name() {
        return name;
    }

    /** The MTU as the kernel has it now (SIOCGIFMTU); someone may have run {@code ip link}. */
    @Override
    public int mtu() {
        if (enter()) {
            try {
                mtu = config.mtu(name);
            } catch (IOException e) {
                // the link is gone: the last known value is still the best answer
            } finally {
                leave();
            }
        }
        return mtu;
    }

    @Override
    public void setMtu(int mtu) throws IOException {
        if (!enter()) {
            throw new ClosedChannelException();
        }
        try {
            config.setMtu(name, mtu);
            this.mtu = mtu;
        } finally {
            leave();
        }
    }

    /**
     * Link configuration bound to this device's namespace (usable from any thread): addresses,
     * {@code up}. Closed with the device; not to be used after {@link #close()}.
     */
    public LinuxInterfaceConfig config() {
        return config;
    }

    /** Packets given to {@link #write} that the kernel refused with EAGAIN (no memory). */
    public long droppedWrites() {
        return droppedWrites.get();
    }

    /** Whether the device hands out super-packets (IFF_VNET_HDR with TSO). */
    public boolean offloads() {
        return segmenter != null;
    }

    /** Super-packets or packets dropped because their virtio header did not match them. */
    public long malformedOffloads() {
        return segmenter == null ? 0 : segmenter.malformed();
    }

    /** Packets dropped because they were larger than the MTU this device knew when reading. */
    public long truncatedReads() {
        return truncatedReads.get();
    }

    /** The TUN fd itself; the caller must stop waiting on it before {@link #close()}. */
    @Override
    public int readableFd() {
        return fd;
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code dst} must be a direct buffer with a memory address (Netty's pooled direct
     * buffers are). It is grown to hold the MTU first if it must be: size pooled buffers for
     * the MTU plus headroom and this never allocates. A packet longer than the room is dropped
     * and counted ({@link #truncatedReads()}), and 0 returned; the next read makes room for it.
     */
    @Override
    public int read(ByteBuf dst, int timeoutMillis) throws IOException {
        if (!enter()) {
            return -1;
        }
        try {
            if (segmenter != null) {
                return readSegment(dst, timeoutMillis);
            }
            dst.ensureWritable(mtu);
            long address = address(dst) + dst.writerIndex();
            int capacity = dst.writableBytes();
            long n = readOrAwait(address, capacity, timeoutMillis);
            if (n <= 0) {
                return (int) n;
            }
            if (n == capacity) {
                // tun_put_user() copies what fits and returns only that, without an error: the
                // MTU was raised behind our back (ip link). Only a read that filled the room can
                // be cut; the IP header's own length tells. A cut packet is useless: drop it.
                int declared = declaredLength(dst, dst.writerIndex(), (int) n);
                if (declared > n) {
                    truncatedReads.incrementAndGet();
                    mtu = Math.max(mtu, declared);
                    return 0;
                }
            }
            dst.writerIndex(dst.writerIndex() + (int) n);
            return (int) n;
        } finally {
            leave();
        }
    }

    /**
     * With offloads: the next segment of the super-packet read last, or a new read(2) into the
     * staging buffer first. No truncation check: the staging buffer holds the largest packet.
     */
    private int readSegment(ByteBuf dst, int timeoutMillis) throws IOException {
        address(dst); // a heap buffer is refused before anything is read into it
        if (!segmenter.hasNext()) {
            ByteBuf staging = segmenter.staging();
            long n = readOrAwait(address(staging), staging.capacity(), timeoutMillis);
            if (n <= 0) {
                return (int) n;
            }
            if (!segmenter.load((int) n)) {
                return 0;
            }
        }
        int length = segmenter.nextLength();
        if (dst.maxWritableBytes() < length) {
            // The MTU was raised behind our back (ip link) and the caller's buffers are sized
            // for the old one: drop what does not fit, as the plain read does.
            segmenter.drop();
            truncatedReads.incrementAndGet();
            mtu = Math.max(mtu, length);
            return 0;
        }
        dst.ensureWritable(length);
        return segmenter.next(dst);
    }

    /**
     * read(2) into {@code address}; on EAGAIN waits up to {@code timeoutMillis} and tries once
     * more. A look without waiting ({@code timeoutMillis} 0) that finds nothing returns at once
     * and the next read with a timeout starts with poll(2): an idle reader's packet then costs
     * poll, read, and one empty read, where a poll(2) with no timeout and a second empty read
     * came on top before, on the round trip's critical path where both tunnel ends share a core.
     *
     * @return the bytes read, 0 for none (timeout, signal), -1 once closing
     */
    private long readOrAwait(long address, int capacity, int timeoutMillis) throws IOException {
        if (!(drained && timeoutMillis > 0)) {
            long n = C.read(fd, address, capacity);
            if (n >= 0) {
                drained = false;
                return n;
            }
            int errno = LinuxLibC.errno();
            if (errno == EINTR) {
                return 0;
            }
            if (errno != EAGAIN) {
                throw LinuxLibC.error("read " + name, errno);
            }
            if (timeoutMillis == 0) {
                drained = true;
                return 0;
            }
        }
        drained = false;
        int ready = awaitReadable(timeoutMillis);
        if (ready <= 0) {
            return ready;
        }
        long n = C.read(fd, address, capacity);
        if (n < 0) {
            int errno = LinuxLibC.errno();
            if (errno == EAGAIN || errno == EINTR) {
                return 0; // another reader took it, or a signal: as good as a timeout
            }
            throw LinuxLibC.error("read " + name, errno);
        }
        return n;
    }

    /** poll(2) on the TUN fd and the wake-up eventfd: 1 readable, 0 timed out, -1 closing. */
    private int awaitReadable(int timeoutMillis) throws IOException {
        int rc = C.poll(pollFds.address(), 2, timeoutMillis);
        if (rc < 0) {
            int errno = LinuxLibC.errno();
            if (errno == EINTR) {
                return 0;
            }
            throw LinuxLibC.error("poll " + name, errno);
        }
        if (closing.get() || pollFds.getShort(POLLFD_SIZE + 6) != 0) {
            return -1;
        }
        if (rc == 0) {
            return 0;
        }
        short revents = pollFds.getShort(6);
        if ((revents & (POLLERR | POLLHUP | POLLNVAL)) != 0) {
            throw new IOException("poll " + name + ": device error (revents 0x" + Integer.toHexString(revents) + ")");
        }
        return 1;
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code packet} must be a direct buffer with a memory address. A packet the kernel cannot
     * take for lack of memory (EAGAIN) is dropped and counted, as a full queue would drop it;
     * anything else it refuses (EINVAL for a first nibble that is neither 4 nor 6) is thrown.
     *
     * @throws ClosedChannelException once the device is closed
     */
    @Override
    public void write(ByteBuf packet) throws IOException {
        if (!enter()) {
            throw new ClosedChannelException();
        }
        try {
            long n = vnetWriter != null
                    ? vnetWriter.write(address(packet) + packet.readerIndex(), packet.readableBytes())
                    : C.write(fd, address(packet) + packet.readerIndex(), packet.readableBytes());
            checkWritten(n);
        } finally {
            leave();
        }
    }

    /**
     * With offloads, TCP segments that continue one another are held and written together as
     * one super-packet at {@link #flushWrites()} or when the run ends ({@link TcpCoalescer});
     * everything else is written at once, after the run.
     */
    @Override
    public void writeBatched(ByteBuf packet) throws IOException {
        if (coalescer == null) {
            write(packet);
            return;
        }
        address(packet);
        if (!enter()) {
            throw new ClosedChannelException();
        }
        try {
            if (!coalescer.offer(packet)) {
                checkWritten(vnetWriter.write(address(packet) + packet.readerIndex(), packet.readableBytes()));
            }
        } finally {
            leave();
        }
    }

    @Override
    public void flushWrites() throws IOException {
        if (coalescer == null) {
            return;
        }
        if (!enter()) {
            throw new ClosedChannelException();
        }
        try {
            coalescer.flush();
        } finally {
            leave();
        }
    }

    /** Super-packets written by receive offload, and the segments they carried. */
    public long coalescedWrites() {
        return coalescer == null ? 0 : coalescer.superPackets();
    }

    public long coalescedSegments() {
        return coalescer == null ? 0 : coalescer.coalescedSegments();
    }

    private void gatherWrite(long iovecs, int count) throws IOException {
        checkWritten(C.writev(fd, iovecs, count));
    }

    /**
     * A packet the kernel cannot take for lack of memory (EAGAIN) is dropped and counted, as a
     * full queue would drop it; anything else it refuses is thrown.
     */
    private void checkWritten(long n) throws IOException {
        if (n < 0) {
            int errno = LinuxLibC.errno();
            if (errno == EAGAIN) {
                droppedWrites.incrementAndGet();
            } else {
                throw LinuxLibC.error("write " + name, errno);
            }
        }
    }

    /** Idempotent, from any thread; wakes a waiting reader at once and never waits for it. */
    @Override
    public void close() {
        if (closing.compareAndSet(false, true)) {
            // An eventfd stays readable until read, so every later poll returns at once too.
            C.write(wakeFd, wakeValue.address(), Long.BYTES);
            leave();
        }
    }

    /** Registers a thread about to use the fds; false once closing (the fds may be gone). */
    private boolean enter() {
        if (closing.get()) {
            return false;
        }
        int n;
        do {
            n = users.get();
            if (n == 0) {
                return false;
            }
        } while (!users.compareAndSet(n, n + 1));
        if (closing.get()) {
            leave();
            return false;
        }
        return true;
    }

    private void leave() {
        if (users.decrementAndGet() == 0) {
            LinuxLibC.closeQuietly(fd);
            LinuxLibC.closeQuietly(wakeFd);
            config.close();
            if (segmenter != null) {
                segmenter.staging().release();
            }
            if (coalescer != null) {
                coalescer.discard(); // no writer is inside: every user has left
            }
        }
    }

    /** The packet length its IPv4 total length or IPv6 payload length field claims, or 0. */
    private static int declaredLength(ByteBuf buf, int at, int n) {
        int version = n > 0 ? (buf.getByte(at) & 0xf0) >> 4 : 0;
        if (version == 4 && n >= 4) {
            return buf.getUnsignedShort(at + 2);
        }
        if (version == 6 && n >= 6) {
            return 40 + buf.getUnsignedShort(at + 4); // a jumbogram (0) is never cut here
        }
        return 0;
    }

    private static long address(ByteBuf buf) {
        if (!buf.hasMemoryAddress()) {
            throw new IllegalArgumentException("TUN I/O needs a direct ByteBuf with a memory address, got " + buf);
        }
        return buf.memoryAddress();
    }

    @Override
    public String toString() {
        return "LinuxTun[" + name + (closing.get() ? ", closed" : "") + "]";
    }
}
