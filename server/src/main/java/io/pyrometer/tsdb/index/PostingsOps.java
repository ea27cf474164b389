package io.pyrometer.tsdb.index;

import java.lang.foreign.MemorySegment;

/** The {@link Postings} implementations: a mapped list, an array, intersection, union, difference. */
final class PostingsOps {
    private PostingsOps() {}

    /** A raw postings list in the index: {@code n} big-endian uint32 refs starting at {@code from}. */
    static final class ListPostings implements Postings {
        private final MemorySegment seg;
        private final long from;
        private final int n;
        private int i = -1;
        private long cur;

        ListPostings(MemorySegment seg, long from, int n) {
            this.seg = seg;
            this.from = from;
            this.n = n;
        }

        private long get(int idx) {
            return seg.get(Decbuf.BE_INT, from + 4L * idx) & 0xFFFF_FFFFL;
        }

        @Override
        public boolean next() {
            if (i + 1 >= n) {
                i = n;
                return false;
            }
            cur = get(++i);
            return true;
        }

        @Override
        public boolean seek(long v) {
            if (i >= n) return false;
            if (i >= 0 && cur >= v) return true;
            int lo = Math.max(i + 1, 0);
            // dense intersections usually find the target within a few entries: probe linearly first
            for (int k = 0; k < 4 && lo < n; k++, lo++) {
                long x = get(lo);
                if (x >= v) {
                    i = lo;
                    cur = x;
                    return true;
                }
            }
            int hi = n - 1;
            // then gallop to bound the target, then binary search inside the bound
            int step = 1;
            while (lo + step <= hi && get(lo + step - 1) < v) {
                lo += step;
                step <<= 1;
            }
            hi = Math.min(hi, lo + step - 1);
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (get(mid) < v) lo = mid + 1;
                else hi = mid - 1;
            }
            i = lo;
            if (i >= n) return false;
            cur = get(i);
            return true;
        }

        @Override
        public long at() { return cur; }
    }

    static final class ArrayPostings implements Postings {
        private final long[] a;
        private final int n;
        private int i = -1;

        ArrayPostings(long[] a, int n) {
            this.a = a;
            this.n = n;
        }

        public boolean next() {
            if (i + 1 >= n) {
                i = n;
                return false;
            }
            i++;
            return true;
        }

        public boolean seek(long v) {
            if (i >= n) return false;
            if (i >= 0 && a[i] >= v) return true;
            int lo = Math.max(i + 1, 0), hi = n - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (a[mid] < v) lo = mid + 1;
                else hi = mid - 1;
            }
            i = lo;
            return i < n;
        }

        public long at() { return a[i]; }
    }

    /** Leapfrog intersection: seek every list to the largest current head until all agree. */
    static final class Intersect implements Postings {
        private final Postings[] ps;
        private long cur;
        private boolean done;

        Intersect(Postings[] ps) { this.ps = ps; }

        @Override
        public boolean next() {
            if (done) return false;
            if (!ps[0].next()) return finish();
            return align(ps[0].at());
        }

        @Override
        public boolean seek(long v) {
            if (done) return false;
            if (!ps[0].seek(v)) return finish();
            return align(ps[0].at());
        }

        private boolean align(long target) {
            while (true) {
                boolean agreed = true;
                for (Postings p : ps) {
                    if (!p.seek(target)) return finish();
                    long a = p.at();
                    if (a > target) {
                        target = a;
                        agreed = false;
                    }
                }
                if (agreed) {
                    cur = target;
                    return true;
                }
            }
        }

        private boolean finish() {
            done = true;
            return false;
        }

        @Override
        public long at() { return cur; }
    }

    /** Union through a small binary heap of list heads, deduplicating. */
    static final class Merge implements Postings {
        private final Postings[] heap;
        private int size;
        private boolean started;
        private long cur;

        Merge(Postings[] ps) {
            heap = ps.clone();
        }

        private void init() {
            started = true;
            int n = 0;
            for (Postings p : heap) if (p.next()) heap[n++] = p;
            size = n;
            for (int i = size / 2 - 1; i >= 0; i--) down(i);
        }

        @Override
        public boolean next() {
            if (!started) {
                init();
            } else {
                // advance every list positioned on cur
                while (size > 0 && heap[0].at() == cur) {
                    if (heap[0].next()) down(0);
                    else {
                        heap[0] = heap[--size];
                        down(0);
                    }
                }
            }
            if (size == 0) return false;
            cur = heap[0].at();
            return true;
        }

        @Override
        public boolean seek(long v) {
            if (started && size > 0 && cur >= v) return true;
            if (!started) init();
            int n = 0;
            for (int i = 0; i < size; i++) if (heap[i].seek(v)) heap[n++] = heap[i];
            size = n;
            for (int i = size / 2 - 1; i >= 0; i--) down(i);
            if (size == 0) return false;
            cur = heap[0].at();
            return true;
        }

        private void down(int i) {
            while (true) {
                int l = 2 * i + 1, r = l + 1, m = i;
                if (l < size && heap[l].at() < heap[m].at()) m = l;
                if (r < size && heap[r].at() < heap[m].at()) m = r;
                if (m == i) return;
                Postings t = heap[i];
                heap[i] = heap[m];
                heap[m] = t;
                i = m;
            }
        }

        @Override
        public long at() { return cur; }
    }

    static final class Without implements Postings {
        private final Postings full;
        private final Postings drop;
        private boolean dropLive = true;
        private boolean dropStarted;

        Without(Postings full, Postings drop) {
            this.full = full;
            this.drop = drop;
        }

        @Override
        public boolean next() {
            return full.next() && skipDropped();
        }

        @Override
        public boolean seek(long v) {
            return full.seek(v) && skipDropped();
        }

        private boolean skipDropped() {
            while (true) {
                long c = full.at();
                if (dropLive) {
                    boolean ok = dropStarted && drop.at() >= c ? true : drop.seek(c);
                    dropStarted = true;
                    if (!ok) dropLive = false;
                    else if (drop.at() == c) {
                        if (!full.next()) return false;
                        continue;
                    }
                }
                return true;
            }
        }

        @Override
        public long at() { return full.at(); }
    }
}
