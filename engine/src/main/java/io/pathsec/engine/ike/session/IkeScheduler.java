package io.pathsec.engine.ike.session;

import java.time.Duration;
import java.time.Instant;

/**
 * The time and the thread of an IKE session. Every method of a session runs on the scheduler's
 * one thread, so sessions need no locks; tests use a manual scheduler whose clock moves only
 * when told to, which makes retransmission deterministic.
 */
public interface IkeScheduler {
    Instant now();

    /** Runs {@code task} on the session thread after {@code delay}. */
    Cancellable schedule(Duration delay, Runnable task);

    /** Runs {@code task} on the session thread as soon as possible. */
    void execute(Runnable task);

    /** A scheduled task that may still be called off. */
    interface Cancellable {
        void cancel();
    }
}
