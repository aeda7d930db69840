package io.pathsec.engine.pmtu;

import io.pathsec.engine.linux.LinuxLibC;

import java.util.function.BooleanSupplier;

/**
 * Whether datagrams wait unread in a UDP socket's receive queue (ioctl FIONREAD, udp(7): the size
 * of the next pending datagram, 0 when none). The black-hole detector asks before it calls the
 * peer silent: when the engine itself was held up (a loaded machine, a collection pause), the
 * peer's packets are still queued and not yet counted — that silence is ours, not the path's.
 */
public final class SocketReceiveQueue implements BooleanSupplier {
    /** asm-generic/ioctls.h: FIONREAD (SIOCINQ for sockets). */
    static final long FIONREAD = 0x541B;

    private final int fd;

    public SocketReceiveQueue(int fd) {
        this.fd = fd;
    }

    /** True when a datagram is pending; false when none is, or when the kernel cannot say. */
    @Override
    public boolean getAsBoolean() {
        if (fd < 0) {
            return false;
        }
        byte[] value = new byte[4];
        try {
            if (LinuxLibC.C.ioctl(fd, FIONREAD, value) < 0) {
                return false;
            }
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
        return (value[0] | value[1] | value[2] | value[3]) != 0; // any byte set: nonzero, whatever the order
    }
}
