package io.pathsec.engine.tun;

import io.netty.buffer.ByteBuf;

import java.io.Closeable;
import java.io.IOException;

/**
 * A layer-3 virtual network device: one IPv4 or IPv6 packet per read or write, no packet
 * information header (IFF_NO_PI).
 *
 * <p>Buffers are the caller's (pooled, direct): {@link #read} writes the packet at the buffer's
 * writer index, so a caller that leaves headroom before it can later prepend outer headers in
 * place; {@link #write} sends the buffer's readable bytes. Implementations never allocate per
 * packet.
 *
 * <p>{@link #close()} may be called from any thread and wakes a reader blocked in {@link #read}
 * within its poll interval; a closed device answers reads with -1.
 */
public interface TunDevice extends Closeable {

    /** Interface name as the kernel knows it, for example {@code pathsec0}. */
    String name();

    /** Current MTU of the device. */
    int mtu();

    /** Sets the device MTU (SIOCSIFMTU); PMTU logic calls this where one SA owns the device. */
    void setMtu(int mtu) throws IOException;

    /**
     * Reads one packet into {@code dst} at its writer index and advances the writer index.
     *
     * @return the packet length, 0 if no packet arrived within {@code timeoutMillis}, -1 once
     *         the device is closed
     */
    int read(ByteBuf dst, int timeoutMillis) throws IOException;

    /**
     * A descriptor that polls readable (epoll, POLLIN) when {@link #read} has a packet, for a
     * reader that waits on other descriptors too; -1 where there is none (in memory). A packet
     * may also wait inside the device (a super-packet half split), so a reader that stops
     * before {@link #read} returns 0 must come back without waiting for the descriptor.
     */
    default int readableFd() {
        return -1;
    }

    /** Writes the readable bytes of {@code packet} as one packet; does not release it. */
    void write(ByteBuf packet) throws IOException;

    /**
     * Writes like {@link #write}, but a device may hold TCP segments back until
     * {@link #flushWrites()} to write a run of them as one super-packet (receive offload,
     * {@link TcpCoalescer}). What it holds it retains; the caller releases its own reference as
     * after {@link #write}. Packets of other flows and kinds keep their order relative to the run.
     * One thread at a time.
     */
    default void writeBatched(ByteBuf packet) throws IOException {
        write(packet);
    }

    /** Writes what {@link #writeBatched} held back: the end of a batch. */
    default void flushWrites() throws IOException {
    }

    @Override
    void close();
}
