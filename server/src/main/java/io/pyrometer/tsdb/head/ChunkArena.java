package io.pyrometer.tsdb.head;

import java.util.Arrays;
import java.util.BitSet;

/**
 * Bytes of the head's open chunks: slots of size classes carved out of shared 64 KiB heap slabs,
 * so a series holds an {@code int} handle instead of its own growable array (which Prometheus's
 * 128-byte start and doubling left at ~1 KiB per series, mostly unused).
 *
 * <pre>
 * handle (int, >= 0):  │ class <5 bits> │ slab id <15 bits> │ slot in slab <11 bits> │
 * class 0..21:         32, 48, 64, 80, 96, 128, 160, 192, 256, 320, 384, 512, 640, 768, 1024,
 *                      1280, 1536, 2048, 2560, 3072, 4096, 5120 bytes (a slab holds one class)
 * class 31 (huge):     a slab of its own with one slot, for chunks past 5120 bytes (240 samples of
 *                      19 bytes, or a large samples-per-chunk setting)
 * </pre>
 *
 * <p>Reading and writing a slot's bytes needs no lock: a slot belongs to one series, whose monitor
 * orders every access, and a slab's array is published through the volatile {@link #slabs} before
 * its first handle is handed out. {@link #allocate}, {@link #grow} and {@link #free} take this
 * object's monitor; they run when a chunk grows past its class or is cut (a few times per 120
 * samples), not per sample. Rejected alternative: a lock per class; the global one is not contended
 * at that rate and keeps release simple.
 *
 * <p>Release: a slab whose slots are all free (but for its class's last one with room) becomes a
 * spare: its array is kept and serves the next new slab of any class, and {@link #trim} (head
 * truncation, where series are dropped) leaves the spares to the GC. Many chunks are cut at the
 * same scrape (a range boundary cuts them all; {@code MemSeries} staggers only the first cut of
 * each range), so right after such a cut the large classes are empty and the small ones fill;
 * dropping the arrays at once made the head allocate its whole open chunk footprint again every
 * 120 samples (15 bytes per sample appended), keeping them for good would keep a churned head's
 * peak. Partly used slabs are not compacted: a churn can leave them sparse until their series are
 * cut or dropped. Limits: 32768 slabs, 2 GiB of open chunks (~10M series); past that
 * {@link #allocate} throws.
 */
final class ChunkArena {
    static final int NONE = -1;
    static final int SLAB_BYTES = 64 * 1024;
    private static final int[] SIZES = {32, 48, 64, 80, 96, 128, 160, 192, 256, 320, 384, 512, 640, 768, 1024,
            1280, 1536, 2048, 2560, 3072, 4096, 5120};
    private static final int HUGE = 31;
    private static final int SLOT_BITS = 11;
    private static final int SLAB_ID_BITS = 15;
    private static final int MAX_SLABS = 1 << SLAB_ID_BITS;

    /** One slab's bookkeeping; guarded by the arena's monitor. */
    private static final class Slab {
        final int id;
        final int cls;
        final long[] free; // bit set = slot free
        int freeCount;
        int hint;          // every word of {@link #free} before this one is 0

        Slab(int id, int cls, int slots) {
            this.id = id;
            this.cls = cls;
            this.free = new long[(slots + 63) >>> 6];
            for (int i = 0; i < slots; i++) free[i >>> 6] |= 1L << i;
            this.freeCount = slots;
        }
    }

    /** Slab arrays by id; a larger copy is published when the ids outgrow it. */
    private volatile byte[][] slabs = new byte[16][];
    private Slab[] meta = new Slab[16];
    private final BitSet usedIds = new BitSet();
    /**
     * Per class, the ids of slabs with a free slot. Allocation takes the lowest (address-ordered
     * first fit), so slots pack into the low slabs and the high ones drain and are released; a
     * stack of recently freed slabs left them half empty (twice the slot bytes in slabs).
     */
    private final BitSet[] withFree = new BitSet[SIZES.length];
    private byte[][] spare = new byte[8][];
    private int spareCount;
    private long slabBytes;   // bytes of all live slabs, spares included
    private long slotBytes;   // bytes of all allocated slots

    ChunkArena() {
        for (int c = 0; c < SIZES.length; c++) withFree[c] = new BitSet();
    }

    /** The array holding {@code handle}'s bytes, from {@link #offset}, {@link #capacity} long. */
    byte[] array(int handle) { return slabs[(handle >>> SLOT_BITS) & (MAX_SLABS - 1)]; }

    static int offset(int handle) {
        int cls = handle >>> (SLOT_BITS + SLAB_ID_BITS);
        return cls == HUGE ? 0 : (handle & ((1 << SLOT_BITS) - 1)) * SIZES[cls];
    }

    int capacity(int handle) {
        int cls = handle >>> (SLOT_BITS + SLAB_ID_BITS);
        return cls == HUGE ? array(handle).length : SIZES[cls];
    }

    /** Smallest slot size, what a new chunk starts with. */
    static int minSize() { return SIZES[0]; }

    /** The capacity {@link #allocate}{@code (bytes)} returns a slot of. */
    static int slotSize(int bytes) {
        int cls = classFor(bytes);
        return cls < 0 ? (bytes + 1023) & ~1023 : SIZES[cls];
    }

    /** A slot of at least {@code bytes}. */
    synchronized int allocate(int bytes) {
        int cls = classFor(bytes);
        return cls < 0 ? allocateHuge(bytes) : allocateIn(cls);
    }

