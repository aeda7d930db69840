package io.pathsec.engine.ike.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * NAT-keepalives of a host behind a NAT (RFC 3948 §2.3, §4; RFC 7296 §2.23): a one-octet 0xFF
 * datagram to the peer's port 4500 at a fixed interval, so the NAT keeps the UDP mapping that
 * the peer's ESP and IKE come back through even while the tunnel is idle. Runs on the session's
 * scheduler thread.
 */
final class NatKeepalive {
    private static final Logger LOG = LoggerFactory.getLogger(NatKeepalive.class);

    private final IkeScheduler scheduler;
    private final IkeTransport transport;
    private final Duration interval;
    private final Supplier<InetSocketAddress> peer;
    private IkeScheduler.Cancellable timer;
    private long sent;
    private boolean stopped;

    private NatKeepalive(IkeScheduler scheduler, IkeTransport transport, Duration interval,
                         Supplier<InetSocketAddress> peer) {
        this.scheduler = scheduler;
        this.transport = transport;
        this.interval = interval;
        this.peer = peer;
    }

    /** Starts sending every {@code interval}; null when the interval is zero (keepalives off). */
    static NatKeepalive start(IkeScheduler scheduler, IkeTransport transport, Duration interval,
                              Supplier<InetSocketAddress> peer) {
        if (IkeSessionTimers.off(interval)) {
            return null;
        }
        NatKeepalive k = new NatKeepalive(scheduler, transport, interval, peer);
        LOG.info("behind a NAT: NAT-keepalives to {} every {} s (RFC 3948 §4)", peer.get(), interval.toSeconds());
        k.arm();
        return k;
    }

    private void arm() {
        timer = scheduler.schedule(interval, () -> {
            if (stopped) {
                return;
            }
            transport.sendNatKeepalive(new InetSocketAddress(peer.get().getAddress(), IkeConstants.NAT_T_PORT));
            sent++;
            arm();
        });
    }

    long sent() {
        return sent;
    }

    void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel();
        }
    }
}
