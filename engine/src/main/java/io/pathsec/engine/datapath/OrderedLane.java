package io.pathsec.engine.datapath;

import io.pathsec.engine.transport.PacketThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One direction of the data path: jobs are processed in parallel by {@link CryptoWorkers} and
 * delivered in the order they were submitted, so ESP sequence numbers leave in order and TCP
 * sees no reordering (RFC 4303 §3.3.3 numbers are assigned by the producer, in order).
 *
 * <ol>
 *   <li>The producer takes a free job ({@link #acquire}), fills it and {@link #submit}s it.</li>
 *   <li>The job goes to the workers and, in the same order, to this lane's delivery queue.</li>
 *   <li>The delivery thread waits for the head job, hands it to the {@link Delivery}, then
 *       takes every following job that is already finished; once no job is left in flight it
 *       ends the batch (one sendmmsg, or one TUN write of a TCP super-packet, for many
 *       packets).</li>
 *   <li>The job is reset and returns to the pool. The pool bounds the packets in flight.</li>
 * </ol>
 *
 * <p>A small packet submitted while nothing else is in flight skips both hand-offs: the producer
 * encrypts or decrypts it and delivers it itself (with the producer's own cipher instances, index
 * {@code workers.size()}). An idle tunnel's round trip then pays no thread hand-offs (the idle
 * round trip measured 1.03 ms before and 0.93 ms after, BENCHMARKS.md); bulk traffic, never idle
 * and never small, keeps its parallel crypto. Order holds: with nothing in
 * flight every earlier job has been delivered, and the delivery lock keeps the delivery thread's
 * end of batch from running beside the inline delivery.
 */
public final class OrderedLane<J extends CryptoJob> implements Lane<J>, CryptoJob.Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(OrderedLane.class);

    /** Receives processed jobs in submission order, on the lane's delivery thread. */
    public interface Delivery<J> {
        void deliver(J job);

        /** Called when no finished job is waiting: the moment to flush a batch. */
        void endOfBatch();
    }

    private final CryptoWorkers workers;
    private final BlockingQueue<J> free;
    private final BlockingQueue<J> inOrder;
    private final Delivery<J> delivery;
    private final Thread deliveryThread;
    private final int capacity;
    /** Held while delivering: by the delivery thread for a batch, by the producer for an inline job. */
    private final ReentrantLock deliveryLock = new ReentrantLock();
    private volatile boolean closed;

    public OrderedLane(String name, CryptoWorkers workers, int capacity, Supplier<J> jobFactory,
                       Delivery<J> delivery) {
        this.workers = workers;
        this.free = new ArrayBlockingQueue<>(capacity);
        this.inOrder = new ArrayBlockingQueue<>(capacity);
        this.delivery = delivery;
        this.capacity = capacity;
        for (int i = 0; i < capacity; i++) {
            free.add(jobFactory.get());
        }
        this.deliveryThread = PacketThreads.newThread(this::deliverLoop, name + "-deliver");
        this.deliveryThread.start();
    }

    /**
     * Takes a free job, waiting up to {@code timeoutMillis} while all are in flight.
     *
     * @return the job, or null on timeout or once closed
     */
    @Override
    public J acquire(long timeoutMillis) throws InterruptedException {
        return closed ? null : free.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Takes a free job without waiting: for producers that must never block (a Netty event
     * loop), which drop the packet instead.
     */
    @Override
    public J tryAcquire() {
        return closed ? null : free.poll();
    }

    /** Returns a job that was acquired but will not be submitted. */
    @Override
    public void release(J job) {
        job.recycle();
        free.add(job);
    }

    /**
     * Submits a filled job. Must be called by one producer thread at a time (the order of
     * calls is the delivery order).
     */
    @Override
    public void submit(J job) throws InterruptedException {
        if (free.size() == capacity - 1 && job.smallEnoughToRunInline()) {
            runInline(job); // this job is the only one out of the pool: nothing is in flight
            return;
        }
        // The delivery queue has room for every job of the pool, so this never blocks.
        inOrder.add(job);
        workers.submit(job);
    }

    private void runInline(J job) {
        job.runOn(workers.size());
        deliveryLock.lock();
        try {
            deliverAndRecycle(job);
            endBatch();
        } finally {
            deliveryLock.unlock();
        }
    }

    private void deliverLoop() {
        while (!closed) {
            J head;
            try {
                head = inOrder.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (head == null) {
                continue;
            }
            if (!head.awaitDone(this)) {
                return;
            }
            deliveryLock.lock();
            try {
                deliverAndRecycle(head);
                J next;
                while ((next = inOrder.peek()) != null && next.isDone()) {
                    inOrder.poll();
                    deliverAndRecycle(next);
                }
                if (next == null) {
                    // Only when nothing is left in flight: a job still being processed joins
                    // this batch, so a run of TCP segments becomes one super-packet and a run of
                    // datagrams one sendmmsg, instead of ending at the first job not yet done.
                    endBatch();
                }
            } finally {
                deliveryLock.unlock();
            }
        }
    }

    private void endBatch() {
        try {
            delivery.endOfBatch();
        } catch (RuntimeException e) {
            LOG.error("end of batch failed", e);
        }
    }

    private void deliverAndRecycle(J job) {
        try {
            delivery.deliver(job);
        } catch (RuntimeException e) {
            LOG.error("delivery failed", e);
        } finally {
            release(job);
        }
    }

    @Override
    public boolean isClosed() {
        return closed || workers.isClosed();
    }

    @Override
    public void close() {
        closed = true;
        deliveryThread.interrupt();
        try {
            deliveryThread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
