package io.pathsec.engine.ike.session;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * One request in flight and its retransmissions (RFC 7296 §2.1): the identical octets are
 * resent with a doubling timeout; after the last try {@code onGiveUp} runs. Only the initiator
 * of an exchange retransmits; a responder answers repeats from its cache (§2.1). A fragmented
 * request is resent whole, every fragment each time (RFC 7383 §2.5.3).
 */
final class Retransmission {
    private final IkeScheduler scheduler;
    private final IkeTransport transport;
    private final List<byte[]> messages;
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
        this(scheduler, transport, List.of(message), to, natTraversal, initialTimeout, maxSends, onGiveUp);
    }

    /** @param messages the datagrams of one request: one, or its fragments (RFC 7383) */
    Retransmission(IkeScheduler scheduler, IkeTransport transport, List<byte[]> messages, InetSocketAddress to,
                   boolean natTraversal, Duration initialTimeout, int maxSends, Runnable onGiveUp) {
        this.initialTimeout = initialTimeout;
        this.scheduler = scheduler;
        this.transport = transport;
        this.messages = List.copyOf(messages);
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
        for (byte[] message : messages) {
            transport.send(message, to, natTraversal);
        }
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
        return messages.get(0);
    }

    /** Ends the schedule now as if the last try had timed out: {@code onGiveUp} runs at once. */
    void giveUpNow() {
        if (done) {
            return;
        }
        cancel();
        onGiveUp.run();
    }

    void cancel() {
        done = true;
        if (timer != null) {
            timer.cancel();
        }
    }
}
