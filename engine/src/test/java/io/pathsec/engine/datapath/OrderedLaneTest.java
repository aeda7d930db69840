package io.pathsec.engine.datapath;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrderedLaneTest {

    /** A job whose processing takes a random, uneven amount of work. */
    static final class NumberJob extends CryptoJob {
        long number;
        long result;
        final List<Integer> workersSeen;

        NumberJob(List<Integer> workersSeen) {
            this.workersSeen = workersSeen;
        }

        @Override
        protected void process(int workerIndex) {
            int rounds = ThreadLocalRandom.current().nextInt(1, 20_000);
            long x = number;
            for (int i = 0; i < rounds; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
            result = number; // the work above is only there to finish jobs out of order
            if (x == 42) {
                result = -1;
            }
            synchronized (workersSeen) {
                workersSeen.add(workerIndex);
            }
        }

        @Override
        protected void reset() {
            number = -1;
            result = -1;
        }
    }

    @Test
    void deliversInSubmissionOrderWhileWorkersFinishOutOfOrder() throws Exception {
        int total = 20_000;
        List<Long> delivered = new ArrayList<>(total);
        List<Integer> workersSeen = new ArrayList<>();
        AtomicInteger batches = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(total);
        try (CryptoWorkers workers = new CryptoWorkers("test", 4, 256);
             OrderedLane<NumberJob> lane = new OrderedLane<>("test", workers, 128,
                     () -> new NumberJob(workersSeen), new OrderedLane.Delivery<>() {
                         @Override
                         public void deliver(NumberJob job) {
                             delivered.add(job.result);
                             all.countDown();
                         }

                         @Override
                         public void endOfBatch() {
                             batches.incrementAndGet();
                         }
                     })) {
            for (long i = 0; i < total; i++) {
                NumberJob job = lane.acquire(5000);
                assertTrue(job != null, "a job is freed within 5 s");
                job.number = i;
                lane.submit(job);
            }
            assertTrue(all.await(60, TimeUnit.SECONDS), "all jobs delivered");
        }
        assertEquals(total, delivered.size());
        for (int i = 0; i < total; i++) {
            assertEquals(i, delivered.get(i), "job " + i + " delivered in order");
        }
        assertTrue(batches.get() >= 1 && batches.get() <= total);
        assertTrue(workersSeen.stream().distinct().count() > 1, "more than one worker did crypto");
    }

    @Test
    void poolBoundsPacketsInFlight() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (CryptoWorkers workers = new CryptoWorkers("test", 1, 16);
             OrderedLane<NumberJob> lane = new OrderedLane<>("test", workers, 4,
                     () -> new NumberJob(new ArrayList<>()), new OrderedLane.Delivery<>() {
                         @Override
                         public void deliver(NumberJob job) {
                             try {
                                 release.await(10, TimeUnit.SECONDS);
                             } catch (InterruptedException e) {
                                 Thread.currentThread().interrupt();
                             }
                         }

                         @Override
                         public void endOfBatch() {
                         }
                     })) {
            for (int i = 0; i < 4; i++) {
                NumberJob job = lane.acquire(1000);
                job.number = i;
                lane.submit(job);
            }
            // Delivery is held: the pool is exhausted and a non-blocking producer gets nothing.
            assertEquals(null, lane.tryAcquire());
            release.countDown();
            assertTrue(lane.acquire(5000) != null, "a job returns to the pool after delivery");
        }
    }
}
