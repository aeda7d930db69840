package io.pathsec.engine.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.socket.DatagramPacket;
import io.pathsec.engine.linux.LinuxLibC;
import jnr.ffi.Pointer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import static io.pathsec.engine.linux.LinuxLibC.AF_INET;
import static io.pathsec.engine.linux.LinuxLibC.AF_INET6;
import static io.pathsec.engine.linux.LinuxLibC.C;
import static io.pathsec.engine.linux.LinuxLibC.EAGAIN;
import static io.pathsec.engine.linux.LinuxLibC.EINTR;
import static io.pathsec.engine.linux.LinuxLibC.MSG_DONTWAIT;
import static io.pathsec.engine.transport.Mmsghdr.IOVEC;
import static io.pathsec.engine.transport.Mmsghdr.MSG_FLAGS;
import static io.pathsec.engine.transport.Mmsghdr.MSG_IOV;
import static io.pathsec.engine.transport.Mmsghdr.MSG_IOVLEN;
import static io.pathsec.engine.transport.Mmsghdr.MSG_LEN;
import static io.pathsec.engine.transport.Mmsghdr.MSG_NAME;
import static io.pathsec.engine.transport.Mmsghdr.MSG_NAMELEN;
import static io.pathsec.engine.transport.Mmsghdr.SOCKADDR;

/**
 * Reads the datagrams waiting on one UDP socket with one recvmmsg(2): up to {@link #CAPACITY}
 * at a time, straight into the free slots of one direct {@link ByteBuf}, each datagram handed
 * on as a slice of it. After a read of one datagram (a quiet socket) the next read goes on with
 * the slots left, so an idle tunnel allocates a new buffer every dozen datagrams, not at every
 * read; after a read of more, the next read takes a new buffer with all slots, as Netty's
 * datagram channel did, so reads under load stay large. This is the whole receive path of the ESP socket: no channel pipeline, no
 * per-read option query, no Java object per slot filled in through JNI, no second read to learn
 * that the queue is empty (the epoll set says when there is more), which on an idle tunnel cost
 * more than decrypting the packet (BENCHMARKS.md, "The socket read without a channel").
 *
 * <p>The {@code struct mmsghdr}, {@code iovec} and {@code sockaddr} arrays live in native memory
 * allocated once. A sender equal to the previous datagram's (one peer, every packet) reuses its
 * {@link InetSocketAddress}. Not thread-safe: one thread (the socket's event loop) reads.
 */
final class RecvmmsgBatch {
    /** Datagrams per recvmmsg(2), as Netty's datagram channel read them before. */
    static final int CAPACITY = 16;
    /** Below this many free slots a read starts a new buffer, so that reads stay large under load. */
    static final int MIN_FREE_SLOTS = 4;
    /** recvmsg(2): the datagram was longer than its slot, and cut. */
    private static final int MSG_TRUNC = 0x20;

    private final int fd;
    private final int slot;
    private final InetSocketAddress recipient;
    private final ByteBufAllocator allocator;
    private final LongAdder truncated;
    private final Pointer messages;
    private final Pointer iovecs;
    private final Pointer names;
    /** The buffer the iovecs point into, slot {@code i} at {@code i * slot}; null before the first read. */
    private ByteBuf slots;
    /** The first slot no datagram has used yet. */
    private int nextSlot;
    /** Whether the last read returned more than one datagram: the next one starts a new buffer. */
    private boolean busy;
    /** Whether the last read filled every slot it offered: more may be waiting. */
    private boolean filled;
    /** The last sender decoded, and the sockaddr bytes it came from. */
    private InetSocketAddress lastSender;
    private long lastName0;
    private long lastName1;
    private long lastName2;
    private int lastName3;

    /**
     * @param slot      bytes read per datagram at most; a longer datagram is cut by the kernel,
     *                  counted in {@code truncated} and dropped
     * @param recipient the socket's own address, the recipient of every datagram read
     */
    RecvmmsgBatch(int fd, int slot, InetSocketAddress recipient, ByteBufAllocator allocator, LongAdder truncated) {
        this.fd = fd;
        this.slot = slot;
        this.recipient = recipient;
        this.allocator = allocator;
        this.truncated = truncated;
        this.messages = LinuxLibC.allocate(CAPACITY * Mmsghdr.SIZE);
        this.iovecs = LinuxLibC.allocate(CAPACITY * IOVEC);
        this.names = LinuxLibC.allocate(CAPACITY * SOCKADDR);
        messages.setMemory(0, (long) CAPACITY * Mmsghdr.SIZE, (byte) 0);
        for (int i = 0; i < CAPACITY; i++) {
            long m = (long) i * Mmsghdr.SIZE;
            messages.putLong(m + MSG_NAME, names.address() + (long) i * SOCKADDR);
            messages.putInt(m + MSG_NAMELEN, SOCKADDR);
            messages.putLong(m + MSG_IOV, iovecs.address() + (long) i * IOVEC);
            messages.putLong(m + MSG_IOVLEN, 1);
            iovecs.putLong((long) i * IOVEC + 8, slot);
        }
    }

