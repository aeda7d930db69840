package io.pathsec.engine.datapath;

import java.util.concurrent.locks.LockSupport;

/**
 * One packet's worth of crypto work, reused from a pool. A job is created once, filled by the
 * producer of an {@link OrderedLane}, processed by any {@link CryptoWorkers} thread, then handed
 * to the lane's delivery thread in the order it was submitted.
 */
public abstract class CryptoJob {
    private volatile boolean done;
    private volatile Thread waiter;

    /** The crypto itself (encrypt or decrypt), run on a worker thread. */
    protected abstract void process(int workerIndex);

    /**
     * Whether the producer may do this job itself when nothing else is in flight: small packets
     * (pings, TCP acknowledgments, DNS), whose crypto costs less than waking two threads.
     */
    protected boolean smallEnoughToRunInline() {
        return false;
    }

    /** Clears per-packet state before the job returns to its pool. */
    protected abstract void reset();

    final void runOn(int workerIndex) {
        try {
            process(workerIndex);
        } finally {
            done = true;
            Thread w = waiter;
            if (w != null) {
                LockSupport.unpark(w);
            }
        }
    }

    final boolean isDone() {
        return done;
    }

    /**
     * Waits for a worker to finish this job. Spins briefly first: at full load the job is
     * usually finished within a microsecond or two, and parking costs more than that.
     *
     * @return false if the lane closed before the job finished
     */
    final boolean awaitDone(Lifecycle lifecycle) {
        for (int i = 0; i < 200 && !done; i++) {
            Thread.onSpinWait();
        }
        if (done) {
            return true;
        }
        waiter = Thread.currentThread();
        try {
            // Re-check after publishing the waiter: the worker may have finished in between.
            while (!done) {
                if (lifecycle.isClosed()) {
                    return false;
                }
                LockSupport.parkNanos(this, 1_000_000L);
            }
            return true;
        } finally {
            waiter = null;
        }
    }

    final void recycle() {
        reset();
        done = false;
    }

    /** Lets a waiting thread notice shutdown. */
    interface Lifecycle {
        boolean isClosed();
    }
}
