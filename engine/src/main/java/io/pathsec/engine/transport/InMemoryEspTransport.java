package io.pathsec.engine.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.socket.DatagramPacket;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;

/**
 * Two data paths wired back to back without sockets: what one writes, the other receives at
 * once, on the writer's thread, as a datagram from the writer's address. A test can put an
 * attacker on the wire ({@link #onTheWire}) that copies, changes or drops datagrams.
 *
 * <p>Real, reusable code in the spirit of wireguard-go's conn/bindtest: the data path does not
 * know it is not talking to a socket.
 */
public final class InMemoryEspTransport implements EspTransport {
    private final InetSocketAddress address;
    private InMemoryEspTransport peer;
    private volatile EspTransport.EspReceiver receiver;
    private final AtomicReference<UnaryOperator<ByteBuf>> wire = new AtomicReference<>(UnaryOperator.identity());
    private final LongAdder sent = new LongAdder();
    private volatile boolean closed;

    private InMemoryEspTransport(InetSocketAddress address) {
        this.address = address;
    }

    /** The two ends of one wire; open each with {@link #opener()}. */
    public record Pair(InMemoryEspTransport first, InMemoryEspTransport second) {
    }

    public static Pair pair(InetSocketAddress first, InetSocketAddress second) {
        InMemoryEspTransport a = new InMemoryEspTransport(first);
        InMemoryEspTransport b = new InMemoryEspTransport(second);
        a.peer = b;
        b.peer = a;
        return new Pair(a, b);
    }

    /** Hands this end to a data path: the receiver it passes becomes this end's receiver. */
    public EspTransport.Opener opener() {
        return r -> {
            this.receiver = r;
            return this;
        };
    }

    /**
     * Replaces what happens to datagrams this end sends: the function gets each datagram and
     * returns what arrives (the same buffer, a changed one, or null to drop it; it must release
     * what it does not pass on).
     */
    public void onTheWire(UnaryOperator<ByteBuf> attacker) {
        wire.set(attacker);
    }

    /** Delivers a datagram to this end as if it came from {@code from} (a replay, a forgery). */
    public void inject(ByteBuf datagram, InetSocketAddress from) {
        EspTransport.EspReceiver r = receiver;
        if (r == null || closed) {
            datagram.release();
            return;
        }
        r.receive(new DatagramPacket(datagram, address, from));
        r.endOfReceive(); // every datagram is a read of its own here
    }

    public long sent() {
        return sent.sum();
    }

    @Override
    public void write(ByteBuf payload, InetSocketAddress to) {
        sent.increment();
        ByteBuf arriving = wire.get().apply(payload);
        if (arriving != null) {
            peer.inject(arriving, address);
        }
    }

    @Override
    public void flush() {
        // delivered at write time
    }

    @Override
    public long natKeepalives() {
        return 0;
    }

    @Override
    public void close() {
        closed = true;
    }
}