    /**
     * Reads what is waiting, up to {@link #CAPACITY} datagrams, and hands each to
     * {@code receiver}, which owns it afterwards.
     *
     * @return the datagrams read (truncated ones included); 0 when none was waiting or the
     *         read failed (a failure reported on the socket is consumed by the read)
     * @throws ReceiveError when the socket refuses the read for another reason than an empty queue
     */
    int receive(Consumer<DatagramPacket> receiver) {
        if (slots == null || busy || CAPACITY - nextSlot < MIN_FREE_SLOTS) {
            freshSlots();
        }
        int first = nextSlot;
        int n = C.recvmmsg(fd, messages.address() + (long) first * Mmsghdr.SIZE, CAPACITY - first, MSG_DONTWAIT, 0);
        busy = n > 1;
        filled = n == CAPACITY - first;
        if (n < 0) {
            int errno = LinuxLibC.errno();
            if (errno == EAGAIN || errno == EINTR) {
                return 0;
            }
            throw new ReceiveError(errno);
        }
        nextSlot += n;
        for (int i = first; i < first + n; i++) {
            long m = (long) i * Mmsghdr.SIZE;
            messages.putInt(m + MSG_NAMELEN, SOCKADDR); // the kernel wrote the sender's length
            if ((messages.getInt(m + MSG_FLAGS) & MSG_TRUNC) != 0) {
                truncated.increment();
                continue;
            }
            int length = messages.getInt(m + MSG_LEN);
            receiver.accept(new DatagramPacket(slots.retainedSlice(i * slot, length), recipient,
                    sender((long) i * SOCKADDR)));
        }
        return n;
    }

    /** Whether the last read filled every slot it had: the socket may hold more right now. */
    boolean filled() {
        return filled;
    }

    /** A new buffer for all slots; the old one lives on in the slices handed out. */
    private void freshSlots() {
        if (slots != null) {
            slots.release();
        }
        slots = allocator.directBuffer(CAPACITY * slot, CAPACITY * slot);
        long base = slots.memoryAddress();
        for (int i = 0; i < CAPACITY; i++) {
            iovecs.putLong((long) i * IOVEC, base + (long) i * slot);
        }
        nextSlot = 0;
    }

    /** Frees the slots' buffer (the slices handed out keep their part); the batch reads nothing after this. */
    void release() {
        if (slots != null) {
            slots.release();
            slots = null;
        }
    }

    /**
     * The sockaddr_in or sockaddr_in6 at {@code at}: the previous datagram's object when its
     * 28 bytes are the same (family, port and address among them), decoded otherwise.
     */
    private InetSocketAddress sender(long at) {
        long w0 = names.getLong(at);
        long w1 = names.getLong(at + 8);
        long w2 = names.getLong(at + 16);
        int w3 = names.getInt(at + 24);
        if (lastSender == null || w0 != lastName0 || w1 != lastName1 || w2 != lastName2 || w3 != lastName3) {
            lastSender = decode(at);
            lastName0 = w0;
            lastName1 = w1;
            lastName2 = w2;
            lastName3 = w3;
        }
        return lastSender;
    }

    private InetSocketAddress decode(long at) {
        int family = names.getShort(at) & 0xffff;
        int port = (names.getByte(at + 2) & 0xff) << 8 | (names.getByte(at + 3) & 0xff);
        byte[] raw;
        if (family == AF_INET) {
            raw = new byte[4];
            names.get(at + 4, raw, 0, 4);
        } else if (family == AF_INET6) {
            raw = new byte[16];
            names.get(at + 8, raw, 0, 16);
        } else {
            throw new IllegalStateException("sender of family " + family + " on an IP socket");
        }
        try {
            // A v4-mapped address (::ffff:a.b.c.d) comes back as the IPv4 peer it is (ipv6(7)).
            return new InetSocketAddress(InetAddress.getByAddress(raw), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("address of " + raw.length + " bytes", e);
        }
    }

    /** recvmmsg(2) failed for another reason than an empty queue. */
    static final class ReceiveError extends RuntimeException {
        ReceiveError(int errno) {
            super("recvmmsg: " + C.strerror(errno));
        }
    }
}
