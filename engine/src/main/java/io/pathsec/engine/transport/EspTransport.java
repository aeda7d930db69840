package io.pathsec.engine.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.socket.DatagramPacket;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Where the data path sends ESP datagrams and from where it receives them: the UDP socket on
 * port 4500 ({@link UdpEncapsulationSocket}) in a real tunnel, an {@link InMemoryEspTransport}
 * pair in tests that need no root and no network.
 */
public interface EspTransport extends AutoCloseable {

    /** Receives ESP datagrams; must not block for long. Owns the packet afterwards. */
    interface EspReceiver {
        void receive(DatagramPacket packet);
    }

    /** Opens a transport that hands every received ESP datagram to {@code receiver}. */
    @FunctionalInterface
    interface Opener {
        EspTransport open(EspReceiver receiver) throws IOException;
    }

    /** Queues a datagram; it leaves at the next {@link #flush()}. Takes ownership of the buffer. */
    void write(ByteBuf payload, InetSocketAddress to);

    /** Sends every queued datagram. */
    void flush();

    /** NAT keepalives received (RFC 3948 §2.3); 0 where the transport has none. */
    long natKeepalives();

    @Override
    void close();
}
