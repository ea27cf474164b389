package io.pyrometer.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * An immutable, name-sorted set of label pairs: the identity of a series.
 *
 * <p>Stored as one flat {@code String[]} ({@code name0, value0, name1, value1, ...}) so a label set
 * is two objects, not one per pair. Labels with an empty value are equivalent to absent labels,
 * as in Prometheus: {@link Builder} drops them; {@link #of} keeps what it is given.
 *
 * <pre>{@code
 * Labels l = Labels.of("__name__", "up", "job", "node");
 * l.get("job");            // "node"
 * l.toString();            // {__name__="up", job="node"}
 * }</pre>
 */
public final class Labels implements Comparable<Labels> {
    public static final String METRIC_NAME = "__name__";
    public static final Labels EMPTY = new Labels(new String[0]);

    private final String[] pairs;
    private int hash; // lazily computed; 0 means not yet (racy single-check is fine: idempotent)

    private Labels(String[] sortedPairs) {
        this.pairs = sortedPairs;
    }

    /** Builds labels from alternating names and values; sorts by name; rejects duplicate names. */
    public static Labels of(String... nameValues) {
        if ((nameValues.length & 1) != 0) {
            throw new IllegalArgumentException("odd number of strings for name/value pairs [count=" + nameValues.length + "]");
        }
        if (nameValues.length == 0) return EMPTY;
        String[] p = nameValues.clone();
        sortPairs(p);
        for (int i = 2; i < p.length; i += 2) {
            if (p[i].equals(p[i - 2])) throw new IllegalArgumentException("duplicate label name [name=" + p[i] + "]");
        }
        return new Labels(p);
    }

    /** Builds labels from a map (ordering ignored). */
    public static Labels of(Map<String, String> map) {
        String[] p = new String[map.size() * 2];
        int i = 0;
        for (Map.Entry<String, String> e : map.entrySet()) {
            p[i++] = e.getKey();
            p[i++] = e.getValue();
        }
        return of(p);
    }

    /** Wraps pairs that the caller guarantees are already sorted by name and unique. Not copied. */
    public static Labels ofSortedUnsafe(String[] sortedPairs) {
        return sortedPairs.length == 0 ? EMPTY : new Labels(sortedPairs);
    }

    private static void sortPairs(String[] p) {
        // insertion sort over pairs: label sets are small
        for (int i = 2; i < p.length; i += 2) {
            String n = p[i], v = p[i + 1];
            int j = i - 2;
            while (j >= 0 && p[j].compareTo(n) > 0) {
                p[j + 2] = p[j];
                p[j + 3] = p[j + 1];
                j -= 2;
            }
            p[j + 2] = n;
            p[j + 3] = v;
        }
    }

    public int size() { return pairs.length >> 1; }
    public boolean isEmpty() { return pairs.length == 0; }
    public String name(int i) { return pairs[i << 1]; }
    public String value(int i) { return pairs[(i << 1) + 1]; }

    /** The value of {@code name}, or {@code ""} when absent (Prometheus semantics). */
    public String get(String name) {
        int i = indexOf(name);
        return i < 0 ? "" : pairs[(i << 1) + 1];
    }

    public boolean has(String name) { return indexOf(name) >= 0; }

    /** Index of the pair with this name, or a negative number. */
    public int indexOf(String name) {
        int lo = 0, hi = size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = pairs[mid << 1].compareTo(name);
            if (c < 0) lo = mid + 1;
            else if (c > 0) hi = mid - 1;
            else return mid;
        }
        return -(lo + 1);
    }

    /** The metric name ({@code __name__}), or {@code ""}. */
    public String metricName() { return get(METRIC_NAME); }

    /** A copy of the flat pair array. */
    public String[] toPairs() { return pairs.clone(); }

    public List<String> names() {
        List<String> out = new ArrayList<>(size());
        for (int i = 0; i < pairs.length; i += 2) out.add(pairs[i]);
        return out;
    }

    public Builder toBuilder() { return new Builder(this); }
    public static Builder builder() { return new Builder(EMPTY); }

    /** This set without the named labels. */
    public Labels without(String... names) {
        Builder b = toBuilder();
        for (String n : names) b.del(n);
        return b.build();
    }

    /** This set without {@code __name__}. */
    public Labels withoutMetricName() {
        return has(METRIC_NAME) ? without(METRIC_NAME) : this;
    }

    /**
     * A stable 64-bit hash of the label pairs (FNV-1a over UTF-16 code units with separators),
     * identical across processes and restarts: use it for scrape offsets and sharding.
     */
    public long stableHash() {
        long h = 0xcbf29ce484222325L;
        for (String s : pairs) {
            for (int i = 0, n = s.length(); i < n; i++) {
                h ^= s.charAt(i);
                h *= 0x100000001b3L;
            }
            h ^= 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(pairs);
            if (h == 0) h = 1;
            hash = h;
        }
        return h;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof Labels other)) return false;
        if (other.pairs.length != pairs.length || other.hashCode() != hashCode()) return false;
        return Arrays.equals(pairs, other.pairs);
    }

    /** Prometheus ordering: pairwise by name then value; a prefix sorts first. */
    @Override
    public int compareTo(Labels o) {
        int n = Math.min(pairs.length, o.pairs.length);
        for (int i = 0; i < n; i += 2) {
            int c = compareUtf8(pairs[i], o.pairs[i]);
            if (c != 0) return c;
            c = compareUtf8(pairs[i + 1], o.pairs[i + 1]);
            if (c != 0) return c;
        }
        return Integer.compare(pairs.length, o.pairs.length);
    }

    /**
     * Go's string order (UTF-8 bytes), which is code point order. {@link String#compareTo} compares
     * UTF-16 units and disagrees once a character above U+FFFF meets one in U+E000-U+FFFF; label
     * sets are ordered as Prometheus orders them, so that sorted series from the head, from blocks
     * (whose index needs byte order) and from a merge of both agree.
     */
    public static int compareUtf8(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char ca = a.charAt(i), cb = b.charAt(i);
            if (ca != cb) {
                if (Character.isSurrogate(ca) || Character.isSurrogate(cb)) {
                    return Integer.compare(a.codePointAt(i), b.codePointAt(i));
                }
                return Character.compare(ca, cb);
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    /** {@code {__name__="up", job="node"}} with Go-style escaping of values. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(16 * (size() + 1)).append('{');
        for (int i = 0; i < pairs.length; i += 2) {
            if (i > 0) sb.append(", ");
            sb.append(pairs[i]).append('=');
            appendQuoted(sb, pairs[i + 1]);
        }
        return sb.append('}').toString();
    }

    /** Appends {@code s} as a double-quoted string with Go escaping ({@code \\ \" \n \t ...}). */
    public static void appendQuoted(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) sb.append(String.format("\\x%02x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }

    /** Mutable builder; setting a label to {@code ""} deletes it. Not thread-safe. */
    public static final class Builder {
        private String[] p;
        private int n; // number of strings used in p

        Builder(Labels base) {
            p = Arrays.copyOf(base.pairs, Math.max(8, base.pairs.length + 4));
            n = base.pairs.length;
        }

        /** Resets to {@code base}, reusing the buffer. */
        public Builder reset(Labels base) {
            if (p.length < base.pairs.length) p = new String[base.pairs.length + 4];
            System.arraycopy(base.pairs, 0, p, 0, base.pairs.length);
            Arrays.fill(p, base.pairs.length, n < base.pairs.length ? base.pairs.length : n, null);
            n = base.pairs.length;
            return this;
        }

        private int find(String name) {
            for (int i = 0; i < n; i += 2) if (p[i].equals(name)) return i;
            return -1;
        }

        public String get(String name) {
            int i = find(name);
            return i < 0 ? "" : p[i + 1];
        }

        public Builder set(String name, String value) {
            if (value == null || value.isEmpty()) return del(name);
            int i = find(name);
            if (i >= 0) {
                p[i + 1] = value;
                return this;
            }
            if (n + 2 > p.length) p = Arrays.copyOf(p, p.length * 2);
            p[n++] = name;
            p[n++] = value;
            return this;
        }

        public Builder del(String name) {
            int i = find(name);
            if (i >= 0) {
                System.arraycopy(p, i + 2, p, i, n - i - 2);
                n -= 2;
                p[n] = null;
                p[n + 1] = null;
            }
            return this;
        }

        /** Keeps only the named labels. */
        public Builder keep(java.util.Collection<String> names) {
            for (int i = 0; i < n; ) {
                if (!names.contains(p[i])) del(p[i]);
                else i += 2;
            }
            return this;
        }

        /** Calls {@code f(name, value)} for each current pair, in insertion order. */
        public void forEach(java.util.function.BiConsumer<String, String> f) {
            for (int i = 0; i < n; i += 2) f.accept(p[i], p[i + 1]);
        }

        public int size() { return n >> 1; }

        /** Name of the {@code i}-th pair in insertion order ({@code 0 <= i < size()}); for allocation-free iteration. */
        public String nameAt(int i) { return p[i << 1]; }

        /** Value of the {@code i}-th pair in insertion order. */
        public String valueAt(int i) { return p[(i << 1) + 1]; }

        public Labels build() {
            if (n == 0) return EMPTY;
            String[] out = Arrays.copyOf(p, n);
            sortPairs(out);
            return new Labels(out);
        }
    }
}
