package io.pyrometer.scrape;

import io.pyrometer.model.Labels;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Per-target cache from the raw bytes of a series line ({@code name{labels}} as the target wrote
 * it) to its final labels and storage reference, so a line seen before skips label parsing,
 * label merging and metric relabeling. Also the memory of which series the previous scrape had,
 * for staleness markers. Confined to one scrape loop's thread.
 */
final class ScrapeCache {
    /** One raw series line's outcome. */
    static final class Entry {
        final byte[] key;
        final int hash;
        Entry next;
        /** Final labels after merging and metric relabeling; null when relabeling dropped it. */
        Labels labels;
        long ref;
        /** Scrape iteration in which this line was last seen. */
        long lastIter = -1;
        /** {@link #lastIter} before the current iteration touched it: restored if the scrape fails. */
        long prevIter = -1;
        /** Whether the last sample carried an explicit timestamp (no staleness for those). */
        boolean explicitTimestamp;

        Entry(byte[] key, int hash) {
            this.key = key;
            this.hash = hash;
        }

        boolean dropped() { return labels == null; }
    }

    private static final int EVICT_AFTER_ITERATIONS = 10;

    private Entry[] table = new Entry[256];
    private int size;
    private long iter;
    // Entries in the order the previous / current scrape touched them: targets expose their
    // series in the same order every time, so the line at position i is usually the previous
    // scrape's i-th entry, found with one byte comparison instead of a hash and a table walk.
    // Every entry listed was touched in the previous or current iteration, so none is evicted.
    private Entry[] prevOrder = new Entry[0];
    private int prevN;
    private Entry[] curOrder = new Entry[256];
    private int curN;

    /** Marks the entry as seen in the current iteration. */
    void touch(Entry e) {
        if (e.lastIter != iter) {
            e.prevIter = e.lastIter;
            e.lastIter = iter;
        }
    }

    /**
     * The previous scrape's entry at the current position when its key is {@code buf[start, end)},
     * else null (look it up with {@link #get}). Allocates nothing.
     */
    Entry predicted(byte[] buf, int start, int end) {
        if (curN >= prevN) return null;
        Entry e = prevOrder[curN];
        return Arrays.equals(e.key, 0, e.key.length, buf, start, end) ? e : null;
    }

    /** Touches {@code e} and records it at the current position for the next scrape's {@link #predicted}. */
    void touchInOrder(Entry e) {
        touch(e);
        if (curN == curOrder.length) curOrder = Arrays.copyOf(curOrder, Math.max(256, curN * 2));
        curOrder[curN++] = e;
    }

    private void resetOrder() {
        Arrays.fill(prevOrder, 0, prevN, null);
        Arrays.fill(curOrder, 0, curN, null);
        prevN = curN = 0;
    }

    /**
     * The current scrape failed: forget what it saw, so {@link #endIteration} treats it as empty
     * and every series of the previous scrape goes stale.
     */
    void abortIteration() {
        resetOrder(); // entries this scrape touched may now be evicted
        for (Entry head : table) {
            for (Entry e = head; e != null; e = e.next) {
                if (e.lastIter == iter) e.lastIter = e.prevIter;
            }
        }
    }

    /** Starts a new scrape iteration; returns its number. */
    long beginIteration() {
        Entry[] t = prevOrder;
        prevOrder = curOrder;
        prevN = curN;
        Arrays.fill(t, null);
        curOrder = t; // grows in touchInOrder
        curN = 0;
        return ++iter;
    }

    long iteration() { return iter; }

    int size() { return size; }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long MUL = 0x9E3779B97F4A7C15L;

    /**
     * Hash of {@code buf[start, end)}, eight bytes per step (a series line is ~50-150 bytes; a
     * byte-at-a-time FNV loop was ~10% of the scrape CPU). Only needs to spread lines well within
     * one target's cache; not stable across versions.
     */
    static int hash(byte[] buf, int start, int end) {
        long h = end - start;
        int i = start;
        for (; i + 8 <= end; i += 8) {
            h = Long.rotateLeft((h ^ (long) LONGS.get(buf, i)) * MUL, 29);
        }
        long tail = 0;
        for (int sh = 0; i < end; i++, sh += 8) tail |= (buf[i] & 0xFFL) << sh;
        h = (h ^ tail) * MUL;
        h ^= h >>> 32;
        return (int) (h ^ (h >>> 16));
    }

    /** The entry for {@code buf[start, end)}, or null. Allocates nothing. */
    Entry get(byte[] buf, int start, int end, int hash) {
        for (Entry e = table[hash & (table.length - 1)]; e != null; e = e.next) {
            if (e.hash == hash && Arrays.equals(e.key, 0, e.key.length, buf, start, end)) return e;
        }
        return null;
    }

    /** Adds an entry for {@code buf[start, end)} (caller checked it is absent). */
    Entry put(byte[] buf, int start, int end, int hash, Labels labels) {
        if (size >= table.length * 3 / 4) grow();
        Entry e = new Entry(Arrays.copyOfRange(buf, start, end), hash);
        e.labels = labels;
        int b = hash & (table.length - 1);
        e.next = table[b];
        table[b] = e;
        size++;
        return e;
    }

    private void grow() {
        Entry[] old = table;
        table = new Entry[old.length * 2];
        for (Entry head : old) {
            for (Entry e = head; e != null; ) {
                Entry n = e.next;
                int b = e.hash & (table.length - 1);
                e.next = table[b];
                table[b] = e;
                e = n;
            }
        }
    }

    /** Receives entries that were in the previous scrape but not in the current one. */
    interface StaleConsumer {
        void stale(Entry e);
    }

    /**
     * Ends the iteration: reports series that disappeared since the previous one (not dropped,
     * without explicit timestamps) and evicts entries unseen for a while.
     */
    void endIteration(StaleConsumer onStale) {
        long cur = iter;
        for (int b = 0; b < table.length; b++) {
            Entry prev = null;
            for (Entry e = table[b]; e != null; ) {
                Entry n = e.next;
                if (e.lastIter == cur - 1 && !e.dropped() && !e.explicitTimestamp) onStale.stale(e);
                if (cur - e.lastIter > EVICT_AFTER_ITERATIONS) {
                    if (prev == null) table[b] = n;
                    else prev.next = n;
                    size--;
                } else {
                    prev = e;
                }
                e = n;
            }
        }
    }

    /** Reports every entry seen in the current iteration (for end-of-target staleness). */
    void forEachCurrent(StaleConsumer f) {
        long cur = iter;
        for (Entry head : table) {
            for (Entry e = head; e != null; e = e.next) {
                if (e.lastIter == cur && !e.dropped() && !e.explicitTimestamp) f.stale(e);
            }
        }
    }

    /** Forgets everything (config change: labels may differ now). */
    void clear() {
        resetOrder();
        Arrays.fill(table, null);
        size = 0;
    }
}
