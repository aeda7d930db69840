package io.pathsec.engine.tun;

import io.pathsec.engine.linux.LinuxLibC;

import java.io.IOException;

import static io.pathsec.engine.linux.LinuxLibC.SOL_SOCKET;
import static io.pathsec.engine.linux.LinuxLibC.SO_MARK;
import static io.pathsec.engine.linux.LinuxLibC.check;

/**
 * SO_MARK on the outer (ESP/IKE) sockets, socket(7). A full tunnel, and transport mode to a
 * peer that is also the ESP endpoint, route everything into the TUN except packets carrying
 * this mark; a policy rule ({@code ip rule add not fwmark M table T}) sends the marked outer
 * packets out of the physical interface, as wg-quick does. Needs CAP_NET_ADMIN.
 *
 * <p>The fd is a native socket descriptor, e.g. Netty's {@code EpollDatagramChannel.fd().intValue()}.
 */
public final class SocketMark {

    private SocketMark() {
    }

    /** setsockopt(fd, SOL_SOCKET, SO_MARK, mark). */
    public static void setSocketMark(int fd, int mark) throws IOException {
        check(LinuxLibC.setInt(fd, SOL_SOCKET, SO_MARK, mark), "setsockopt(SO_MARK)");
    }

    /** getsockopt(fd, SOL_SOCKET, SO_MARK): the mark now on the socket (0 when none). */
    public static int socketMark(int fd) throws IOException {
        return LinuxLibC.getInt(fd, SOL_SOCKET, SO_MARK, "getsockopt(SO_MARK)");
    }
}
