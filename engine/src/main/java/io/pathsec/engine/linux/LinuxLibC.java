package io.pathsec.engine.linux;

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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The glibc calls the engine makes, bound once through jnr-ffi (x86_64/aarch64 Linux, LP64): the
 * TUN device, interface configuration, network namespaces, SO_MARK, raw ICMP sockets for classic
 * PMTUD, and the TCP socket options of the TCP-MSS method. One binding for the whole engine, so
 * that each constant and each call has one definition.
 *
 * <p>Buffers on the packet path are passed as raw addresses ({@code @intptr_t long}) so that a
 * read or write costs no allocation and no copy: the address is a Netty direct buffer's
 * {@code memoryAddress()}. Only configuration calls pass Java arrays (jnr-ffi copies those).
 */
public final class LinuxLibC {

    /** The bound functions. Every one saves errno ({@code @SaveError}) for {@link #errno()}. */
    public interface Functions {
        @SaveError int open(String path, int flags);                                   // open(2)
        @SaveError int close(int fd);                                                  // close(2)
        @SaveError @ssize_t long read(int fd, @intptr_t long buf, @size_t long count);  // read(2)
        @SaveError @ssize_t long write(int fd, @intptr_t long buf, @size_t long count); // write(2)
        @SaveError @ssize_t long recv(int fd, @intptr_t long buf, @size_t long length, int flags); // recv(2)
        /** recvfrom(2): the datagram into {@code buf}, the sender into {@code addr} (a struct sockaddr). */
        @SaveError @ssize_t long recvfrom(int fd, @intptr_t long buf, @size_t long length, int flags,
                                          @Out byte[] addr, @In @Out int[] addrlen);
        /** sendto(2) of a datagram to a caller-built {@code struct sockaddr} (tests: forged ICMP). */
        @SaveError @ssize_t long sendto(int fd, @In byte[] buf, @size_t long length, int flags, @In byte[] addr,
                                        int addrlen);
        /** poll(2) on a caller-owned array of {@code struct pollfd} at {@code fds}. */
        @SaveError int poll(@intptr_t long fds, @u_int64_t long nfds, int timeoutMillis);
        /** ioctl(2) whose third argument points to a struct (ifreq, in6_ifreq). */
        @SaveError int ioctl(int fd, @u_int64_t long request, @In @Out byte[] arg);
        /** ioctl(2) whose third argument is a plain value (TUNSETOFFLOAD's flags). */
        @SaveError int ioctl(int fd, @u_int64_t long request, @u_int64_t long arg);
        /** writev(2) on a caller-owned array of {@code struct iovec}. */
        @SaveError @ssize_t long writev(int fd, @intptr_t long iov, int iovcnt);
        /** sendmmsg(2) on a caller-owned array of {@code struct mmsghdr}. */
        @SaveError int sendmmsg(int fd, @intptr_t long msgvec, int vlen, int flags);
        /** recvmmsg(2) into a caller-owned array of {@code struct mmsghdr}; {@code timeout} a pointer or 0. */
        @SaveError int recvmmsg(int fd, @intptr_t long msgvec, int vlen, int flags, @intptr_t long timeout);
        @SaveError int eventfd(int initval, int flags);                                // eventfd(2)
        @SaveError int epoll_create1(int flags);                                       // epoll_create1(2)
        /** epoll_ctl(2) with a caller-owned {@code struct epoll_event} at {@code event}. */
        @SaveError int epoll_ctl(int epfd, int op, int fd, @intptr_t long event);
        /** epoll_wait(2) into a caller-owned array of {@code struct epoll_event}. */
        @SaveError int epoll_wait(int epfd, @intptr_t long events, int maxevents, int timeoutMillis);
        @SaveError int socket(int domain, int type, int protocol);                    // socket(2)
        /** setsockopt(2); {@code optval} in host byte order ({@link #setInt} for int options). */
        @SaveError int setsockopt(int fd, int level, int optname, @In byte[] optval, int optlen);
        /** getsockopt(2) into {@code optval}; {@code optlen[0]} is its size in, the length written out. */
        @SaveError int getsockopt(int fd, int level, int optname, @Out byte[] optval, @In @Out int[] optlen);
        @SaveError int setns(int fd, int nstype);                                      // setns(2)
        String strerror(int errnum);
    }

