package io.pathsec.engine.datapath;

import java.util.function.Supplier;

/**
 * A lane without hand-offs: the producer's thread does the crypto and the delivery itself, one
 * packet at a time, and ends the batch (one sendmmsg for many packets) when the producer says
 * it is idle ({@link #producerIdle}) or a batch is full. On a machine with few cores, where
 * both tunnel ends and the applications share two CPUs, saving the thread switches is worth
 * more than parallel crypto (the data path chooses it when a tunnel is configured with 0
 * workers).
 */
final class InlineLane<J extends CryptoJob> implements Lane<J> {
    /** Deliveries per batch at most, so a steady stream still leaves at once (SendmmsgBatch's size). */
    static final int MAX_BATCH = 64;

    private final J job;
    private final OrderedLane.Delivery<J> delivery;
    /** Deliveries since the last end of batch; touched by the producer's thread only. */
    private int unflushed;
    private volatile boolean closed;

    InlineLane(Supplier<J> jobFactory, OrderedLane.Delivery<J> delivery) {
        this.job = jobFactory.get();
        this.delivery = delivery;
    }

    @Override
    public J acquire(long timeoutMillis) {
        return closed ? null : job;
    }

    @Override
    public J tryAcquire() {
        return closed ? null : job;
    }

    @Override
    public void release(J j) {
        j.recycle();
    }

    @Override
    public void submit(J j) {
        try {
            j.runOn(0);
            delivery.deliver(j);
        } finally {
            j.recycle();
        }
        if (++unflushed >= MAX_BATCH) {
            producerIdle();
        }
    }

    @Override
    public void producerIdle() {
        if (unflushed > 0) {
            unflushed = 0;
            delivery.endOfBatch();
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
