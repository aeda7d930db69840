package io.pathsec.engine.ike.session;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * One request in flight and its retransmissions (RFC 7296 §2.1): the identical octets are
 * resent with a doubling timeout; after the last try {@code onGiveUp} runs. Only the initiator
 * of an exchange retransmits; a responder answers repeats from its cache (§2.1).
 */
final class Retransmission {
    private final IkeScheduler scheduler;
    private final IkeTransport transport;
    private final byte[] message;
    private final InetSocketAddress to;
    private final boolean natTraversal;
    private final int maxSends;
    private final Runnable onGiveUp;
    private final Duration initialTimeout;
    private IkeScheduler.Cancellable timer;
    private int sends;
    private boolean done;

    Retransmission(IkeScheduler scheduler, IkeTransport transport, byte[] message, InetSocketAddress to,
                   boolean natTraversal, int maxSends, Runnable onGiveUp) {
        this(scheduler, transport, message, to, natTraversal, IkeConstants.RETRANSMIT_INITIAL, maxSends, onGiveUp);
    }

    Retransmission(IkeScheduler scheduler, IkeTransport transport, byte[] message, InetSocketAddress to,
                   boolean natTraversal, Duration initialTimeout, int maxSends, Runnable onGiveUp) {
        this.initialTimeout = initialTimeout;
        this.scheduler = scheduler;
        this.transport = transport;
        this.message = message;
        this.to = to;
        this.natTraversal = natTraversal;
        this.maxSends = maxSends;
        this.onGiveUp = onGiveUp;
    }

    void start() {
        sendAndArm();
    }

    private void sendAndArm() {
        if (done) {
            return;
        }
        transport.send(message, to, natTraversal);
        Duration timeout = initialTimeout.multipliedBy(1L << sends);
        sends++;
        timer = scheduler.schedule(timeout, () -> {
            if (done) {
                return;
            }
            if (sends >= maxSends) {
                done = true;
                onGiveUp.run();
            } else {
                sendAndArm();
            }
        });
    }

    int sends() {
        return sends;
    }

    byte[] message() {
        return message;
    }

    void cancel() {
        done = true;
        if (timer != null) {
            timer.cancel();
        }
    }
}
