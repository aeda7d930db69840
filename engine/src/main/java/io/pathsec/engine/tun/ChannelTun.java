package io.pathsec.engine.tun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An in-memory {@link TunDevice} for tests, in the role of wireguard-go's tuntest: the engine
 * reads and writes it as it would a {@link LinuxTun}, and the test plays the kernel with
 * {@link #inject} (a packet the kernel routes into the device) and {@link #take} (a packet the
 * engine wrote, as the kernel would receive it).
 *
 * <p>It behaves like {@link LinuxTun} wherever that is observable: direct buffers only; a read
 * returns the length, 0 on timeout, -1 once closed; a write of something that is not an IPv4 or
 * IPv6 packet fails like the kernel's EINVAL; a write to a full queue is dropped and counted, it
 * never blocks; {@link #close()} is idempotent, safe from any thread and wakes a waiting reader
 * at once; after close writes throw {@link ClosedChannelException}.
 *
 * <p>Each direction is a bounded FIFO of copies (allocation here is fine: it is a test double).
 */
public final class ChannelTun implements TunDevice {

    /** Like the kernel's default tx_queue_len for a TUN device. */
    public static final int DEFAULT_CAPACITY = 500;
    static final int MIN_MTU = 68;       // RFC 791: every IPv4 link carries 68 bytes
    static final int MAX_MTU = 65535;

    private final String name;
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition toEngineReady = lock.newCondition();
    private final Condition toKernelReady = lock.newCondition();
    private final ArrayDeque<ByteBuf> toEngine = new ArrayDeque<>();
    private final ArrayDeque<ByteBuf> toKernel = new ArrayDeque<>();
    private final AtomicLong droppedWrites = new AtomicLong();
    private final AtomicLong droppedInjections = new AtomicLong();
    private volatile int mtu;
    private boolean closed; // guarded by lock

    public ChannelTun(String name, int mtu) {
        this(name, mtu, DEFAULT_CAPACITY);
    }

    public ChannelTun(String name, int mtu, int capacity) {
        this.name = Ifreq.checkName(name);
        if (mtu < MIN_MTU || mtu > MAX_MTU || capacity < 1) {
            throw new IllegalArgumentException("mtu " + mtu + ", capacity " + capacity);
        }
        this.mtu = mtu;
        this.capacity = capacity;
    }

    // ---- the kernel's side, driven by the test ----

    /**
     * Queues a copy of {@code packet}'s readable bytes for the engine to read, as the kernel
     * routes a packet into the device. The caller keeps its buffer.
     *
     * @return false if the packet was dropped: the queue is full or the device closed
     * @throws IllegalArgumentException for an empty packet or one larger than the MTU, which
     *         the kernel never hands to a device
     */
    public boolean inject(ByteBuf packet) {
        int length = packet.readableBytes();
        if (length == 0 || length > mtu) {
            throw new IllegalArgumentException("packet of " + length + " bytes on a device with MTU " + mtu);
        }
        lock.lock();
        try {
            if (closed || toEngine.size() >= capacity) {
                droppedInjections.incrementAndGet();
                return false;
            }
            toEngine.add(Unpooled.copiedBuffer(packet));
            toEngineReady.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next packet the engine wrote, waiting up to {@code timeout}; null on timeout or once
     * the device is closed. The caller releases the returned buffer.
     */
    public ByteBuf take(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            while (!closed && toKernel.isEmpty()) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = toKernelReady.awaitNanos(nanos);
            }
            return closed ? null : toKernel.poll();
        } finally {
            lock.unlock();
        }
    }

    /** Injections refused because the queue to the engine was full or the device closed. */
    public long droppedInjections() {
        return droppedInjections.get();
    }

    // ---- the engine's side: TunDevice ----

    @Override
    public String name() {
        return name;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public void setMtu(int mtu) throws IOException {
        lock.lock();
        try {
            if (closed) {
                throw new ClosedChannelException();
            }
        } finally {
            lock.unlock();
        }
        if (mtu < MIN_MTU || mtu > MAX_MTU) {
            throw new IOException("SIOCSIFMTU " + name + " " + mtu + ": Invalid argument (errno 22)");
        }
        this.mtu = mtu;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A negative timeout waits until a packet arrives or the device closes, as poll(2) does.
     * An interrupt ends the wait early with 0 and leaves the thread's interrupt status set.
     */
    @Override
    public int read(ByteBuf dst, int timeoutMillis) throws IOException {
        requireDirect(dst);
        ByteBuf packet;
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (!closed && toEngine.isEmpty()) {
                if (timeoutMillis >= 0 && nanos <= 0) {
                    return 0;
                }
                try {
                    if (timeoutMillis < 0) {
                        toEngineReady.await();
                    } else {
                        nanos = toEngineReady.awaitNanos(nanos);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return 0;
                }
            }
            if (closed) {
                return -1;
            }
            packet = toEngine.poll();
        } finally {
            lock.unlock();
        }
        try {
            int length = packet.readableBytes();
            dst.writeBytes(packet);
            return length;
        } finally {
            packet.release();
        }
    }

    /** {@inheritDoc} <p>Copies the packet; the caller's indexes are left alone. */
    @Override
    public void write(ByteBuf packet) throws IOException {
        requireDirect(packet);
        int length = packet.readableBytes();
        int version = length == 0 ? 0 : (packet.getByte(packet.readerIndex()) & 0xf0) >> 4;
        lock.lock();
        try {
            if (closed) {
                throw new ClosedChannelException();
            }
            if (version != 4 && version != 6) {
                throw new IOException("write " + name + ": Invalid argument (errno 22)");
            }
            if (toKernel.size() >= capacity) {
                droppedWrites.incrementAndGet();
                return;
            }
            toKernel.add(Unpooled.copiedBuffer(packet));
            toKernelReady.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Packets the engine wrote while the queue to the kernel side was full. */
    public long droppedWrites() {
        return droppedWrites.get();
    }

    /** Idempotent, from any thread: wakes every waiter and releases the queued packets. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            toEngine.forEach(ByteBuf::release);
            toEngine.clear();
            toKernel.forEach(ByteBuf::release);
            toKernel.clear();
            toEngineReady.signalAll();
            toKernelReady.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Same rule as {@link LinuxTun}, so engine code tested here is not surprised in production. */
    private static void requireDirect(ByteBuf buf) {
        if (!buf.hasMemoryAddress()) {
            throw new IllegalArgumentException("TUN I/O needs a direct ByteBuf with a memory address, got " + buf);
        }
    }

    @Override
    public String toString() {
        return "ChannelTun[" + name + "]";
    }
}
