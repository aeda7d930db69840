package io.pathsec.engine.diag;

import io.netty.buffer.ByteBuf;
import io.netty.channel.socket.DatagramPacket;
import io.pathsec.engine.transport.EspTransport;
import io.pathsec.engine.transport.ReadableWatch;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.BooleanSupplier;

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
            public void receive(DatagramPacket packet) {
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
    public void defaultOuterDf(boolean df) throws IOException {
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
    public ReadableWatch watchReadable(int fd, BooleanSupplier handler, long idleMillis) throws IOException {
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
