package io.pathsec.engine.datapath;

/**
 * One direction of the data path between its producer (the TUN reader or the UDP event loop)
 * and its delivery (UDP send or TUN write): jobs are acquired, filled, submitted, and delivered
 * in submission order. {@link OrderedLane} spreads the crypto over worker threads;
 * {@link InlineLane} does it on the producer's own thread.
 */
interface Lane<J extends CryptoJob> extends AutoCloseable {

    /** A free job, waiting up to {@code timeoutMillis}; null on timeout or once closed. */
    J acquire(long timeoutMillis) throws InterruptedException;

    /** A free job without waiting, or null. */
    J tryAcquire();

    /** Returns a job that was acquired but will not be submitted. */
    void release(J job);

    /** Submits a filled job; one producer thread at a time. */
    void submit(J job) throws InterruptedException;

    /**
     * The producer has nothing more to submit for now (its input is momentarily empty): the
     * moment for a lane that delivers on the producer's thread to end its batch. A lane with
     * its own delivery thread ends batches itself and ignores this.
     */
    default void producerIdle() {
    }

    @Override
    void close();
}
