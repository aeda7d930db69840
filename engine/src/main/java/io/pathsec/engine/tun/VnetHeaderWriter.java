package io.pathsec.engine.tun;

import io.pathsec.engine.linux.LinuxLibC;
import jnr.ffi.Pointer;

import static io.pathsec.engine.linux.LinuxLibC.C;

/**
 * Writes to a TUN opened with IFF_VNET_HDR, where every packet must follow a
 * {@code struct virtio_net_hdr}: an all-zero one (no GSO, checksum complete), gathered in
 * front of the caller's packet by writev(2), so the packet buffer needs no headroom and is
 * never touched. Each writing thread has its own two-entry {@code iovec} array.
 */
final class VnetHeaderWriter {
    private static final int IOVEC = 16;

    private final int fd;
    private final Pointer zeroHeader;
    private final ThreadLocal<Pointer> iovecs;

    VnetHeaderWriter(int fd) {
        this.fd = fd;
        this.zeroHeader = LinuxLibC.allocate(GsoSegmenter.VNET_HDR_LENGTH);
        zeroHeader.setMemory(0, GsoSegmenter.VNET_HDR_LENGTH, (byte) 0);
        this.iovecs = ThreadLocal.withInitial(() -> {
            Pointer iov = LinuxLibC.allocate(2 * IOVEC);
            iov.putLong(0, zeroHeader.address());
            iov.putLong(8, GsoSegmenter.VNET_HDR_LENGTH);
            return iov;
        });
    }

    /** writev(2) of the zero header and {@code length} bytes at {@code address}; as write(2) returns. */
    long write(long address, int length) {
        Pointer iov = iovecs.get();
        iov.putLong(IOVEC, address);
        iov.putLong(IOVEC + 8, length);
        return C.writev(fd, iov.address(), 2);
    }
}