    // <fcntl.h>, <sys/eventfd.h>, <sys/socket.h>, <poll.h>, <sched.h>, <errno.h> on Linux.
    public static final int O_RDWR = 0x2;
    public static final int O_RDONLY = 0x0;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;
    public static final int EFD_NONBLOCK = 0x800;
    public static final int EFD_CLOEXEC = 0x80000;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_MARK = 36;
    public static final int SO_DOMAIN = 39;
    public static final int MSG_DONTWAIT = 0x40;
    public static final short POLLIN = 0x1;
    public static final short POLLOUT = 0x4;
    public static final short POLLERR = 0x8;
    public static final short POLLHUP = 0x10;
    public static final short POLLNVAL = 0x20;
    public static final int CLONE_NEWNET = 0x40000000;
    public static final int EINTR = 4;
    public static final int EAGAIN = 11;

    // <netinet/in.h>, <linux/icmp.h>, <netinet/icmp6.h>, ip(7), ipv6(7), raw(7).
    public static final int IPPROTO_IP = 0;
    public static final int IPPROTO_ICMP = 1;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_IPV6 = 41;
    public static final int IPPROTO_ICMPV6 = 58;
    public static final int SOL_RAW = 255;
    public static final int ICMP_FILTER = 1;
    public static final int ICMP6_FILTER = 1;
    public static final int IP_MTU_DISCOVER = 10;
    public static final int IPV6_MTU_DISCOVER = 23;
    /** Set DF, ignore the route's cached PMTU (ip(7)); the same value for IPv6 (ipv6(7)). */
    public static final int IP_PMTUDISC_PROBE = 3;

    // <netinet/tcp.h>, tcp(7).
    public static final int TCP_MAXSEG = 2;
    public static final int TCP_INFO = 11;

    public static final Functions C = LibraryLoader.create(Functions.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(C);

    private LinuxLibC() {
    }

    /**
     * Native memory that lives as long as the returned pointer is reachable: for small structures
     * reused on every call (a {@code struct pollfd} array), never for per-packet data.
     */
    public static Pointer allocate(int size) {
        return Memory.allocateDirect(RUNTIME, size, true);
    }

    /** errno of the last call on this thread (jnr-ffi saves it right after the call). */
    public static int errno() {
        return RUNTIME.getLastError();
    }

    /** An IOException naming the call and errno's text, as strerror(3) gives it. */
    public static IOException error(String call, int errno) {
        return new IOException(call + ": " + C.strerror(errno) + " (errno " + errno + ")");
    }

    /** Returns {@code rc}, or throws with errno's text when the call failed ({@code rc < 0}). */
    public static int check(int rc, String call) throws IOException {
        if (rc < 0) {
            throw error(call, errno());
        }
        return rc;
    }

    /** close(2), ignoring errors: used on cleanup paths where nothing better can be done. */
    public static void closeQuietly(int fd) {
        if (fd >= 0) {
            C.close(fd);
        }
    }

    /** setsockopt(2) of an int option; returns the call's result (errno in {@link #errno()}). */
    public static int setInt(int fd, int level, int option, int value) {
        byte[] v = ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.nativeOrder()).putInt(value).array();
        return C.setsockopt(fd, level, option, v, Integer.BYTES);
    }

    /** getsockopt(2) of an int option, or an IOException naming {@code call}. */
    public static int getInt(int fd, int level, int option, String call) throws IOException {
        byte[] v = new byte[Integer.BYTES];
        int[] length = {Integer.BYTES};
        check(C.getsockopt(fd, level, option, v, length), call);
        return ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getInt();
    }

    /**
     * getsockopt(2) of a structure: up to {@code size} octets in host byte order, as many as the
     * kernel wrote (a struct that grew in newer kernels comes back at the length this kernel has).
     */
    public static ByteBuffer getStruct(int fd, int level, int option, int size, String call) throws IOException {
        byte[] v = new byte[size];
        int[] length = {size};
        check(C.getsockopt(fd, level, option, v, length), call);
        return ByteBuffer.wrap(v, 0, Math.min(size, length[0])).slice().order(ByteOrder.nativeOrder());
    }
}
