package io.pathsec.engine.datapath;

import java.util.function.Supplier;

/**
 * A lane without hand-offs: the producer's thread does the crypto and the delivery itself, one
 * packet at a time. On a machine with few cores, where both tunnel ends and the applications
 * share two CPUs, saving the thread switches is worth more than parallel crypto (the data path
 * chooses it when a tunnel is configured with 0 workers).
 */
final class InlineLane<J extends CryptoJob> implements Lane<J> {
    private final J job;
    private final OrderedLane.Delivery<J> delivery;
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
            delivery.endOfBatch();
        } finally {
            j.recycle();
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
