package io.pathsec.engine.policy;

import io.pathsec.engine.packet.FlowKey;

/**
 * A small open-addressing cache from a packet's selector fields to the index of the SPD entry
 * that matched them, owned by one thread. Entries are tagged with the SPD epoch they were
 * computed in; a slot of an older epoch counts as empty, so any SPD change empties the cache at
 * once without touching it. Nothing is allocated after construction.
 *
 * <p>A key is five longs: source (2), destination (2), and one word packing version, direction,
 * protocol, ports and ICMP type/code. Inserts go to the first stale slot of a short probe window
 * or else evict the home slot, so a probe can stop at the first stale slot.
 */
final class FlowCache {
    /** {@link #find} result when the flow is not cached. */
    static final int MISS = Integer.MIN_VALUE;
    private static final int KEY_LONGS = 5;
    private static final int PROBES = 4;

    private final int mask;
    private final long[] keys;
    private final long[] epochs;
    private final int[] results;
    /** The key being looked up; computed once per lookup and reused by {@link #put}. */
    private final long[] scratch = new long[KEY_LONGS];
    private int scratchHash;

    FlowCache(int slots) {
        if (slots < PROBES || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("cache slots must be a power of two >= " + PROBES);
        }
        mask = slots - 1;
        keys = new long[slots * KEY_LONGS];
        epochs = new long[slots]; // 0: empty, since SPD epochs start at 1
        results = new int[slots];
    }

    /** @return the cached result for {@code key} in {@code epoch}, or {@link #MISS} */
    int find(FlowKey key, boolean outbound, long epoch) {
        load(key, outbound);
        for (int i = 0; i < PROBES; i++) {
            int slot = (scratchHash + i) & mask;
            if (epochs[slot] != epoch) {
                return MISS;
            }
            if (sameKey(slot)) {
                return results[slot];
            }
        }
        return MISS;
    }

    /** Caches {@code result} for the key of the preceding {@link #find}. */
    void put(long epoch, int result) {
        int target = scratchHash & mask;
        for (int i = 0; i < PROBES; i++) {
            int slot = (scratchHash + i) & mask;
            if (epochs[slot] != epoch) {
                target = slot;
                break;
            }
        }
        System.arraycopy(scratch, 0, keys, target * KEY_LONGS, KEY_LONGS);
        results[target] = result;
        epochs[target] = epoch;
    }

    private boolean sameKey(int slot) {
        int base = slot * KEY_LONGS;
        for (int i = 0; i < KEY_LONGS; i++) {
            if (keys[base + i] != scratch[i]) {
                return false;
            }
        }
        return true;
    }

    private void load(FlowKey key, boolean outbound) {
        int length = key.addressLength();
        scratch[0] = word(key.source(), 0, length);
        scratch[1] = word(key.source(), 8, length);
        scratch[2] = word(key.destination(), 0, length);
        scratch[3] = word(key.destination(), 8, length);
        // Unavailable ports and ICMP fields are -1, stored +1 so they keep their own value.
        scratch[4] = (key.ipVersion() == 6 ? 1L : 0L)
                | (outbound ? 2L : 0L)
                | ((long) (key.protocol() & 0xff) << 2)
                | ((long) (key.sourcePort() + 1) << 10)
                | ((long) (key.destinationPort() + 1) << 27)
                | ((long) (key.icmpType() + 1) << 44)
                | ((long) (key.icmpCode() + 1) << 53);
        long h = 0;
        for (long word : scratch) {
            h = (h ^ word) * 0x9E3779B97F4A7C15L;
        }
        scratchHash = (int) (h ^ (h >>> 32));
    }

    private static long word(byte[] address, int from, int length) {
        long v = 0;
        int end = Math.min(from + 8, length);
        for (int i = from; i < end; i++) {
            v = (v << 8) | (address[i] & 0xff);
        }
        return v;
    }
}
