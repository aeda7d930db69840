package io.pathsec.engine.ike.session;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/** A scheduler whose clock moves only in {@link #advance}; tasks run in time order on the test thread. */
final class ManualIkeScheduler implements IkeScheduler {
    private static final int MAX_TASKS_PER_STEP = 10_000;

    private record Task(Instant due, long order, Runnable run, boolean[] cancelled) {
    }

    private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.due.equals(b.due)
            ? Long.compare(a.order, b.order) : a.due.compareTo(b.due));
    private Instant now = Instant.parse("2026-11-01T00:00:00Z");
    private long order;

    @Override
    public Instant now() {
        return now;
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        boolean[] cancelled = new boolean[1];
        tasks.add(new Task(now.plus(delay), order++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    @Override
    public void execute(Runnable task) {
        schedule(Duration.ZERO, task);
    }

    /** Runs every task due now (including ones they schedule for now). */
    void runDue() {
        for (int i = 0; i < MAX_TASKS_PER_STEP && !tasks.isEmpty() && !tasks.peek().due.isAfter(now); i++) {
            Task t = tasks.poll();
            if (!t.cancelled[0]) {
                t.run.run();
            }
        }
    }

    /** Moves the clock forward, running every task that falls due on the way, in order. */
    void advance(Duration d) {
        Instant end = now.plus(d);
        for (int i = 0; i < MAX_TASKS_PER_STEP && !tasks.isEmpty() && !tasks.peek().due.isAfter(end); i++) {
            Task t = tasks.poll();
            now = t.due;
            if (!t.cancelled[0]) {
                t.run.run();
            }
        }
        now = end;
    }
}
