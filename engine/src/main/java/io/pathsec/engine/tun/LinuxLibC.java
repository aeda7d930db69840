package io.pathsec.engine.tun;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.intptr_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;
import jnr.ffi.types.u_int64_t;

import java.io.IOException;

/**
 * The few glibc calls the TUN, interface-configuration, namespace and socket-mark code need,
 * bound once through jnr-ffi (x86_64/aarch64 Linux, LP64).
 *
 * <p>Buffers on the packet path are passed as raw addresses ({@code @intptr_t long}) so that a
 * read or write costs no allocation and no copy: the address is a Netty direct buffer's
 * {@code memoryAddress()}. Only configuration calls pass Java arrays (jnr-ffi copies those).
 */
final class LinuxLibC {

    /** The bound functions. Every one saves errno ({@code @SaveError}) for {@link #errno()}. */
    public interface Functions {
        @SaveError int open(String path, int flags);                                   // open(2)
        @SaveError int close(int fd);                                                  // close(2)
        @SaveError @ssize_t long read(int fd, @intptr_t long buf, @size_t long count);  // read(2)
        @SaveError @ssize_t long write(int fd, @intptr_t long buf, @size_t long count); // write(2)
        /** poll(2) on a caller-owned array of {@code struct pollfd} at {@code fds}. */
        @SaveError int poll(@intptr_t long fds, @u_int64_t long nfds, int timeoutMillis);
        /** ioctl(2) whose third argument points to a struct (ifreq, in6_ifreq). */
        @SaveError int ioctl(int fd, @u_int64_t long request, @In @Out byte[] arg);
        /** ioctl(2) whose third argument is a plain value (TUNSETOFFLOAD's flags). */
        @SaveError int ioctl(int fd, @u_int64_t long request, @u_int64_t long arg);
        /** writev(2) on a caller-owned array of {@code struct iovec}. */
        @SaveError @ssize_t long writev(int fd, @intptr_t long iov, int iovcnt);
        @SaveError int eventfd(int initval, int flags);                                // eventfd(2)
        @SaveError int socket(int domain, int type, int protocol);                    // socket(2)
        @SaveError int setsockopt(int fd, int level, int optname, @In int[] optval, int optlen);
        @SaveError int getsockopt(int fd, int level, int optname, @Out int[] optval, @In @Out int[] optlen);
        @SaveError int setns(int fd, int nstype);                                      // setns(2)
        String strerror(int errnum);
    }

    // <fcntl.h>, <sys/eventfd.h>, <sys/socket.h>, <poll.h>, <sched.h>, <errno.h> on Linux.
    static final int O_RDWR = 0x2;
    static final int O_RDONLY = 0x0;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final int EFD_NONBLOCK = 0x800;
    static final int EFD_CLOEXEC = 0x80000;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_MARK = 36;
    static final short POLLIN = 0x1;
    static final short POLLERR = 0x8;
    static final short POLLHUP = 0x10;
    static final short POLLNVAL = 0x20;
    static final int CLONE_NEWNET = 0x40000000;
    static final int EINTR = 4;
    static final int EAGAIN = 11;

    static final Functions C = LibraryLoader.create(Functions.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(C);

    private LinuxLibC() {
    }

    /**
     * Native memory that lives as long as the returned pointer is reachable: for small structures
     * reused on every call (a {@code struct pollfd} array), never for per-packet data.
     */
    static Pointer allocate(int size) {
        return Memory.allocateDirect(RUNTIME, size, true);
    }

    /** errno of the last call on this thread (jnr-ffi saves it right after the call). */
    static int errno() {
        return RUNTIME.getLastError();
    }

    /** An IOException naming the call and errno's text, as strerror(3) gives it. */
    static IOException error(String call, int errno) {
        return new IOException(call + ": " + C.strerror(errno) + " (errno " + errno + ")");
    }

    /** Returns {@code rc}, or throws with errno's text when the call failed ({@code rc < 0}). */
    static int check(int rc, String call) throws IOException {
        if (rc < 0) {
            throw error(call, errno());
        }
        return rc;
    }

    /** close(2), ignoring errors: used on cleanup paths where nothing better can be done. */
    static void closeQuietly(int fd) {
        if (fd >= 0) {
            C.close(fd);
        }
    }
}
