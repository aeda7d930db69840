package io.pathsec.engine.esp;

/**
 * Anti-replay for one inbound SA (RFC 4303 §3.4.3), with the 64-bit inference of extended
 * sequence numbers (RFC 4303 Appendix A) and the bitmap of RFC 6479: a ring of 64-bit words in
 * which the window slides by clearing the words it enters, never by shifting every bit.
 *
 * <p>Use: {@link #check} before decrypting (cheap rejection, and the 64-bit number the ICV needs),
 * {@link #accept} only after the ICV verified, so forged packets never move the window.
 *
 * <p>Thread-safe: several data-path threads decrypt for the same SA. A monitor guards the state;
 * both calls are a few dozen instructions, far below the cost of the decryption between them, so
 * the lock is not worth trading for a lock-free scheme whose window slides are hard to make
 * atomic. {@link #check} and {@link #accept} are not atomic together: a duplicate racing on two
 * threads passes both checks, and {@link #accept} returns false for the second.
 */
public final class ReplayWindow {
    private static final int WORD_BITS = 64;
    private static final long LOW32 = 0xFFFF_FFFFL;

    private final int size;
    private final boolean extendedSequenceNumbers;
    /** Ring of words; twice the window so the partial words at both ends fit (RFC 6479 §2). */
    private final long[] bitmap;
    private final int wordMask;
    private long highest;

    /**
     * @param size the window in packets, at least 1024 and a power of two
     * @param extendedSequenceNumbers whether the SA uses 64-bit sequence numbers (RFC 4303 §2.2.1)
     */
    public ReplayWindow(int size, boolean extendedSequenceNumbers) {
        if (size < 1024 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("replay window must be a power of two >= 1024, got " + size);
        }
        this.size = size;
        this.extendedSequenceNumbers = extendedSequenceNumbers;
        int words = 2 * size / WORD_BITS;
        this.bitmap = new long[words];
        this.wordMask = words - 1;
    }

    public int size() {
        return size;
    }

    /**
     * Infers the full sequence number from the 32 bits on the wire and checks it against the
     * window without marking it.
     *
     * @return the 64-bit sequence number, or -1 if it is a replay, left of the window, or 0
     *     (never sent, RFC 4303 §3.3.3)
     */
    public synchronized long check(long sequenceLow32) {
        long seq = extendedSequenceNumbers ? infer(sequenceLow32 & LOW32) : sequenceLow32 & LOW32;
        if (seq <= 0) {
            return -1;
        }
        if (seq > highest) {
            return seq;
        }
        if (highest - seq >= size || isMarked(seq)) {
            return -1;
        }
        return seq;
    }

    /**
     * RFC 4303 Appendix A2.2: place the received low half in the subspace (high half) that keeps
     * it nearest the window. Tl, Th are the halves of the highest number seen, W the window.
     * Returns 0 where the inferred number would fall before the very first subspace.
     */
    private long infer(long seqLow) {
        long tl = highest & LOW32;
        long th = highest >>> 32;
        long bottom = tl - size + 1; // low half of the window's left edge, may be negative
        long seqHigh;
        if (bottom >= 0) {
            // Case A: the window lies within one subspace; below it means the next subspace.
            seqHigh = seqLow >= bottom ? th : th + 1;
        } else {
            // Case B: the window straddles two subspaces; high low-halves belong to the previous one.
            seqHigh = seqLow >= bottom + (1L << 32) ? th - 1 : th;
        }
        if (seqHigh < 0 || seqHigh > LOW32) {
            return 0;
        }
        return (seqHigh << 32) | seqLow;
    }

    /**
     * Marks {@code seq} as received, sliding the window if it is the newest yet. Call only after
     * the packet's ICV verified (RFC 4303 §3.4.3).
     *
     * @return false if it was already marked (a concurrent duplicate) or is now left of the window
     */
    public synchronized boolean accept(long seq) {
        if (seq <= 0) {
            return false;
        }
        if (seq > highest) {
            slideTo(seq);
            mark(seq);
            return true;
        }
        if (highest - seq >= size || isMarked(seq)) {
            return false;
        }
        mark(seq);
        return true;
    }

    /** The highest sequence number accepted so far (0 before the first). */
    public synchronized long highest() {
        return highest;
    }

    /** Clears the words the window enters between the old and the new highest (RFC 6479 §2.3). */
    private void slideTo(long seq) {
        long oldWord = highest / WORD_BITS;
        long newWord = seq / WORD_BITS;
        long steps = Math.min(newWord - oldWord, bitmap.length);
        for (long i = 1; i <= steps; i++) {
            bitmap[(int) ((oldWord + i) & wordMask)] = 0;
        }
        highest = seq;
    }

    private boolean isMarked(long seq) {
        return (bitmap[wordIndex(seq)] & bit(seq)) != 0;
    }

    private void mark(long seq) {
        bitmap[wordIndex(seq)] |= bit(seq);
    }

    private int wordIndex(long seq) {
        return (int) ((seq / WORD_BITS) & wordMask);
    }

    private static long bit(long seq) {
        return 1L << (seq & (WORD_BITS - 1));
    }
}
