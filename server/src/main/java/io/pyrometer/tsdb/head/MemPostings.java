package io.pyrometer.tsdb.head;

import io.pyrometer.model.LabelMatcher;
import io.pyrometer.model.Labels;
import io.pyrometer.tsdb.head.CardinalityStats.Stat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.roaringbitmap.RoaringBitmap;

/**
 * The head's inverted index: for each label pair the series refs holding it, as RoaringBitmaps,
 * plus the set of all refs. The map keys double as the intern table: {@link #add} returns labels
 * built from the canonical strings, so a label value shared by a million series is stored once,
 * and it is freed when its last series goes.
 *
 * <p>One read-write lock guards everything ({@link #lock}): writes happen per new series, not per
 * sample, so contention is low; Prometheus's {@code MemPostings} makes the same choice. Refs are
 * ints in the bitmaps: a head creates at most 2^31-1 series over the life of its WAL (refs are
 * never reused and survive restarts through the WAL and its checkpoints; Prometheus's are 64-bit).
 */
final class MemPostings {
    /** One label name: its canonical string and values. */
    private static final class Values {
        final String name;
        final HashMap<String, Entry> byValue = new HashMap<>();

        Values(String name) { this.name = name; }
    }

    /** One label pair: the canonical value string and its postings. */
    private record Entry(String value, RoaringBitmap postings) {}

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final HashMap<String, Values> byName = new HashMap<>(); // guarded by lock
    private final RoaringBitmap all = new RoaringBitmap();          // guarded by lock

    /** Indexes series {@code ref}; returns {@code labels} rebuilt from interned strings. */
    Labels add(int ref, Labels labels) {
        String[] pairs = new String[labels.size() * 2];
        lock.writeLock().lock();
        try {
            for (int i = 0; i < labels.size(); i++) {
                Values vs = byName.computeIfAbsent(labels.name(i), Values::new);
                Entry e = vs.byValue.get(labels.value(i));
                if (e == null) {
                    e = new Entry(labels.value(i), new RoaringBitmap());
                    vs.byValue.put(e.value(), e);
                }
                e.postings().add(ref);
                pairs[2 * i] = vs.name;
                pairs[2 * i + 1] = e.value();
            }
            all.add(ref);
        } finally {
            lock.writeLock().unlock();
        }
        return Labels.ofSortedUnsafe(pairs);
    }

