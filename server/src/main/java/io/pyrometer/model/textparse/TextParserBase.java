package io.pyrometer.model.textparse;

import io.pyrometer.model.Labels;
import io.pyrometer.model.textparse.ExpositionParser.Entry;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * State and byte-level helpers shared by both text parsers: the current line, the offsets of the
 * current series (name, label names and values, value, timestamp), the metadata family, error
 * wording, UTF-8 validation and the allocation-side accessors ({@link #labels()} and friends).
 *
 * <p>{@code next()} records offsets only; strings are made on request. Not thread-safe.
 */
abstract class TextParserBase {
    byte[] b;
    int end;
    /** Next byte to look at. */
    int pos;
    /** True when {@link #pos} sits on the line feed that ends the entry just returned. */
    boolean lineDone;
    int line = 1;
    int lineStart;
    /** Offset where the current entry began (for "while parsing"). */
    int entryStart;
    /** Whether the last string {@link #scanQuoted} accepted contains a backslash. */
    boolean quotedEscape;
    /** Whether a quoted label name of the current series has escapes (only then can two raw names differ yet be equal). */
    boolean nameEscapes;
    /** Where the quoted string {@link #scanQuoted} rejected as invalid UTF-8 ends. */
    int invalidQuotedEnd = -1;
    /** True while scanning inside braces: only changes how errors name a word. */
    boolean inBraces;
    Entry entry;
    final Floats floats = new Floats();

    // Current series (valid after SERIES).
    int seriesStart;
    int seriesEnd;
    int nameStart = -1;
    int nameEnd = -1;
    int valueStart;
    int valueEnd;
    double value;
    boolean hasTs;
    long tsMs;
    /** Per label: name start, name end, value start, value end (quotes excluded). */
    int[] lbl = new int[4 * 16];
    int nLabels;
    /** Offset after the current series' opening brace when its labels are not scanned yet, else -1. */
    int labelsPendingAt = -1;
    ExpositionParser.SeriesPredictor predictor;

    // Current HELP/TYPE/UNIT/COMMENT (valid after those entries).
    int metaStart;
    int metaEnd;
    int textStart;
    int textEnd;
    MetricType metaType = MetricType.UNKNOWN;

    // The family announced by the last HELP/TYPE/UNIT; famStart < 0 when none yet.
    int famStart = -1;
    int famEnd;
    MetricType famType = MetricType.UNKNOWN;
    /** Offset and line of the first metadata line of the current family. */
    int famOffset;
    int famLine;
    /** The type from the last TYPE line, whatever family: Prometheus normalises le/quantile by it. */
    MetricType lastType = MetricType.UNKNOWN;

    TextParserBase(byte[] body, int length) {
        resetBase(body, length);
    }

    /** Starts over on a new body, keeping the buffers grown so far; subclasses add their state. */
    void reset(byte[] body, int length) {
        resetBase(body, length);
    }

    private void resetBase(byte[] body, int length) {
        if (length < 0 || length > body.length) {
            throw new IllegalArgumentException("length out of range [length=" + length + ", capacity=" + body.length + "]");
        }
        b = body;
        end = length;
        pos = 0;
        lineDone = false;
        line = 1;
        lineStart = 0;
        inBraces = false;
        entry = null;
        nameStart = nameEnd = -1;
        nLabels = 0;
        hasTs = false;
        famStart = -1;
        famType = MetricType.UNKNOWN;
        lastType = MetricType.UNKNOWN;
    }

    /** Positions at the start of a line (used to re-read a family from its first metadata line). */
    final void seekTo(int offset, int lineNo) {
        pos = offset;
        line = lineNo;
        lineStart = offset;
        lineDone = false;
        entry = null;
    }

    /** Whether the current series' name is {@code <family>_created} (with a known family). */
    final boolean isCreatedSeriesOfFamily() {
        return famStart >= 0 && nameEnd - nameStart == famEnd - famStart + 8
                && sameAscii(nameEnd - 8, nameEnd, "_created") && seriesInFamily();
    }

    /** Steps over the line feed that ended the previous entry. */
    final void finishLine() {
        if (lineDone) {
            lineDone = false;
            if (pos < end) newline(pos);
        }
    }

    /** Records that {@code b[lf]} is a line feed and moves past it. */
    final void newline(int lf) {
        pos = lf + 1;
        line++;
        lineStart = pos;
    }

    final void startSeries(int at) {
        entryStart = lineStart;
        seriesStart = at;
        nameStart = nameEnd = -1;
        nLabels = 0;
        hasTs = false;
        nameEscapes = false;
        labelsPendingAt = -1;
    }

    public void predictSeries(ExpositionParser.SeriesPredictor p) {
        predictor = p;
    }

    public MetricType lastType() { return lastType; }

    /** Sets {@link #lastType} (re-deriving labels from a series text alone). */
    final void lastType(MetricType t) { lastType = t; }

    /**
     * If the predictor expects the series text that starts at {@code start} (a metric name) and
     * that text ends with its label braces, the offset after the closing brace; else -1. The
     * labels are then scanned only if {@link #labels()} asks ({@link #labelsPendingAt}).
     */
    final int predictedSeriesEnd(int start) {
        if (predictor == null) return -1;
        int len = predictor.predictedLength(b, start, end);
        if (len <= 0 || b[start + len - 1] != '}') return -1;
        return start + len;
    }

    /** Scans labels from {@code from} (after the opening brace) into {@link #lbl}; returns the offset after the closing brace. */
    abstract int scanLabels(int from) throws TextParseException;

    /** Scans the labels of a predicted series (they were valid when first seen, so this cannot fail). */
    private void ensureLabels() {
        if (labelsPendingAt < 0) return;
        int from = labelsPendingAt;
        labelsPendingAt = -1;
        nLabels = 0;
        nameEscapes = false;
        try {
            scanLabels(from);
        } catch (TextParseException e) {
            throw new IllegalStateException("predicted series text no longer parses [line=" + line + "]", e);
        }
    }

    // ---- character classes -------------------------------------------------------------------

    private static final byte METRIC_START = 1;
    private static final byte METRIC_CHAR = 2;
    private static final byte LABEL_START = 4;
    private static final byte LABEL_CHAR = 8;
    /** Bytes that end a fast scan inside a quoted string: quote, backslash, line feed, non-ASCII. */
    private static final byte QUOTED_STOP = 16;
    /** Bytes that end a text-format value: blank, tab, line feed, opening brace. */
    static final byte VALUE_STOP = 32;
    /** Character classes by byte value (negative bytes map to 128..255). */
    private static final byte[] CLASS = new byte[256];

    static {
        for (int c = 0; c < 256; c++) {
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
            boolean digit = c >= '0' && c <= '9';
            int k = 0;
            if (letter || c == ':') k |= METRIC_START | METRIC_CHAR;
            if (digit) k |= METRIC_CHAR | LABEL_CHAR;
            if (letter) k |= LABEL_START | LABEL_CHAR;
            if (c == '"' || c == '\\' || c == '\n' || c >= 0x80) k |= QUOTED_STOP;
            if (c == ' ' || c == '\t' || c == '\n' || c == '{') k |= VALUE_STOP;
            CLASS[c] = (byte) k;
        }
    }

    static boolean endsTextValue(byte c) {
        return (CLASS[c & 0xff] & VALUE_STOP) != 0;
    }

    static boolean isMetricNameStart(byte c) {
        return (CLASS[c & 0xff] & METRIC_START) != 0;
    }

    static boolean isMetricNameChar(byte c) {
        return (CLASS[c & 0xff] & METRIC_CHAR) != 0;
    }

    static boolean isLabelNameStart(byte c) {
        return (CLASS[c & 0xff] & LABEL_START) != 0;
    }

    static boolean isLabelNameChar(byte c) {
        return (CLASS[c & 0xff] & LABEL_CHAR) != 0;
    }

    final int scanMetricName(int p) {
        while (p < end && isMetricNameChar(b[p])) p++;
        return p;
    }

    final int scanLabelName(int p) {
        while (p < end && isLabelNameChar(b[p])) p++;
        return p;
    }

    /**
     * From the opening quote at {@code p}, the offset after the closing quote, or -1 if the string
     * does not close ({@code allowLineFeed} false: before the end of the line). Backslash escapes
     * any byte. Validates UTF-8; returns -2 if invalid.
     */
    final int scanQuoted(int p, boolean allowLineFeed) {
        invalidQuotedEnd = -1;
        quotedEscape = false;
        boolean ascii = true;
        int i = p + 1;
        while (i < end) {
            i = skipPlainQuoted(i);
            if (i >= end) break;
            byte c = b[i];
            if ((CLASS[c & 0xff] & QUOTED_STOP) == 0) {
                i++;
                continue;
            }
            if (c == '"') {
                if (!ascii && !validUtf8(b, p + 1, i)) {
                    invalidQuotedEnd = i + 1;
                    return -2;
                }
                return i + 1;
            }
            if (c == '\\') {
                quotedEscape = true;
                if (i + 1 < end) {
                    byte e = b[i + 1];
                    if (e == '\n') {
                        if (!allowLineFeed) return -1;
                        line++;
                        lineStart = i + 2;
                    }
                    if (e < 0) ascii = false;
                }
                i += 2;
                continue;
            }
            if (c == '\n') {
                if (!allowLineFeed) return -1;
                line++;
                lineStart = i + 1;
            } else {
                ascii = false; // c >= 0x80
            }
            i++;
        }
        return -1;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /**
     * Skips bytes that need no attention inside a quoted string eight at a time (SWAR): returns the
     * offset of the first quote, backslash, line feed or non-ASCII byte, or a position near the end
     * where the byte loop takes over. Never looks past {@link #end}.
     */
    private int skipPlainQuoted(int i) {
        while (i + 8 <= end) {
            long x = (long) LONGS.get(b, i);
            long stop = zeroByte(x ^ (ONES * '"')) | zeroByte(x ^ (ONES * '\\')) | zeroByte(x ^ (ONES * '\n')) | (x & HIGHS);
            if (stop != 0) return i + (Long.numberOfTrailingZeros(stop) >>> 3);
            i += 8;
        }
        return i;
    }

    /** High bit set in the lowest zero byte of {@code v} (bits above it may be spurious). */
    private static long zeroByte(long v) {
        return (v - ONES) & ~v & HIGHS;
    }

    // ---- labels --------------------------------------------------------------------------------

    /** Records a label; rejects a name already present (or {@code __name__} when the name is set). */
    final void addLabel(int ns, int ne, int vs, int ve, int errAt) throws TextParseException {
        if (ns == ne) throw error(errAt, "empty label name while parsing: " + goQuote(b, entryStart, errAt + 2));
        for (int i = 0, n = nLabels * 4; i < n; i += 4) {
            if (sameText(lbl[i], lbl[i + 1], ns, ne)) throw duplicate(ns, ne, errAt);
        }
        if (nameStart >= 0 && sameAscii(ns, ne, Labels.METRIC_NAME)) throw duplicate(ns, ne, errAt);
        int k = nLabels * 4;
        if (k + 4 > lbl.length) lbl = Arrays.copyOf(lbl, lbl.length * 2);
        lbl[k] = ns;
        lbl[k + 1] = ne;
        lbl[k + 2] = vs;
        lbl[k + 3] = ve;
        nLabels++;
    }

    /** Checks that a quoted metric name does not clash with an explicit {@code __name__} label. */
    final void checkNameAgainstLabels(int errAt) throws TextParseException {
        if (nameStart == nameEnd) throw error(errAt, "empty metric name while parsing: " + goQuote(b, entryStart, errAt + 2));
        for (int i = 0, n = nLabels * 4; i < n; i += 4) {
            if (sameAscii(lbl[i], lbl[i + 1], Labels.METRIC_NAME)) throw duplicate(lbl[i], lbl[i + 1], errAt);
        }
    }

    private TextParseException duplicate(int ns, int ne, int errAt) {
        return error(errAt, "label name " + goQuote(b, ns, ne) + " is not unique while parsing: " + goQuote(b, entryStart, errAt));
    }

    /** Compares two raw ranges as unescaped text (escapes are rare: fast when there are none). */
    private boolean sameText(int as, int ae, int bs, int be) {
        if (ae - as == be - bs && sameBytes(as, bs, ae - as)) return true;
        return nameEscapes && unescape(as, ae, true).equals(unescape(bs, be, true));
    }

    /** Byte comparison of two short ranges (label names): cheaper than Arrays.equals at this size. */
    private boolean sameBytes(int a, int c, int len) {
        for (int i = 0; i < len; i++) if (b[a + i] != b[c + i]) return false;
        return true;
    }

    final boolean sameAscii(int from, int to, String s) {
        if (to - from != s.length()) return false;
        for (int i = 0; i < s.length(); i++) if (b[from + i] != s.charAt(i)) return false;
        return true;
    }

    final int lineEnd(int from) {
        int i = indexOf(from, end, (byte) '\n');
        return i < 0 ? end : i;
    }

    final int skipBlanks(int p) {
        while (p < end && (b[p] == ' ' || b[p] == '\t')) p++;
        return p;
    }

    /** A quoted string that is not valid UTF-8, in Prometheus's words. */
    final TextParseException invalidUtf8(String what, int quoteStart) {
        return error(quoteStart, "invalid UTF-8 " + what + ": " + goQuote(b, quoteStart, invalidQuotedEnd));
    }

    final int indexOf(int from, int to, byte c) {
        for (int i = from; i < to; i++) if (b[i] == c) return i;
        return -1;
    }

    // ---- accessors that allocate (cache-miss path) --------------------------------------------

    public Labels labels() {
        if (entry != Entry.SERIES) return Labels.EMPTY;
        ensureLabels();
        String[] pairs = new String[2 + 2 * nLabels];
        int n = 0;
        String name = unescape(nameStart, nameEnd, true);
        if (!name.isEmpty()) {
            pairs[n++] = Labels.METRIC_NAME;
            pairs[n++] = name;
        }
        for (int i = 0, k = nLabels * 4; i < k; i += 4) {
            String ln = unescape(lbl[i], lbl[i + 1], true);
            String lv = unescape(lbl[i + 2], lbl[i + 3], true);
            if (lv.isEmpty()) continue;
            pairs[n++] = ln;
            pairs[n++] = normalizeFloatLabel(ln, lv);
        }
        return Labels.of(n == pairs.length ? pairs : Arrays.copyOf(pairs, n));
    }

    /** Prometheus 3 rewrites {@code le} of histograms and {@code quantile} of summaries as floats. */
    private String normalizeFloatLabel(String name, String v) {
        boolean applies = (lastType == MetricType.HISTOGRAM && name.equals("le"))
                || (lastType == MetricType.SUMMARY && name.equals("quantile"));
        if (!applies) return v;
        byte[] vb = v.getBytes(StandardCharsets.UTF_8);
        Floats f = new Floats();
        double d = f.parse(vb, 0, vb.length);
        return f.error == Floats.OK ? Floats.formatOpenMetrics(d) : v;
    }

    public String metricFamily() {
        return switch (entry) {
            case SERIES -> seriesInFamily() ? unescape(famStart, famEnd, true) : unescape(nameStart, nameEnd, true);
            case TYPE, HELP, UNIT -> unescape(metaStart, metaEnd, true);
            case null, default -> "";
        };
    }

    /** Whether the current series is the metadata family's name, or it plus a suffix its type allows. */
    final boolean seriesInFamily() {
        if (famStart < 0 || nameStart < 0) return false;
        int fl = famEnd - famStart;
        int nl = nameEnd - nameStart;
        if (nl < fl || !Arrays.equals(b, famStart, famEnd, b, nameStart, nameStart + fl)) return false;
        if (nl == fl) return true;
        int s = nameStart + fl;
        return switch (famType) {
            case COUNTER -> sameAscii(s, nameEnd, "_total") || sameAscii(s, nameEnd, "_created");
            case HISTOGRAM -> sameAscii(s, nameEnd, "_bucket") || sameAscii(s, nameEnd, "_count")
                    || sameAscii(s, nameEnd, "_sum") || sameAscii(s, nameEnd, "_created");
            case GAUGE_HISTOGRAM -> sameAscii(s, nameEnd, "_bucket") || sameAscii(s, nameEnd, "_gcount")
                    || sameAscii(s, nameEnd, "_gsum") || sameAscii(s, nameEnd, "_created");
            case SUMMARY -> sameAscii(s, nameEnd, "_count") || sameAscii(s, nameEnd, "_sum")
                    || sameAscii(s, nameEnd, "_created");
            case INFO -> sameAscii(s, nameEnd, "_info");
            case GAUGE, STATESET, UNKNOWN -> false;
        };
    }

    /** Makes the metadata name of the current HELP/TYPE/UNIT line the current family. */
    final void enterFamily(int entryOffset, int entryLine) {
        int len = metaEnd - metaStart;
        if (famStart >= 0 && famEnd - famStart == len && Arrays.equals(b, famStart, famEnd, b, metaStart, metaEnd)) return;
        famStart = metaStart;
        famEnd = metaEnd;
        famType = MetricType.UNKNOWN;
        famOffset = entryOffset;
        famLine = entryLine;
    }

    public MetricType type() {
        return switch (entry) {
            case TYPE -> metaType;
            case SERIES -> seriesInFamily() ? famType : MetricType.UNKNOWN;
            case null -> MetricType.UNKNOWN;
            default -> famType;
        };
    }

    public String unit() {
        return entry == Entry.UNIT ? new String(b, textStart, textEnd - textStart, StandardCharsets.UTF_8) : "";
    }

    public String comment() {
        return entry == Entry.COMMENT ? new String(b, textStart, textEnd - textStart, StandardCharsets.UTF_8) : "";
    }

    public byte[] buf() { return b; }
    public int seriesStart() { return seriesStart; }
    public int seriesEnd() { return seriesEnd; }
    public double value() { return value; }
    public boolean hasTimestamp() { return hasTs; }
    public long timestampMs() { return tsMs; }
    public int line() { return line; }

    public int entryStart() { return entryStart; }

    public int entryEnd() { return lineEnd(entryStart); }

    /**
     * Unescapes {@code \\}, {@code \n} and (if {@code quotes}) {@code \"}; other backslashes stay,
     * as in Prometheus's replacers.
     */
    final String unescape(int from, int to, boolean quotes) {
        if (from < 0) return "";
        int bs = indexOf(from, to, (byte) '\\');
        if (bs < 0) return new String(b, from, to - from, StandardCharsets.UTF_8);
        byte[] out = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c == '\\' && i + 1 < to) {
                byte e = b[i + 1];
                if (e == '\\' || e == 'n' || (quotes && e == '"')) {
                    out[n++] = e == 'n' ? (byte) '\n' : e;
                    i++;
                    continue;
                }
            }
            out[n++] = c;
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    // ---- errors --------------------------------------------------------------------------------

    final TextParseException error(int at, String message) {
        return new TextParseException(line, Math.max(1, at - lineStart + 1), message);
    }

    /** {@code <what>, got "<token>" ("<KIND>") while parsing: "<line so far>"}, as Prometheus words it. */
    final TextParseException expected(String what, int at) {
        int tokEnd;
        String kind;
        if (at >= end) {
            tokEnd = end;
            kind = "EOF";
        } else {
            byte c = b[at];
            tokEnd = at + 1;
            kind = "INVALID";
            if (isMetricNameStart(c)) {
                tokEnd = inBraces ? scanLabelName(at) : scanMetricName(at);
                if (tokEnd == at) tokEnd = at + 1;
                kind = inBraces ? "LNAME" : "MNAME";
            } else if (c == '=') {
                kind = "EQUAL";
            } else if (c == ',') {
                kind = "COMMA";
            } else if (c == '{') {
                kind = "BOPEN";
            } else if (c == '}') {
                kind = "BCLOSE";
            } else if (c == '"') {
                int q = scanQuoted(at, false);
                if (q > 0) {
                    tokEnd = q;
                    kind = "QSTRING";
                } else {
                    int lf = indexOf(at, end, (byte) '\n');
                    tokEnd = lf < 0 ? end : lf;
                }
            }
        }
        return error(at, what + ", got " + goQuote(b, at, tokEnd) + " (\"" + kind + "\") while parsing: "
                + goQuote(b, entryStart, tokEnd));
    }

    /** The failure of {@link Floats#parse} in Go's words. */
    final TextParseException floatError(int from, int to) {
        String detail = switch (floats.error) {
            case Floats.UNSUPPORTED -> "unsupported character in float";
            case Floats.RANGE -> "strconv.ParseFloat: parsing " + goQuote(b, from, to) + ": value out of range";
            default -> "strconv.ParseFloat: parsing " + goQuote(b, from, to) + ": invalid syntax";
        };
        return error(from, detail + " while parsing: " + goQuote(b, entryStart, to));
    }

    /** Like Go's {@code %q} of a byte slice: printable UTF-8 kept, everything else escaped. */
    static String goQuote(byte[] b, int from, int to) {
        StringBuilder sb = new StringBuilder(to - from + 8).append('"');
        int i = from;
        while (i < to) {
            int c = b[i] & 0xff;
            if (c >= 0x80) {
                int n = utf8Length(b, i, to);
                if (n > 0) {
                    sb.append(new String(b, i, n, StandardCharsets.UTF_8));
                    i += n;
                } else {
                    sb.append(String.format("\\x%02x", c));
                    i++;
                }
                continue;
            }
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) sb.append(String.format("\\x%02x", c));
                    else sb.append((char) c);
                }
            }
            i++;
        }
        return sb.append('"').toString();
    }

    // ---- UTF-8 ---------------------------------------------------------------------------------

    static boolean validUtf8(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            if (b[i] >= 0) {
                i++;
                continue;
            }
            int n = utf8Length(b, i, to);
            if (n == 0) return false;
            i += n;
        }
        return true;
    }

    /** Length of the well-formed UTF-8 sequence starting at {@code b[i]} (a byte >= 0x80), or 0. */
    static int utf8Length(byte[] b, int i, int to) {
        int c = b[i] & 0xff;
        int n;
        int lo = 0x80;
        int hi = 0xbf;
        if (c >= 0xc2 && c <= 0xdf) {
            n = 2;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 3;
            if (c == 0xe0) lo = 0xa0;
            if (c == 0xed) hi = 0x9f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 4;
            if (c == 0xf0) lo = 0x90;
            if (c == 0xf4) hi = 0x8f;
        } else {
            return 0;
        }
        if (i + n > to) return 0;
        int c1 = b[i + 1] & 0xff;
        if (c1 < lo || c1 > hi) return 0;
        for (int k = 2; k < n; k++) {
            int ck = b[i + k] & 0xff;
            if (ck < 0x80 || ck > 0xbf) return 0;
        }
        return n;
    }
}
