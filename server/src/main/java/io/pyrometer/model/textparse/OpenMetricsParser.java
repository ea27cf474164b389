package io.pyrometer.model.textparse;

import io.pyrometer.model.Labels;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Parser for OpenMetrics 1.0 text ({@code application/openmetrics-text}), with the strictness of
 * Prometheus's {@code openmetricslex.l}: single spaces as separators, no blank lines, only
 * {@code # HELP}/{@code # TYPE}/{@code # UNIT}/{@code # EOF} comments, timestamps in seconds
 * (with fraction), exemplars ({@code # {trace_id="x"} 1.0 123.456}), and {@code # EOF} required
 * at the very end. Quoted UTF-8 metric and label names are accepted as Prometheus 3 does.
 *
 * <p>{@code _created} lines are series like any other (Prometheus's default) unless the parser is
 * built with {@code skipCreatedSeries}; either way {@link #createdTimestampMs()} finds them.
 */
public final class OpenMetricsParser extends TextParserBase implements ExpositionParser {
    private static final MetricType[] TYPES = MetricType.values(); // values() clones on every call

    private final boolean skipCreatedSeries;
    private TextParseException failure;

    // Exemplar of the current series: label offsets as in lbl, value, optional timestamp.
    private int[] elbl = new int[4 * 4];
    private int enLabels;
    private boolean hasExemplar;
    private double exValue;
    private boolean exHasTs;
    private long exTsMs;

    // _created values of the current family by label set, built on the first request.
    private byte[] ctBuf;
    private int ctFamOffset = -1;
    private Map<Labels, Long> ctByLabels = Map.of();

    /** Parses {@code body[0, length)}. The array is not copied and must not change while parsing. */
    public OpenMetricsParser(byte[] body, int length) {
        this(body, length, false);
    }

    public OpenMetricsParser(byte[] body) {
        this(body, body.length, false);
    }

    /**
     * @param skipCreatedSeries drop {@code <family>_created} series of counters, histograms,
     *     gauge histograms and summaries (Prometheus's {@code created_timestamp_zero_ingestion})
     */
    public OpenMetricsParser(byte[] body, int length, boolean skipCreatedSeries) {
        super(body, length);
        this.skipCreatedSeries = skipCreatedSeries;
    }

    /** Starts over on a new body, reusing this parser's buffers (one parser per scrape loop). */
    @Override
    public void reset(byte[] body, int length) {
        super.reset(body, length);
        failure = null;
        hasExemplar = false;
        ctBuf = null;
        ctFamOffset = -1;
    }

    @Override
    public Entry next() throws TextParseException {
        if (failure != null) throw failure;
        try {
            for (;;) {
                Entry e = advance();
                if (e == Entry.SERIES && skipCreatedSeries && createdTimestampsApply() && isCreatedSeriesOfFamily()) {
                    continue;
                }
                return e;
            }
        } catch (TextParseException e) {
            failure = e;
            throw e;
        }
    }

    private Entry advance() throws TextParseException {
        if (entry == Entry.EOF) return Entry.EOF;
        finishLine();
        hasExemplar = false;
        entry = null;
        entryStart = lineStart;
        int p = pos;
        if (p >= end) throw error(p, "data does not end with # EOF");
        byte c = b[p];
        if (c == '#') return hashLine(p);
        if (isMetricNameStart(c) || c == '{') return series(p);
        throw expected("expected a valid start token", p);
    }

    private Entry hashLine(int p) throws TextParseException {
        if (p + 1 < end && b[p + 1] == ' ') {
            int r = p + 2;
            if (r + 4 < end && b[r + 4] == ' ') {
                if (sameAscii(r, r + 4, "HELP")) return meta(Entry.HELP, r + 5);
                if (sameAscii(r, r + 4, "TYPE")) return meta(Entry.TYPE, r + 5);
                if (sameAscii(r, r + 4, "UNIT")) return meta(Entry.UNIT, r + 5);
            }
            if (r + 3 <= end && sameAscii(r, r + 3, "EOF")) {
                int q = r + 3;
                if (q == end || (b[q] == '\n' && q + 1 == end)) {
                    pos = end;
                    return entry = Entry.EOF;
                }
                throw error(q, "unexpected data after # EOF");
            }
        }
        throw expected("expected a valid start token", p);
    }

    private Entry meta(Entry kind, int p) throws TextParseException {
        int after;
        if (p < end && isMetricNameStart(b[p])) {
            metaStart = p;
            metaEnd = after = scanMetricName(p);
        } else if (p < end && b[p] == '"') {
            after = scanQuoted(p, false);
            if (after == -2) throw invalidUtf8("metric name", p);
            if (after < 0) throw expected("expected metric name after " + kind, p);
            metaStart = p + 1;
            metaEnd = after - 1;
        } else {
            throw expected("expected metric name after " + kind, p);
        }
        int eol = after < end && b[after] == ' ' ? indexOf(after, end, (byte) '\n') : -1;
        if (eol < 0) throw error(after, "expected text in " + kind);
        textStart = after + 1;
        textEnd = eol;
        switch (kind) {
            case TYPE -> metaType = parseType(textStart, textEnd);
            case HELP -> {
                if (!validUtf8(b, textStart, textEnd)) {
                    throw error(textStart, "help text " + goQuote(b, textStart, textEnd) + " is not a valid utf8 string");
                }
            }
            case UNIT -> checkUnit();
            default -> throw new IllegalStateException(kind.name());
        }
        enterFamily(lineStart, line);
        if (kind == Entry.TYPE) {
            famType = metaType;
            lastType = metaType;
        }
        pos = eol;
        lineDone = true;
        return entry = kind;
    }

    private void checkUnit() throws TextParseException {
        int ul = textEnd - textStart;
        if (ul == 0) return;
        int ml = metaEnd - metaStart;
        boolean suffix = ml >= ul + 1 && Arrays.equals(b, metaEnd - ul, metaEnd, b, textStart, textEnd)
                && b[metaEnd - ul - 1] == '_';
        if (!suffix) {
            throw error(textStart, "unit " + goQuote(b, textStart, textEnd) + " not a suffix of metric "
                    + goQuote(b, metaStart, metaEnd));
        }
    }

    private MetricType parseType(int from, int to) throws TextParseException {
        for (MetricType t : TYPES) {
            if (sameAscii(from, to, t.openMetricsName())) return t;
        }
        throw error(from, "invalid metric type " + goQuote(b, from, to));
    }

    private Entry series(int p) throws TextParseException {
        startSeries(p);
        if (isMetricNameStart(b[p])) {
            nameStart = p;
            p = scanMetricName(p);
            nameEnd = p;
            seriesEnd = p;
            int predicted = predictedSeriesEnd(nameStart);
            if (predicted > 0) { // seen in full before: labels are scanned only if asked for
                labelsPendingAt = p + 1;
                seriesEnd = p = predicted;
            } else if (p < end && b[p] == '{') {
                p = parseLabels(p + 1, false);
                seriesEnd = p;
            }
        } else {
            p = parseLabels(p + 1, false);
            seriesEnd = p;
            if (nameStart < 0) {
                throw error(seriesStart, "metric name not set while parsing: " + goQuote(b, entryStart, lineEnd(p)));
            }
        }
        if (p >= end || b[p] != ' ') throw expected("expected value after metric", p);
        int vs = ++p;
        p = token(p);
        if (p == vs) throw expected("expected value after metric", vs);
        value = floats.parse(b, vs, p);
        if (floats.error != Floats.OK) throw floatError(vs, p);
        valueStart = vs;
        valueEnd = p;
        if (p >= end) throw error(p, "data does not end with # EOF");
        if (b[p] == ' ') {
            if (isExemplarStart(p)) {
                p = parseExemplar(p + 4);
            } else {
                p = timestamp(p);
            }
        }
        pos = p;
        lineDone = true;
        return entry = Entry.SERIES;
    }

    /** From the space before a timestamp; returns the offset of the line feed ending the line. */
    private int timestamp(int p) throws TextParseException {
        int ts = p + 1;
        if (ts >= end || b[ts] == ' ' || b[ts] == '\n' || b[ts] == 'c') throw expected("expected timestamp or # symbol", p);
        p = token(ts);
        long ms = floats.secondsToMillis(b, ts, p);
        if (floats.error != Floats.OK) throw floatError(ts, p);
        if (ms == Long.MIN_VALUE) throw error(ts, "invalid timestamp " + goFloatWord(ts, p));
        tsMs = ms;
        hasTs = true;
        if (p >= end) throw error(p, "data does not end with # EOF");
        if (b[p] == '\n') return p;
        if (isExemplarStart(p)) return parseExemplar(p + 4);
        throw expected("expected next entry after timestamp", p);
    }

    private boolean isExemplarStart(int p) {
        return p + 3 < end && b[p] == ' ' && b[p + 1] == '#' && b[p + 2] == ' ' && b[p + 3] == '{';
    }

    /** End of a run of bytes other than space and line feed. */
    private int token(int p) {
        while (p < end && b[p] != ' ' && b[p] != '\n') p++;
        return p;
    }

    /** Go's {@code %f} of NaN and infinities, for Prometheus's "invalid timestamp" wording. */
    private String goFloatWord(int from, int to) {
        double v = new Floats().parse(b, from, to);
        return Double.isNaN(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf";
    }

    /** From after {@code # {}; returns the offset of the line feed ending the line. */
    private int parseExemplar(int p) throws TextParseException {
        enLabels = 0;
        p = parseLabels(p, true);
        if (p >= end || b[p] != ' ') throw expected("expected value after exemplar labels", p);
        int vs = ++p;
        p = token(p);
        if (p == vs) throw expected("expected value after exemplar labels", vs);
        exValue = floats.parse(b, vs, p);
        if (floats.error != Floats.OK) throw floatError(vs, p);
        exHasTs = false;
        if (p < end && b[p] == ' ') {
            int ts = p + 1;
            p = token(ts);
            if (p == ts) throw expected("expected timestamp or new record", ts);
            long ms = floats.secondsToMillis(b, ts, p);
            if (floats.error != Floats.OK) throw floatError(ts, p);
            if (ms == Long.MIN_VALUE) throw error(ts, "invalid exemplar timestamp " + goFloatWord(ts, p));
            exTsMs = ms;
            exHasTs = true;
            if (p < end && b[p] != '\n') throw expected("expected next entry after exemplar timestamp", p);
        }
        if (p >= end) throw error(p, "data does not end with # EOF");
        hasExemplar = true;
        return p;
    }

    @Override
    int scanLabels(int from) throws TextParseException {
        return parseLabels(from, false);
    }

    /** Labels after {@code {} (no spaces allowed); returns the offset after {@code }}. */
    private int parseLabels(int p, boolean exemplar) throws TextParseException {
        inBraces = true;
        for (;;) {
            if (p >= end) throw expected("expected label name", p);
            byte c = b[p];
            if (c == '}') {
                inBraces = false;
                return p + 1;
            }
            int ns;
            int ne;
            int after;
            boolean quoted = false;
            if (isLabelNameStart(c)) {
                ns = p;
                ne = after = scanLabelName(p);
            } else if (c == '"') {
                after = scanQuoted(p, false);
                if (after == -2) throw invalidUtf8("label name", p);
                if (after < 0) throw expected("expected label name", p);
                ns = p + 1;
                ne = after - 1;
                quoted = true;
                nameEscapes |= quotedEscape;
            } else {
                throw expected("expected label name", p);
            }
            if (after < end && (b[after] == ',' || b[after] == '}')) {
                if (exemplar) throw expected("expected label name", after);
                if (!quoted) throw expected("expected equal", after);
                if (nameStart >= 0) {
                    throw error(p, "metric name already set while parsing: " + goQuote(b, entryStart, after + 1));
                }
                nameStart = ns;
                nameEnd = ne;
                checkNameAgainstLabels(p);
                p = b[after] == ',' ? after + 1 : after;
                continue;
            }
            if (after >= end || b[after] != '=') throw expected("expected equal", after);
            int vq = after + 1;
            if (vq >= end || b[vq] != '"') throw expected("expected label value", vq);
            int ve = scanQuoted(vq, false);
            if (ve == -2) throw invalidUtf8("label value", vq);
            if (ve < 0) throw expected("expected label value", vq);
            if (exemplar) {
                addExemplarLabel(ns, ne, vq + 1, ve - 1);
            } else {
                addLabel(ns, ne, vq + 1, ve - 1, ns);
            }
            p = ve;
            if (p < end && b[p] == ',') {
                p++;
            } else if (p >= end || b[p] != '}') {
                throw expected("expected comma or brace close", p);
            }
        }
    }

    private void addExemplarLabel(int ns, int ne, int vs, int ve) throws TextParseException {
        if (ns == ne) throw error(ns, "empty label name in exemplar while parsing: " + goQuote(b, entryStart, ns + 2));
        for (int i = 0, n = enLabels * 4; i < n; i += 4) {
            if (Arrays.equals(b, elbl[i], elbl[i + 1], b, ns, ne)) {
                throw error(ns, "label name " + goQuote(b, ns, ne) + " is not unique in exemplar while parsing: "
                        + goQuote(b, entryStart, ne));
            }
        }
        int k = enLabels * 4;
        if (k + 4 > elbl.length) elbl = Arrays.copyOf(elbl, elbl.length * 2);
        elbl[k] = ns;
        elbl[k + 1] = ne;
        elbl[k + 2] = vs;
        elbl[k + 3] = ve;
        enLabels++;
    }

    @Override
    public String help() {
        return entry == Entry.HELP ? unescape(textStart, textEnd, true) : "";
    }

    /**
     * Fills {@code reuse} with the exemplar of the current series. As in Prometheus, OpenMetrics
     * has at most one exemplar per sample, so a second call for the same sample returns false.
     */
    @Override
    public boolean exemplar(Exemplar reuse) {
        if (entry != Entry.SERIES || !hasExemplar) return false;
        hasExemplar = false;
        String[] pairs = new String[2 * enLabels];
        int n = 0;
        for (int i = 0, k = enLabels * 4; i < k; i += 4) {
            String v = unescape(elbl[i + 2], elbl[i + 3], true);
            if (v.isEmpty()) continue;
            pairs[n++] = unescape(elbl[i], elbl[i + 1], true);
            pairs[n++] = v;
        }
        reuse.set(Labels.of(n == pairs.length ? pairs : Arrays.copyOf(pairs, n)), exValue, exHasTs, exTsMs);
        return true;
    }

    private boolean createdTimestampsApply() {
        return famType == MetricType.COUNTER || famType == MetricType.HISTOGRAM
                || famType == MetricType.SUMMARY || famType == MetricType.GAUGE_HISTOGRAM;
    }

    @Override
    public long createdTimestampMs() {
        if (entry != Entry.SERIES || !createdTimestampsApply() || !seriesInFamily() || isCreatedSeriesOfFamily()) {
            return Long.MIN_VALUE;
        }
        if (ctBuf != b || ctFamOffset != famOffset) indexCreatedTimestamps();
        if (ctByLabels.isEmpty()) return Long.MIN_VALUE;
        Long ct = ctByLabels.get(createdKey(labels(), famType));
        return ct == null ? Long.MIN_VALUE : ct;
    }

    /** Reads the current family once from its first metadata line and records every _created value. */
    private void indexCreatedTimestamps() {
        ctBuf = b;
        ctFamOffset = famOffset;
        Map<Labels, Long> found = new HashMap<>();
        OpenMetricsParser sub = new OpenMetricsParser(b, end);
        sub.seekTo(famOffset, famLine);
        try {
            for (Entry e = sub.next(); e != Entry.EOF; e = sub.next()) {
                if (e == Entry.SERIES && !sub.seriesInFamily()) break;
                if (sub.famStart < 0 || !Arrays.equals(b, sub.famStart, sub.famEnd, b, famStart, famEnd)) break;
                if (e == Entry.SERIES && sub.isCreatedSeriesOfFamily()) {
                    long ms = sub.floats.secondsToMillis(b, sub.valueStart, sub.valueEnd);
                    if (sub.floats.error == Floats.OK && ms != Long.MIN_VALUE) found.put(createdKey(sub.labels(), famType), ms);
                }
            }
        } catch (TextParseException ignored) {
            // The main parser reports the error when it reaches that line.
        }
        ctByLabels = found;
    }

    /** The labels that tie a sample to its _created line: all but the name and le/quantile. */
    private static Labels createdKey(Labels l, MetricType type) {
        String drop = switch (type) {
            case HISTOGRAM, GAUGE_HISTOGRAM -> "le";
            case SUMMARY -> "quantile";
            default -> Labels.METRIC_NAME;
        };
        return l.without(Labels.METRIC_NAME, drop);
    }

    @Override
    public String toString() {
        return "OpenMetricsParser[line=" + line + ", entry=" + entry + ", at="
                + new String(b, lineStart, Math.min(lineEnd(lineStart), lineStart + 80) - lineStart, StandardCharsets.UTF_8) + "]";
    }
}
