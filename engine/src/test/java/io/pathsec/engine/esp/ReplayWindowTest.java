package io.pathsec.engine.esp;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplayWindowTest {
    private static final long TWO_32 = 1L << 32;

    @Test
    void sizeMustBeAPowerOfTwoOfAtLeast1024() {
        assertThrows(IllegalArgumentException.class, () -> new ReplayWindow(512, false));
        assertThrows(IllegalArgumentException.class, () -> new ReplayWindow(1500, false));
        assertEquals(4096, new ReplayWindow(4096, true).size());
    }

    @Test
    void duplicatesAreRejectedAndCheckDoesNotMark() {
        ReplayWindow w = new ReplayWindow(1024, false);
        assertEquals(-1, w.check(0), "sequence number 0 is never sent");
        assertEquals(1, w.check(1));
        assertEquals(1, w.check(1), "check alone does not mark");
        assertTrue(w.accept(1));
        assertEquals(-1, w.check(1));
        assertFalse(w.accept(1));
        assertEquals(1, w.highest());
    }

    @Test
    void outOfOrderInsideTheWindowIsAcceptedOnceAndLeftOfItRejected() {
        ReplayWindow w = new ReplayWindow(1024, false);
        assertTrue(w.accept(2000));
        assertEquals(1500, w.check(1500));
        assertTrue(w.accept(1500));
        assertFalse(w.accept(1500));
        assertEquals(977, w.check(977), "highest − 1023 is the window's left edge");
        assertEquals(-1, w.check(976), "left of the window");
        assertFalse(w.accept(976));
        assertEquals(2000, w.highest());
    }

    @Test
    void farAheadJumpsClearTheBitmapOfOldMarks() {
        ReplayWindow w = new ReplayWindow(1024, false);
        for (long s = 1; s <= 3000; s++) {
            assertTrue(w.accept(s));
        }
        assertTrue(w.accept(1_000_000));
        // Every number of the new window except the top is fresh, although its ring slots were used.
        for (long s = 1_000_000 - 1023; s < 1_000_000; s++) {
            assertEquals(s, w.check(s), "seq " + s);
        }
        assertEquals(-1, w.check(1_000_000));
        assertEquals(-1, w.check(3000));
        // A jump of less than a window keeps the marks still inside it.
        assertTrue(w.accept(1_000_500));
        assertEquals(-1, w.check(1_000_000));
        assertEquals(999_999, w.check(999_999));
    }

    @Test
    void withoutEsnTheLowHalfIsTheNumber() {
        ReplayWindow w = new ReplayWindow(1024, false);
        assertTrue(w.accept(0xFFFF_FFF0L));
        assertEquals(0xFFFF_FFF5L, w.check(0xFFFF_FFF5L));
        assertEquals(-1, w.check(3), "no wrap without ESN: far left of the window");
    }

    @Test
    void esnInfersTheNextSubspaceAfterTheLowHalfWraps() {
        ReplayWindow w = new ReplayWindow(1024, true);
        assertTrue(w.accept(TWO_32 - 10));
        // Case A of RFC 4303 A2.2: a low half below the window belongs to the next subspace.
        assertEquals(TWO_32 + 5, w.check(5));
        assertEquals(TWO_32 - 3, w.check(TWO_32 - 3));
        assertTrue(w.accept(TWO_32 + 5));
        assertEquals(TWO_32 + 5, w.highest());
        // Case B: the window straddles 2^32; high low-halves belong to the previous subspace.
        assertEquals(TWO_32 - 3, w.check(TWO_32 - 3));
        assertTrue(w.accept(TWO_32 - 3));
        assertEquals(-1, w.check(TWO_32 - 3));
        assertEquals(2 * TWO_32 - 2000, w.check(TWO_32 - 2000),
                "below the straddling window: current subspace, far ahead; the ICV decides");
        assertEquals(TWO_32 + 6, w.check(6));
        assertEquals(-1, w.check(5));
    }

    @Test
    void esnInTheFirstSubspaceNeverInfersANegativeHighHalf() {
        ReplayWindow w = new ReplayWindow(1024, true);
        assertTrue(w.accept(5));
        assertEquals(-1, w.check(0xFFFF_FFF0L), "a low half just below 2^32 would be subspace −1: rejected");
        assertEquals(3, w.check(3));
    }

    @Test
    void esnFarAheadJumpWithinTheSameSubspace() {
        ReplayWindow w = new ReplayWindow(2048, true);
        assertTrue(w.accept(3 * TWO_32 + 100));
        assertEquals(3 * TWO_32 + 1_000_000, w.check(1_000_000));
        assertTrue(w.accept(3 * TWO_32 + 1_000_000));
        assertEquals(4 * TWO_32 + 50, w.check(50), "below the window: next subspace, the ICV decides");
    }

    @Test
    void concurrentAcceptsFromFourThreadsAcceptEveryNumberExactlyOnce() throws Exception {
        int threads = 4;
        int count = 200_000;
        ReplayWindow w = new ReplayWindow(1024, true);
        AtomicIntegerArray accepted = new AtomicIntegerArray(count + 1);
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    done.add(pool.submit(() -> {
                        start.await();
                        // Every thread offers every number in order, as duplicates of one stream do;
                        // whoever reaches a number first finds it inside the window. A number
                        // inferred into another subspace would fail its ICV: not accepted.
                        for (int s = 1; s <= count; s++) {
                            long seq = w.check(s);
                            if (seq == s && w.accept(seq)) {
                                accepted.incrementAndGet(s);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            });
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
        for (int s = 1; s <= count; s++) {
            assertEquals(1, accepted.get(s), "seq " + s);
        }
        assertEquals(count, w.highest());
    }
}
