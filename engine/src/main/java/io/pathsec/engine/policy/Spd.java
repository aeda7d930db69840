package io.pathsec.engine.policy;

import io.pathsec.engine.packet.FlowKey;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The Security Policy Database (RFC 4301 §4.4.1): an ordered list of {@link SpdEntry}s searched
 * in order, the first match deciding; the entries need not be decorrelated because the order
 * resolves overlaps. A packet that matches nothing is discarded ({@link #DEFAULT_DISCARD}),
 * as §4.4.1 requires of a gateway that has no policy for it.
 *
 * <p>Reads are lock-free against an immutable snapshot; every change writes a new snapshot with
 * a new epoch (copy-on-write). Each reading thread keeps its own bounded {@link FlowCache}
 * tagged with the epoch, so a change invalidates every cache at once and a lookup, hit or miss,
 * allocates nothing.
 */
public final class Spd {
    /** The verdict for a packet that matches no entry. */
    public static final SpdEntry DEFAULT_DISCARD =
            SpdEntry.discard("default-discard", Integer.MAX_VALUE, Selector.ANY);
    public static final int DEFAULT_CACHE_SLOTS = 1024;

    private static final int NO_MATCH = -1;
    private static final Comparator<SpdEntry> ORDER = Comparator.comparingInt(SpdEntry::priority);

    /** An immutable view of the SPD; {@code entries} is never modified after publication. */
    private record Snapshot(long epoch, SpdEntry[] entries) {
    }

    private final Object writeLock = new Object();
    private volatile Snapshot snapshot = new Snapshot(1, new SpdEntry[0]);
    private final ThreadLocal<FlowCache> caches;

    public Spd() {
        this(DEFAULT_CACHE_SLOTS);
    }

    /** @param cacheSlots flows cached per reading thread; a power of two */
    public Spd(int cacheSlots) {
        new FlowCache(cacheSlots); // validate now rather than on the first packet
        caches = ThreadLocal.withInitial(() -> new FlowCache(cacheSlots));
    }

    /** The entry deciding an outbound packet (its source is local); never null. */
    public SpdEntry lookupOutbound(FlowKey key) {
        return lookup(key, true);
    }

    /** The entry deciding an inbound packet (its destination is local); never null. */
    public SpdEntry lookupInbound(FlowKey key) {
        return lookup(key, false);
    }

    private SpdEntry lookup(FlowKey key, boolean outbound) {
        Snapshot current = snapshot;
        FlowCache cache = caches.get();
        int index = cache.find(key, outbound, current.epoch);
        if (index == FlowCache.MISS) {
            index = search(current.entries, key, outbound);
            cache.put(current.epoch, index);
        }
        return index == NO_MATCH ? DEFAULT_DISCARD : current.entries[index];
    }

    private static int search(SpdEntry[] entries, FlowKey key, boolean outbound) {
        for (int i = 0; i < entries.length; i++) {
            Selector selector = entries[i].selector();
            if (outbound ? selector.matchesOutbound(key) : selector.matchesInbound(key)) {
                return i;
            }
        }
        return NO_MATCH;
    }

    /**
     * Adds an entry after every entry of lower or equal priority.
     *
     * @throws IllegalArgumentException if an entry of that name exists
     */
    public void add(SpdEntry entry) {
        synchronized (writeLock) {
            List<SpdEntry> next = new ArrayList<>(Arrays.asList(snapshot.entries));
            if (next.stream().anyMatch(e -> e.name().equals(entry.name()))) {
                throw new IllegalArgumentException("SPD entry " + entry.name() + " exists");
            }
            next.add(entry);
            publish(next);
        }
    }

    /** Removes the entry of that name; returns false if there was none. */
    public boolean remove(String name) {
        synchronized (writeLock) {
            List<SpdEntry> next = new ArrayList<>(Arrays.asList(snapshot.entries));
            if (!next.removeIf(e -> e.name().equals(name))) {
                return false;
            }
            publish(next);
            return true;
        }
    }

    /** Replaces all entries at once, so no packet sees half of an update. */
    public void replaceAll(Collection<SpdEntry> entries) {
        Set<String> names = new HashSet<>();
        for (SpdEntry e : entries) {
            if (!names.add(e.name())) {
                throw new IllegalArgumentException("SPD entry " + e.name() + " appears twice");
            }
        }
        synchronized (writeLock) {
            publish(new ArrayList<>(entries));
        }
    }

    private void publish(List<SpdEntry> entries) {
        entries.sort(ORDER); // stable: equal priorities keep insertion order
        snapshot = new Snapshot(snapshot.epoch + 1, entries.toArray(new SpdEntry[0]));
    }

    /** The entries in search order. */
    public List<SpdEntry> entries() {
        return List.of(snapshot.entries);
    }

    /** Grows by one on every change; caches computed in an older epoch are ignored. */
    public long epoch() {
        return snapshot.epoch;
    }
}