    /**
     * Moves the first {@code usedBytes} of {@code handle} to a slot of the next class that holds
     * {@code minBytes} (classes step by 1.25-1.5x: a chunk grows by a sample or two at a time, so
     * larger steps would only leave more of the slot unused), frees the old slot and returns the
     * new handle.
     */
    int grow(int handle, int usedBytes, int minBytes) {
        int cap = capacity(handle);
        int h = allocate(Math.max(minBytes, cap < SIZES[SIZES.length - 1] ? cap + 1 : cap + (cap >>> 1))); // huge: 1.5x
        System.arraycopy(array(handle), offset(handle), array(h), offset(h), usedBytes);
        free(handle);
        return h;
    }

    synchronized void free(int handle) {
        int id = (handle >>> SLOT_BITS) & (MAX_SLABS - 1);
        Slab s = meta[id];
        if (s.cls == HUGE) {
            slotBytes -= slabs[id].length;
            release(s);
            return;
        }
        int slot = handle & ((1 << SLOT_BITS) - 1);
        long bit = 1L << slot;
        if ((s.free[slot >>> 6] & bit) != 0) throw new IllegalStateException("chunk arena slot freed twice [handle=" + handle + "]");
        s.free[slot >>> 6] |= bit;
        s.hint = Math.min(s.hint, slot >>> 6);
        int c = s.cls;
        slotBytes -= SIZES[c];
        if (s.freeCount++ == 0) withFree[c].set(id);
        // an empty slab goes unless it is the class's only one with room (no churn at a class's edge)
        if (s.freeCount == SLAB_BYTES / SIZES[c] && (withFree[c].nextSetBit(0) != id || withFree[c].nextSetBit(id + 1) >= 0)) {
            withFree[c].clear(id);
            release(s);
        }
    }

    /** Bytes of allocated slots (what the open chunks occupy, class rounding included). */
    synchronized long slotBytes() { return slotBytes; }

    /** Drops the spare slabs (see the class comment); returns the bytes left to the GC. */
    synchronized long trim() {
        long bytes = (long) spareCount * SLAB_BYTES;
        Arrays.fill(spare, 0, spareCount, null);
        spareCount = 0;
        slabBytes -= bytes;
        return bytes;
    }

    /** Bytes of all slabs, spares included (what the arena holds on the heap). */
    synchronized long slabBytes() { return slabBytes; }

    private static int classFor(int bytes) {
        for (int c = 0; c < SIZES.length; c++) if (SIZES[c] >= bytes) return c;
        return -1;
    }

    private int allocateIn(int cls) {
        int id = withFree[cls].nextSetBit(0);
        Slab s;
        if (id >= 0) {
            s = meta[id];
        } else {
            s = new Slab(newSlab(SLAB_BYTES), cls, SLAB_BYTES / SIZES[cls]);
            meta[s.id] = s;
            withFree[cls].set(s.id);
        }
        int w = s.hint;
        while (s.free[w] == 0) w++;
        s.hint = w;
        int slot = (w << 6) + Long.numberOfTrailingZeros(s.free[w]);
        s.free[w] &= s.free[w] - 1;
        if (--s.freeCount == 0) withFree[cls].clear(s.id);
        slotBytes += SIZES[cls];
        return (cls << (SLOT_BITS + SLAB_ID_BITS)) | (s.id << SLOT_BITS) | slot;
    }

    private int allocateHuge(int bytes) {
        int size = (bytes + 1023) & ~1023;
        Slab s = new Slab(newSlab(size), HUGE, 0);
        meta[s.id] = s;
        slotBytes += size;
        return (HUGE << (SLOT_BITS + SLAB_ID_BITS)) | (s.id << SLOT_BITS);
    }

    private int newSlab(int size) {
        int id = usedIds.nextClearBit(0); // the lowest free id: low slabs fill first
        if (id >= MAX_SLABS) {
            throw new IllegalStateException("head chunk arena full: " + MAX_SLABS + " slabs of open chunks"
                    + " [slabBytes=" + slabBytes + "]; lower the number of active series");
        }
        usedIds.set(id);
        if (id >= meta.length) meta = Arrays.copyOf(meta, Math.min(MAX_SLABS, meta.length * 2));
        byte[][] cur = slabs;
        if (id >= cur.length) slabs = cur = Arrays.copyOf(cur, Math.min(MAX_SLABS, cur.length * 2));
        // Written in place: whoever gets a handle into this slab gets it after this write, through
        // this monitor and then the series' monitor, so it sees the entry.
        if (size == SLAB_BYTES && spareCount > 0) {
            cur[id] = spare[--spareCount]; // stale bytes are fine: the encoder assigns bytes whole before it ORs into them
            spare[spareCount] = null;
        } else {
            cur[id] = new byte[size];
            slabBytes += size;
        }
        return id;
    }

    private void release(Slab s) {
        byte[][] cur = slabs;
        byte[] bytes = cur[s.id];
        cur[s.id] = null; // no handle into it is left
        if (s.cls != HUGE) {
            if (spareCount == spare.length) spare = Arrays.copyOf(spare, spareCount * 2);
            spare[spareCount++] = bytes;
        } else {
            slabBytes -= bytes.length;
        }
        meta[s.id] = null;
        usedIds.clear(s.id);
    }
}
