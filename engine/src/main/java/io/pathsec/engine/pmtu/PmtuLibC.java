package io.pathsec.engine.pmtu;

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
 * The glibc calls PMTU discovery needs (raw ICMP sockets, socket options), bound through jnr-ffi
 * for x86_64/aarch64 Linux. Packet buffers are passed as raw addresses of Netty direct buffers,
 * so a receive allocates nothing.
 */
final class PmtuLibC {

    public interface Functions {
        @SaveError int socket(int domain, int type, int protocol);
        @SaveError int close(int fd);
        @SaveError int poll(@intptr_t long fds, @u_int64_t long nfds, int timeoutMillis);
        @SaveError @ssize_t long recv(int fd, @intptr_t long buf, @size_t long length, int flags);
        @SaveError int setsockopt(int fd, int level, int optname, @In byte[] optval, int optlen);
        @SaveError int getsockopt(int fd, int level, int optname, @Out byte[] optval, @In @Out int[] optlen);
        String strerror(int errnum);
    }

    // <sys/socket.h>, <netinet/in.h>, <linux/icmp.h>, <netinet/icmp6.h>, <poll.h> on Linux.
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int IPPROTO_IP = 0;
    static final int IPPROTO_ICMP = 1;
    static final int IPPROTO_IPV6 = 41;
    static final int IPPROTO_ICMPV6 = 58;
    static final int SOL_RAW = 255;
    static final int ICMP_FILTER = 1;
    static final int ICMP6_FILTER = 1;
    static final int IP_MTU_DISCOVER = 10;
    static final int IPV6_MTU_DISCOVER = 23;
    /** Set DF, ignore the route's cached PMTU (ip(7)); the same value for IPv6 (ipv6(7)). */
    static final int IP_PMTUDISC_PROBE = 3;
    static final int MSG_DONTWAIT = 0x40;
    static final short POLLIN = 0x1;
    static final int EINTR = 4;
    static final int EAGAIN = 11;

    static final Functions C = LibraryLoader.create(Functions.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(C);

    private PmtuLibC() {
    }

    static Pointer allocate(int size) {
        return Memory.allocateDirect(RUNTIME, size, true);
    }

    static int errno() {
        return RUNTIME.getLastError();
    }

    static IOException error(String call, int errno) {
        return new IOException(call + ": " + C.strerror(errno) + " (errno " + errno + ")");
    }

    static byte[] intValue(int value) {
        // Socket options are host-order ints: little-endian on x86_64 and aarch64 Linux.
        return new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
    }

    static int setInt(int fd, int level, int option, int value) {
        return C.setsockopt(fd, level, option, intValue(value), Integer.BYTES);
    }

    /** The option's value, or {@code fallback} when the socket has no such option (wrong family). */
    static int getIntOr(int fd, int level, int option, int fallback) {
        byte[] v = new byte[4];
        int[] len = {4};
        if (C.getsockopt(fd, level, option, v, len) < 0) {
            return fallback;
        }
        return (v[0] & 0xff) | (v[1] & 0xff) << 8 | (v[2] & 0xff) << 16 | (v[3] & 0xff) << 24;
    }

    static int getInt(int fd, int level, int option) throws IOException {
        int v = getIntOr(fd, level, option, Integer.MIN_VALUE);
        if (v == Integer.MIN_VALUE) {
            throw error("getsockopt", errno());
        }
        return v;
    }
}
