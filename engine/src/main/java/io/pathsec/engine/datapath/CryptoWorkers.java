package io.pathsec.engine.datapath;

import io.pathsec.engine.transport.PacketThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The threads that encrypt and decrypt: routing stays sequential, crypto runs on every core
 * (the design of wireguard-go's device/send.go). Jobs from every lane share one queue; each
 * worker has a fixed index so per-thread cipher instances can be looked up without locks.
 */
public final class CryptoWorkers implements AutoCloseable, CryptoJob.Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(CryptoWorkers.class);

    private final BlockingQueue<CryptoJob> queue;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;

    public CryptoWorkers(String name, int count, int queueCapacity) {
        if (count < 0) {
            throw new IllegalArgumentException("crypto workers must be 0 (inline) or more, got " + count);
        }
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        for (int i = 0; i < count; i++) {
            int index = i;
            threads.add(PacketThreads.newThread(() -> work(index), name + "-crypto-" + i));
        }
        threads.forEach(Thread::start);
    }

    /** The number of worker threads; 0 means crypto runs inline on the I/O threads. */
    public int size() {
        return threads.size();
    }

    /** Queues a job; blocks while the queue is full (back-pressure towards the reader). */
    void submit(CryptoJob job) throws InterruptedException {
        while (!queue.offer(job, 100, TimeUnit.MILLISECONDS)) {
            if (closed) {
                throw new InterruptedException("crypto workers closed");
            }
        }
    }

    private void work(int index) {
        while (!closed) {
            CryptoJob job;
            try {
                job = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (job != null) {
                try {
                    job.runOn(index);
                } catch (RuntimeException e) {
                    // A bug in one packet's processing must not stop the tunnel; the job is
                    // marked done by runOn and its lane drops it.
                    LOG.error("crypto job failed", e);
                }
            }
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : threads) {
            t.interrupt();
        }
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
