package io.pathsec.engine.transport;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.intptr_t;
import jnr.ffi.types.u_int64_t;

/**
 * The glibc socket calls the send path makes itself, bound once through jnr-ffi (x86_64/aarch64
 * Linux, LP64). Structures are passed as raw addresses of native memory the caller owns and
 * reuses, so a call costs no allocation.
 */
final class SocketCalls {

    /** The bound functions; each saves errno for {@link #errno()}. */
    public interface Functions {
        /** sendmmsg(2) on a caller-owned array of {@code struct mmsghdr}. */
        @SaveError int sendmmsg(int fd, @intptr_t long msgvec, int vlen, int flags);
        /** poll(2) on a caller-owned array of {@code struct pollfd}. */
        @SaveError int poll(@intptr_t long fds, @u_int64_t long nfds, int timeoutMillis);
        @SaveError int getsockopt(int fd, int level, int optname, @intptr_t long optval, @intptr_t long optlen);
    }

    // <sys/socket.h>, <poll.h>, <errno.h> on Linux.
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOL_SOCKET = 1;
    static final int SO_DOMAIN = 39;
    static final int MSG_DONTWAIT = 0x40;
    static final short POLLOUT = 0x4;
    static final int EINTR = 4;
    static final int EAGAIN = 11;

    static final Functions C = LibraryLoader.create(Functions.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(C);

    private SocketCalls() {
    }

    /** Native memory freed when the pointer is unreachable: for structures reused on every call. */
    static Pointer allocate(int size) {
        return Memory.allocateDirect(RUNTIME, size, true);
    }

    static int errno() {
        return RUNTIME.getLastError();
    }

    /** The socket's address family (SO_DOMAIN): AF_INET or AF_INET6, -1 if it cannot be read. */
    static int family(int fd) {
        Pointer value = allocate(2 * Integer.BYTES);
        value.putInt(0, 0);
        value.putInt(Integer.BYTES, Integer.BYTES);
        int rc = C.getsockopt(fd, SOL_SOCKET, SO_DOMAIN, value.address(), value.address() + Integer.BYTES);
        return rc < 0 ? -1 : value.getInt(0);
    }
}
