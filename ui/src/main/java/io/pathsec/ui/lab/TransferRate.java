package io.pathsec.ui.lab;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The transfer's rate over the last few seconds. The sender reports its progress about once a
 * second, so the difference between two one-second polls jumps between nothing and double;
 * over a window of several polls it is steady.
 */
final class TransferRate {
    static final long WINDOW_NANOS = 3_000_000_000L;

    private record Sample(long nanos, long bytes) {
    }

    private final Deque<Sample> samples = new ArrayDeque<>();

    /** Adds a reading of the bytes sent so far, taken at {@code nanos}. */
    void add(long nanos, long bytes) {
        if (!samples.isEmpty() && bytes < samples.peekLast().bytes()) {
            samples.clear(); // a new transfer started from zero
        }
        samples.addLast(new Sample(nanos, bytes));
        // Keep one sample at or beyond the window's start, so the window is always covered.
        while (samples.size() > 2 && nanos - samples.stream().skip(1).findFirst().orElseThrow().nanos() >= WINDOW_NANOS) {
            samples.removeFirst();
        }
    }

    /** Bits per second across the window; 0 until two readings span some time. */
    double bitsPerSecond() {
        if (samples.size() < 2) {
            return 0;
        }
        Sample first = samples.peekFirst();
        Sample last = samples.peekLast();
        long nanos = last.nanos() - first.nanos();
        return nanos <= 0 ? 0 : (last.bytes() - first.bytes()) * 8.0 * 1e9 / nanos;
    }

    void reset() {
        samples.clear();
    }
}
