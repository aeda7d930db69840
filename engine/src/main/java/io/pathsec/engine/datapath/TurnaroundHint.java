package io.pathsec.engine.datapath;

/**
 * Whether a turnaround (OutboundPath#turnAround) is worth its read: on a gateway whose LAN
 * hosts answer at once, the answer waits in the TUN after nearly every lone write; on a client,
 * where the written packet goes to a local application (a ping's echo reply), nothing ever
 * waits, and the empty read only delays the thread the write woke (measured: the last hop of a
 * ping, TUN write to ping's wake-up, 6-9 µs without, 23-48 µs with a read that finds nothing;
 * BENCHMARKS.md). After {@link #GIVE_UP_AFTER} empty turnarounds in a row only every
 * {@link #RETRY_EVERY}th is tried, until one finds an answer again.
 *
 * <p>Used by one thread, the inbound producer's; a race with another (the in-memory transport
 * delivers on the sender's thread) only costs or saves one read.
 */
final class TurnaroundHint {
    static final int GIVE_UP_AFTER = 2;
    static final int RETRY_EVERY = 16;

    private int emptyInARow;
    private int skipped;

    /** Whether to try this time; a false answer counts as a skip. */
    boolean worthTrying() {
        if (emptyInARow < GIVE_UP_AFTER) {
            return true;
        }
        if (++skipped < RETRY_EVERY) {
            return false;
        }
        skipped = 0;
        return true;
    }

    /** What a tried turnaround found: {@code packets} read and sent. */
    void found(int packets) {
        emptyInARow = packets > 0 ? 0 : Math.min(emptyInARow + 1, GIVE_UP_AFTER);
        skipped = 0;
    }
}
