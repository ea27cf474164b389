package io.pyrometer.tsdb.index;

import io.pyrometer.model.Labels;
import java.util.Comparator;

/**
 * Go compares strings by UTF-8 bytes; Java's {@link String#compareTo} by UTF-16 units, which
 * disagree once characters above U+FFFF meet ones in U+E000–U+FFFF. Code point order equals UTF-8
 * byte order, so symbols and series are sorted with this to match Prometheus's readers, which
 * binary-search them.
 */
public final class Utf8Order {
    public static final Comparator<String> STRINGS = Utf8Order::compare;
    public static final Comparator<Labels> LABELS = Utf8Order::compare;

    private Utf8Order() {}

    public static int compare(String a, String b) {
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

    /** Prometheus's {@code labels.Compare}: pairwise by name then value, then by length. */
    public static int compare(Labels a, Labels b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int c = compare(a.name(i), b.name(i));
            if (c != 0) return c;
            c = compare(a.value(i), b.value(i));
            if (c != 0) return c;
        }
        return Integer.compare(a.size(), b.size());
    }
}
