package io.pathsec.engine.pmtu.tcpmss;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.pathsec.engine.tun.SocketMark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.function.ToIntFunction;

/**
 * The TCP-MSS sockets, of the address family of the outer addresses, carrying the outer sockets'
 * SO_MARK from birth, before they bind or connect: policy routing (architecture.md "Routing")
 * then keeps them on the outer path even where the peer's address is routed into the tunnel.
 * Used as Netty channel factories, so a failure is thrown unchecked and fails the bind or connect.
 */
final class OuterPathSockets {
    private OuterPathSockets() {
    }

    /** A client socket towards {@code peer}; {@code mark} 0 for none. */
    static EpollSocketChannel client(InetAddress peer, int mark) {
        return marked(new EpollSocketChannel(family(peer)), mark, ch -> ch.fd().intValue());
    }

    /** A listening socket on {@code local}; accepted connections inherit the mark. */
    static EpollServerSocketChannel server(InetAddress local, int mark) {
        return marked(new EpollServerSocketChannel(family(local)), mark, ch -> ch.fd().intValue());
    }

    private static SocketProtocolFamily family(InetAddress address) {
        return address instanceof Inet6Address ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
    }

    private static <C extends Channel> C marked(C channel, int mark, ToIntFunction<C> fd) {
        if (mark != 0) {
            try {
                SocketMark.setSocketMark(fd.applyAsInt(channel), mark);
            } catch (IOException e) {
                channel.unsafe().closeForcibly();
                throw new UncheckedIOException(e);
            }
        }
        return channel;
    }
}
