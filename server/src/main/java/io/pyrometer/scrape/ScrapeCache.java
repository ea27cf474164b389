package io.pyrometer.scrape;

import io.pyrometer.model.textparse.ExpositionParser;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Per-target cache from the raw bytes of a series line ({@code name{labels}} as the target wrote
 * it) to its storage reference, so a line seen before skips label parsing, label merging and
 * metric relabeling. Also the memory of which series the previous scrape had, for staleness
 * markers. Confined to one scrape loop's thread.
 *
 * <p>Layout (struct of arrays, no object per series): an entry is an {@code int} id indexing
 * parallel arrays; its key bytes live in one arena ({@link #keys}); an open-addressing table of
 * ids finds a key by hash. The cache keeps no labels: the head keeps them, and the rare path that
 * needs them again (the head forgot the ref) re-derives them from the key bytes. Per series this
 * costs ~60 bytes plus the key (~150 in all for 75-byte keys, {@code ScrapeCacheFootprint}), where
 * an {@code Entry} object, its key array and its own {@code Labels} cost ~290.
 *
 * <p>The ids of the previous scrape are kept in scrape order ({@link #prevOrder}): targets expose
 * their series in the same order every time, so the next line is usually the key at the
 * prediction cursor, found by comparing sequential memory (the arena is compacted in scrape
 * order) without hashing. A line that is not predicted but found by hash re-synchronises the
 * cursor, so one new or vanished series costs one lookup, not the rest of the scrape.
 */
final class ScrapeCache implements ExpositionParser.SeriesPredictor {
    /** Flag: metric relabeling dropped the series (no appends, no staleness). */
    static final int DROPPED = 1;
    /** Flag: the last sample had an explicit timestamp (no staleness marker). */
    static final int EXPLICIT_TIMESTAMP = 2;
    /** Flag: the key contains a line feed, so the parser must not skip it (it counts lines). */
    static final int NO_PARSE_SHORTCUT = 4;
    /** First flag bit left to the caller (bits 3..7). */
    static final int FIRST_CALLER_FLAG = 8;

    private static final int EVICT_AFTER_ITERATIONS = 10;

    // Per entry, indexed by id. keyLen < 0 marks a free id.
    private int[] keyOff = new int[0];
    private int[] keyLen = new int[0];
    private int[] hashes = new int[0];
    private long[] refs = new long[0];
    /** Iteration in which the entry was last seen, and the value before the current iteration touched it. */
    private int[] lastIter = new int[0];
    private int[] prevIter = new int[0];
    /** Position of the entry in the order list of iteration {@link #lastIter}. */
    private int[] pos = new int[0];
    private byte[] flags = new byte[0];
    private int highWater;
    private int putsThisIteration;
    private int[] free = new int[16];
    private int freeN;
    private int size;

    /** Key bytes of every entry; evicted keys leave garbage until {@link #compact}. */
    private byte[] keys = new byte[4096];
    private int keysUsed;
    private int keysGarbage;

    /** Open addressing, linear probing: id + 1, 0 for empty; at most half full. */
    private int[] table = new int[256];

    private int iter;
    /** Lower bound of lastIter over live entries: eviction needs a walk only when it is old. */
    private int minLastIter;
    private int[] prevOrder = new int[0];
    private int prevN;
    private int[] curOrder = new int[256];
    /** Distinct entries touched in the current iteration, in order. */
    private int curN;
    /** Next position in {@link #prevOrder} expected to match. */
    private int cursor;
    private boolean predictParser;

    // The last successful predictedLength(), so predicted() for the same line skips the compare.
    private byte[] matchBuf;
    private int matchStart = -1;
    private int matchLen;
    private int matchId = -1;

    /** Starts a new scrape iteration; returns its number. */
    long beginIteration() {
        int[] t = prevOrder;
        prevOrder = curOrder;
        prevN = curN;
        curOrder = t.length >= prevN ? t : new int[Math.max(256, prevN + prevN / 8)];
        curN = 0;
        cursor = 0;
        matchBuf = null;
        matchId = -1;
        return ++iter;
    }

    long iteration() { return iter; }

    int size() { return size; }

    /** Lets {@link #predictedLength} answer the parser (only when this scrape uses the previous one's format). */
    void predictForParser(boolean on) { predictParser = on; }

    /**
     * The previous scrape's entry at the prediction cursor when its key is {@code buf[start, end)},
     * else -1 (look it up with {@link #get}). Allocates nothing.
     */
    int predicted(byte[] buf, int start, int end) {
        if (cursor >= prevN) return -1;
        int id = prevOrder[cursor];
        if (id == matchId && buf == matchBuf && start == matchStart && end - start == matchLen) return id;
        int off = keyOff[id];
        return Arrays.equals(keys, off, off + keyLen[id], buf, start, end) ? id : -1;
    }

    /**
     * For the parser: the length of the key at the prediction cursor if {@code buf} holds it at
     * {@code start}, else -1. Such a key was parsed and validated in an earlier scrape of the same
     * format, so the parser may take it as the series text without scanning its labels.
     */
    @Override
    public int predictedLength(byte[] buf, int start, int end) {
        if (!predictParser || cursor >= prevN) return -1;
        int id = prevOrder[cursor];
        int len = keyLen[id];
        if ((flags[id] & NO_PARSE_SHORTCUT) != 0 || len > end - start) return -1;
        int off = keyOff[id];
        if (!Arrays.equals(keys, off, off + len, buf, start, start + len)) return -1;
        matchBuf = buf;
        matchStart = start;
        matchLen = len;
        matchId = id;
        return len;
    }

    /** Marks the entry as seen in the current iteration and records its position for the next one. */
    void touch(int id) {
        int last = lastIter[id];
        if (last == iter) return; // the same line twice in one scrape
        if (last == iter - 1) cursor = pos[id] + 1; // it was in the previous scrape: continue after it
        prevIter[id] = last;
        lastIter[id] = iter;
        if (curN == curOrder.length) curOrder = Arrays.copyOf(curOrder, Math.max(256, curN * 2));
        pos[id] = curN;
        curOrder[curN++] = id;
    }

    /**
     * The current scrape failed: forget what it saw, so {@link #endIteration} treats it as empty
     * and every series of the previous scrape goes stale.
     */
    void abortIteration() {
        for (int i = 0; i < curN; i++) {
            int id = curOrder[i];
            lastIter[id] = prevIter[id];
        }
        curN = 0;
        cursor = prevN;
        matchBuf = null;
    }

    long ref(int id) { return refs[id]; }

    void setRef(int id, long ref) { refs[id] = ref; }

    int flags(int id) { return flags[id]; }

    boolean dropped(int id) { return (flags[id] & DROPPED) != 0; }

    void setExplicitTimestamp(int id, boolean explicit) {
        flags[id] = (byte) (explicit ? flags[id] | EXPLICIT_TIMESTAMP : flags[id] & ~EXPLICIT_TIMESTAMP);
    }

    /** The arena holding the key of {@code id} at {@link #keyOffset}; valid until the next {@link #put} or {@link #endIteration}. */
    byte[] keyArena() { return keys; }

    int keyOffset(int id) { return keyOff[id]; }

    int keyLength(int id) { return keyLen[id]; }

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

    /** The entry for {@code buf[start, end)}, or -1. Allocates nothing. */
    int get(byte[] buf, int start, int end, int hash) {
        int mask = table.length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            int v = table[i];
            if (v == 0) return -1;
            int id = v - 1;
            if (hashes[id] == hash && Arrays.equals(keys, keyOff[id], keyOff[id] + keyLen[id], buf, start, end)) return id;
        }
    }

    /** Adds an entry for {@code buf[start, end)} (caller checked it is absent) with {@code flags}. */
    int put(byte[] buf, int start, int end, int hash, int entryFlags) {
        int len = end - start;
        if (keysUsed + len > keys.length) makeRoom(len);
        int id = freeN > 0 ? free[--freeN] : newId();
        System.arraycopy(buf, start, keys, keysUsed, len);
        keyOff[id] = keysUsed;
        keyLen[id] = len;
        keysUsed += len;
        hashes[id] = hash;
        refs[id] = 0;
        lastIter[id] = prevIter[id] = -1; // not seen yet: the caller touches it
        pos[id] = -1;
        flags[id] = (byte) entryFlags;
        size++;
        putsThisIteration++;
        minLastIter = -1;
        if (size > table.length / 2) rehash(table.length * 2);
        else insert(id);
        return id;
    }

    private int newId() {
        if (highWater == keyLen.length) {
            int n = Math.max(64, highWater * 2);
            resize(n);
        }
        return highWater++;
    }

    private void resize(int n) {
        keyOff = Arrays.copyOf(keyOff, n);
        keyLen = Arrays.copyOf(keyLen, n);
        hashes = Arrays.copyOf(hashes, n);
        refs = Arrays.copyOf(refs, n);
        lastIter = Arrays.copyOf(lastIter, n);
        prevIter = Arrays.copyOf(prevIter, n);
        pos = Arrays.copyOf(pos, n);
        flags = Arrays.copyOf(flags, n);
    }

    private void insert(int id) {
        int mask = table.length - 1;
        int i = hashes[id] & mask;
        while (table[i] != 0) i = (i + 1) & mask;
        table[i] = id + 1;
    }

    private void rehash(int capacity) {
        table = new int[capacity];
        for (int id = 0; id < highWater; id++) if (keyLen[id] >= 0) insert(id);
    }

    private void makeRoom(int len) {
        if (keysGarbage >= keys.length / 2 && keysUsed - keysGarbage + len <= keys.length) {
            compact(keys.length);
        } else {
            compact(Math.max(keys.length * 2, keysUsed - keysGarbage + len));
        }
    }

    /**
     * Rewrites the arena without garbage, keys of the current scrape first and in its order, so
     * the next scrape's predictions read memory sequentially.
     */
    private void compact(int capacity) {
        byte[] old = keys;
        byte[] n = new byte[capacity];
        int used = 0;
        for (int i = 0; i < curN; i++) used = move(curOrder[i], old, n, used);
        for (int id = 0; id < highWater; id++) {
            if (keyLen[id] >= 0 && !inCurrentOrder(id)) used = move(id, old, n, used);
        }
        keys = n;
        keysUsed = used;
        keysGarbage = 0;
    }

    private boolean inCurrentOrder(int id) {
        int p = pos[id];
        return lastIter[id] == iter && p >= 0 && p < curN && curOrder[p] == id;
    }

    private int move(int id, byte[] from, byte[] to, int at) {
        System.arraycopy(from, keyOff[id], to, at, keyLen[id]);
        keyOff[id] = at;
        return at + keyLen[id];
    }

    /** Receives entries that were in the previous scrape but not in the current one. */
    interface StaleConsumer {
        void stale(int id);
    }

    /**
     * Ends the iteration: reports series that disappeared since the previous one (not dropped,
     * without explicit timestamps) and evicts entries unseen for a while. Walks the previous
     * scrape's order list; the whole table only when an entry may be old enough to evict.
     */
    void endIteration(StaleConsumer onStale) {
        for (int i = 0; i < prevN; i++) {
            int id = prevOrder[i];
            if (lastIter[id] != iter && (flags[id] & (DROPPED | EXPLICIT_TIMESTAMP)) == 0) onStale.stale(id);
        }
        matchBuf = null; // the scrape body: not ours to keep
        if (size > curN && iter - minLastIter > EVICT_AFTER_ITERATIONS) evict();
        if (keysGarbage > 4096 && keysGarbage >= keysUsed / 2) compact(keys.length);
        if (putsThisIteration == 0) trimToSize();
        putsThisIteration = 0;
    }

    /**
     * Gives back the slack that doubling left in the arena and the per-entry arrays once a scrape
     * added nothing (the target's series set has settled): up to half of the cache otherwise.
     */
    private void trimToSize() {
        int live = keysUsed - keysGarbage;
        if (keys.length - live > live / 8 + 4096) compact(live + live / 16 + 1024);
        int ids = highWater + highWater / 16 + 16;
        if (keyLen.length > ids + ids / 8) resize(ids);
    }

    private void evict() {
        int min = iter;
        int evicted = 0;
        for (int id = 0; id < highWater; id++) {
            if (keyLen[id] < 0) continue;
            if (iter - lastIter[id] > EVICT_AFTER_ITERATIONS) {
                keysGarbage += keyLen[id];
                keyLen[id] = -1;
                if (freeN == free.length) free = Arrays.copyOf(free, freeN * 2);
                free[freeN++] = id;
                evicted++;
            } else {
                min = Math.min(min, lastIter[id]);
            }
        }
        minLastIter = min;
        if (evicted > 0) {
            size -= evicted;
            rehash(table.length);
        }
    }

    /** Reports every entry seen in the current iteration (for end-of-target staleness). */
    void forEachCurrent(StaleConsumer f) {
        for (int i = 0; i < curN; i++) {
            int id = curOrder[i];
            if ((flags[id] & (DROPPED | EXPLICIT_TIMESTAMP)) == 0) f.stale(id);
        }
    }
}
