package io.pathsec.engine.transport;

/**
 * The layout of {@code struct mmsghdr} and what it points to on LP64 Linux (sendmmsg(2),
 * recvmmsg(2)), shared by {@link SendmmsgBatch} and {@link RecvmmsgBatch}: offsets in bytes.
 */
final class Mmsghdr {
    /** {@code struct mmsghdr { struct msghdr msg_hdr; unsigned int msg_len; }}: 64 bytes. */
    static final int SIZE = 64;
    static final int MSG_NAME = 0;
    static final int MSG_NAMELEN = 8;
    static final int MSG_IOV = 16;
    static final int MSG_IOVLEN = 24;
    static final int MSG_CONTROL = 32;
    static final int MSG_CONTROLLEN = 40;
    static final int MSG_FLAGS = 48;
    /** mmsghdr.msg_len: the bytes sent or received for this message. */
    static final int MSG_LEN = 56;
    /** {@code struct iovec { void *iov_base; size_t iov_len; }}. */
    static final int IOVEC = 16;
    /** Room for a sockaddr_in6 (28 bytes), 8-aligned. */
    static final int SOCKADDR = 32;
    static final int SOCKADDR_IN_LEN = 16;
    static final int SOCKADDR_IN6_LEN = 28;

    private Mmsghdr() {
    }
}