    void delete(int ref, Labels labels) {
        lock.writeLock().lock();
        try {
            for (int i = 0; i < labels.size(); i++) {
                Values vs = byName.get(labels.name(i));
                if (vs == null) continue;
                Entry e = vs.byValue.get(labels.value(i));
                if (e == null) continue;
                e.postings().remove(ref);
                if (e.postings().isEmpty()) vs.byValue.remove(labels.value(i));
                if (vs.byValue.isEmpty()) byName.remove(labels.name(i));
            }
            all.remove(ref);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Refs of series matching all matchers. Matchers that reject the empty string select (and are
     * intersected first); those accepting it only subtract the values they reject, so a series
     * lacking the label is kept, as Prometheus's {@code PostingsForMatchers} does.
     */
    RoaringBitmap select(List<LabelMatcher> matchers) {
        lock.readLock().lock();
        try {
            RoaringBitmap result = null;
            for (LabelMatcher m : matchers) {
                if (m.matchesEmpty()) continue;
                RoaringBitmap b = matching(m, false);
                result = result == null ? b : RoaringBitmap.and(result, b);
                if (result.isEmpty()) return result;
            }
            if (result == null) result = all.clone();
            for (LabelMatcher m : matchers) {
                if (m.matchesEmpty() && !isMatchAll(m)) result.andNot(matching(m, true));
            }
            return result;
        } finally {
            lock.readLock().unlock();
        }
    }

    private static boolean isMatchAll(LabelMatcher m) {
        return m.type() == LabelMatcher.Type.RE && m.value().equals(".*");
    }

    /**
     * Union of the postings of the values {@code v} of {@code m.name()} with
     * {@code m.matches(v) != invert}. Shortcuts: {@code =}, {@code !=} and literal alternations
     * {@code a|b|c} are set lookups; {@code .*} and {@code .+} select every value with no regex run.
     */
    private RoaringBitmap matching(LabelMatcher m, boolean invert) {
        Values vs = byName.get(m.name());
        if (vs == null) return new RoaringBitmap();
        boolean re = m.type().isRegex();
        if (re && (m.value().equals(".*") || m.value().equals(".+"))) {
            boolean want = (m.type() == LabelMatcher.Type.RE) != invert;
            return want ? unionAll(vs) : new RoaringBitmap();
        }
        Set<String> set = re ? literalAlternation(m.value()) : Set.of(m.value());
        if (set != null) {
            boolean positive = !m.type().isNegative() != invert;
            if (positive) {
                RoaringBitmap out = new RoaringBitmap();
                for (String s : set) {
                    Entry e = vs.byValue.get(s);
                    if (e != null) out.or(e.postings());
                }
                return out;
            }
            RoaringBitmap out = new RoaringBitmap();
            for (Entry e : vs.byValue.values()) if (!set.contains(e.value())) out.or(e.postings());
            return out;
        }
        RoaringBitmap out = new RoaringBitmap();
        for (Entry e : vs.byValue.values()) if (m.matches(e.value()) != invert) out.or(e.postings());
        return out;
    }

    private static RoaringBitmap unionAll(Values vs) {
        RoaringBitmap out = new RoaringBitmap();
        for (Entry e : vs.byValue.values()) out.or(e.postings());
        return out;
    }

    /** The strings of {@code a|b|c} when the regex is only literals and bars, else null. */
    static Set<String> literalAlternation(String regex) {
        for (int i = 0; i < regex.length(); i++) {
            if ("\\.+*?()[]{}^$".indexOf(regex.charAt(i)) >= 0) return null;
        }
        return new HashSet<>(List.of(regex.split("\\|", -1)));
    }

    /** Sorted values of {@code name} among the given refs (all when null). */
    List<String> labelValues(String name, RoaringBitmap among) {
        List<String> out = new ArrayList<>();
        lock.readLock().lock();
        try {
            Values vs = byName.get(name);
            if (vs == null) return out;
            for (Entry e : vs.byValue.values()) if (among == null || RoaringBitmap.intersects(e.postings(), among)) out.add(e.value());
        } finally {
            lock.readLock().unlock();
        }
        out.sort(null);
        return out;
    }

    /** Sorted label names among the given refs (all when null). */
    List<String> labelNames(RoaringBitmap among) {
        List<String> out = new ArrayList<>();
        lock.readLock().lock();
        try {
            for (Values vs : byName.values()) {
                if (among == null) {
                    out.add(vs.name);
                    continue;
                }
                for (Entry e : vs.byValue.values()) {
                    if (RoaringBitmap.intersects(e.postings(), among)) {
                        out.add(vs.name);
                        break;
                    }
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        out.sort(null);
        return out;
    }

    /** The top-{@code n} cardinality lists. */
    CardinalityStats stats(int n) {
        TopN metrics = new TopN(n), valueCounts = new TopN(n), memory = new TopN(n), pairs = new TopN(n);
        lock.readLock().lock();
        try {
            for (Values vs : byName.values()) {
                valueCounts.push(vs.name, vs.byValue.size());
                long size = 0;
                for (Entry e : vs.byValue.values()) {
                    long cnt = e.postings().getLongCardinality();
                    if (vs.name.equals(Labels.METRIC_NAME)) metrics.push(e.value(), cnt);
                    pairs.push(vs.name + "=" + e.value(), cnt);
                    size += (long) e.value().getBytes(java.nio.charset.StandardCharsets.UTF_8).length * cnt;
                }
                memory.push(vs.name, size);
            }
        } finally {
            lock.readLock().unlock();
        }
        return new CardinalityStats(metrics.sorted(), valueCounts.sorted(), memory.sorted(), pairs.sorted());
    }

    /** Keeps the {@code n} largest stats. */
    private static final class TopN {
        final int n;
        final PriorityQueue<Stat> q = new PriorityQueue<>((a, b) -> Long.compare(a.value(), b.value()));

        TopN(int n) { this.n = n; }

        void push(String name, long v) {
            if (q.size() < n) q.add(new Stat(name, v));
            else if (q.peek().value() < v) {
                q.poll();
                q.add(new Stat(name, v));
            }
        }

        List<Stat> sorted() {
            List<Stat> out = new ArrayList<>(q);
            out.sort((a, b) -> a.value() != b.value() ? Long.compare(b.value(), a.value()) : a.name().compareTo(b.name()));
            return out;
        }
    }

    /** Number of distinct label pairs, for stats. */
    int numLabelPairs() {
        lock.readLock().lock();
        try {
            int c = 0;
            for (Map.Entry<String, Values> e : byName.entrySet()) c += e.getValue().byValue.size();
            return c;
        } finally {
            lock.readLock().unlock();
        }
    }
}
