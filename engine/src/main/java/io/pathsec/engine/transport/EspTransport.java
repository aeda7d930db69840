package io.pathsec.engine.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.socket.DatagramPacket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.BooleanSupplier;

/**
 * Where the data path sends ESP datagrams and from where it receives them: the UDP socket on
 * port 4500 ({@link UdpEncapsulationSocket}) in a real tunnel, an {@link InMemoryEspTransport}
 * pair in tests that need no root and no network.
 */
public interface EspTransport extends AutoCloseable {

    /** Receives ESP datagrams; must not block for long. Owns the packet afterwards. */
    interface EspReceiver {
        void receive(DatagramPacket packet);

        /**
         * The datagrams read together have all been handed over (Netty's channelReadComplete):
         * a receiver that delivers on this thread ends its batch here, so nothing it holds back
         * (TCP segments waiting to be joined into one TUN write) waits for the next datagram.
         */
        default void endOfReceive() {
        }
    }

    /** Opens a transport that hands every received ESP datagram to {@code receiver}. */
    @FunctionalInterface
    interface Opener {
        EspTransport open(EspReceiver receiver) throws IOException;
    }

    /** Queues a datagram; it leaves at the next {@link #flush()}. Takes ownership of the buffer. */
    void write(ByteBuf payload, InetSocketAddress to);

    /**
     * Queues a datagram whose outer IPv4 header must carry DF as given (RFC 4301 §8.1, the SA's
     * copy/set/clear setting), whatever {@link #defaultOuterDf} says. Transports without a DF
     * bit of their own (in memory) just queue it.
     */
    default void write(ByteBuf payload, InetSocketAddress to, boolean outerDf) {
        write(payload, to);
    }

    /** The outer IPv4 DF bit of datagrams queued with plain {@link #write}: set unless told otherwise. */
    default void defaultOuterDf(boolean df) throws IOException {
    }

    /** Sends every queued datagram. */
    void flush();

    /**
     * Whether datagrams wait unread in the transport's own receive queue: a silence of the peer
     * that this side made itself (the black-hole detector asks). False where there is no queue.
     */
    default boolean receivePending() {
        return false;
    }

    /**
     * Runs {@code handler} on the transport's own receive thread whenever {@code fd} is readable,
     * and every {@code idleMillis} besides, so that one thread serves the socket and the
     * descriptor (the TUN device); a handler that returns true stopped with work left and runs
     * again soon. Must not block for long.
     *
     * @return the watch, to close before the descriptor is; null where the transport has no
     *         receive thread of its own (in memory): the caller then reads on a thread of its own
     */
    default ReadableWatch watchReadable(int fd, BooleanSupplier handler, long idleMillis)
            throws IOException {
        return null;
    }

    /** NAT keepalives received (RFC 3948 §2.3); 0 where the transport has none. */
    long natKeepalives();

    @Override
    void close();
}
