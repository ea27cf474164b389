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

    public static int compare(String a, String b) { return Labels.compareUtf8(a, b); }

    /** Prometheus's {@code labels.Compare}: pairwise by name then value, then by length ({@link Labels#compareTo}). */
    public static int compare(Labels a, Labels b) { return a.compareTo(b); }
}
