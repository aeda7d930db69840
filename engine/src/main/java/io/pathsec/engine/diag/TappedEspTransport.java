package io.pathsec.engine.diag;

import io.netty.buffer.ByteBuf;
import io.pathsec.engine.transport.EspTransport;

import java.net.InetSocketAddress;

/**
 * An {@link EspTransport} that shows every datagram to an {@link OuterPacketRing} on its way
 * out and in, and otherwise is the transport it wraps.
 */
public final class TappedEspTransport implements EspTransport {
    private final EspTransport inner;
    private final OuterPacketRing ring;

    private TappedEspTransport(EspTransport inner, OuterPacketRing ring) {
        this.inner = inner;
        this.ring = ring;
    }

    /** {@code opener}, with both directions shown to {@code ring}. */
    public static Opener tap(Opener opener, OuterPacketRing ring) {
        return receiver -> new TappedEspTransport(opener.open(new EspReceiver() {
            @Override
            public void receive(io.netty.channel.socket.DatagramPacket packet) {
                ring.received(packet.content(), packet.sender(), packet.recipient());
                receiver.receive(packet);
            }

            @Override
            public void endOfReceive() {
                receiver.endOfReceive(); // the inbound path's batch ends here (held TCP segments)
            }
        }), ring);
    }

    @Override
    public void write(ByteBuf payload, InetSocketAddress to) {
        ring.sent(payload, to); // before: the transport owns the buffer afterwards
        inner.write(payload, to);
    }

    @Override
    public void write(ByteBuf payload, InetSocketAddress to, boolean outerDf) {
        ring.sent(payload, to);
        inner.write(payload, to, outerDf);
    }

    @Override
    public void defaultOuterDf(boolean df) throws java.io.IOException {
        inner.defaultOuterDf(df);
    }

    @Override
    public void flush() {
        inner.flush();
    }

    @Override
    public boolean receivePending() {
        return inner.receivePending();
    }

    @Override
    public io.pathsec.engine.transport.ReadableWatch watchReadable(int fd,
            java.util.function.BooleanSupplier handler, long idleMillis) throws java.io.IOException {
        return inner.watchReadable(fd, handler, idleMillis);
    }

    @Override
    public long natKeepalives() {
        return inner.natKeepalives();
    }

    @Override
    public void close() {
        inner.close();
    }
}
