package io.pyrometer.model.textparse;

import java.nio.charset.StandardCharsets;

/**
 * Parser for the Prometheus text exposition format 0.0.4 (and {@code text/plain;version=1.0.0},
 * which adds quoted UTF-8 names), following the grammar Prometheus's {@code promlex.l} accepts:
 * blanks and tabs between tokens, {@code # HELP}/{@code # TYPE} after {@code #} plus blanks,
 * other {@code #} lines as comments, blank lines skipped, an optional integer millisecond
 * timestamp, {@code name { a = "b" c="d", }} spacing and missing commas tolerated.
 */
public final class PromTextParser extends TextParserBase implements ExpositionParser {
    private TextParseException failure;

    /** Parses {@code body[0, length)}. The array is not copied and must not change while parsing. */
    public PromTextParser(byte[] body, int length) {
        super(body, length);
    }

    public PromTextParser(byte[] body) {
        this(body, body.length);
    }

    /** Starts over on a new body, reusing this parser's buffers (one parser per scrape loop). */
    @Override
    public void reset(byte[] body, int length) {
        super.reset(body, length);
        failure = null;
    }

    @Override
    public Entry next() throws TextParseException {
        if (failure != null) throw failure;
        try {
            return advance();
        } catch (TextParseException e) {
            failure = e;
            throw e;
        }
    }

    private Entry advance() throws TextParseException {
        if (entry == Entry.EOF) return Entry.EOF;
        finishLine();
        for (;;) {
            int p = skipBlanks(pos);
            if (p >= end) {
                pos = end;
                return entry = Entry.EOF;
            }
            byte c = b[p];
            if (c == '\n') {
                newline(p);
                continue;
            }
            entry = null;
            return c == '#' ? comment(p) : series(p);
        }
    }

    private Entry series(int p) throws TextParseException {
        startSeries(p);
        byte c = b[p];
        if (isMetricNameStart(c)) {
            nameStart = p;
            p = scanMetricName(p);
            nameEnd = p;
            seriesEnd = p;
            int q = skipBlanks(p);
            int predicted = predictedSeriesEnd(nameStart);
            if (predicted > 0) { // seen in full before: labels are scanned only if asked for
                labelsPendingAt = q + 1;
                seriesEnd = predicted;
                p = skipBlanks(predicted);
            } else if (q < end && b[q] == '{') {
                p = parseLabels(q + 1);
                seriesEnd = p;
                p = skipBlanks(p);
            } else if (q == p) {
                throw expected("expected value after metric", p);
            } else {
                p = q;
            }
        } else if (c == '{') {
            p = parseLabels(p + 1);
            seriesEnd = p;
            if (nameStart < 0) {
                throw error(seriesStart, "metric name not set while parsing: " + goQuote(b, entryStart, lineEnd(p)));
            }
            p = skipBlanks(p);
        } else {
            throw expected("expected a valid start token", p);
        }
        return valueAndTimestamp(p);
    }

    private Entry valueAndTimestamp(int p) throws TextParseException {
        int vs = p;
        while (p < end && !endsTextValue(b[p])) p++;
        if (p == vs) throw expected("expected value after metric", vs);
        value = floats.parse(b, vs, p);
        if (floats.error != Floats.OK) throw floatError(vs, p);
        valueStart = vs;
        valueEnd = p;
        p = skipBlanks(p);
        if (p < end && b[p] != '\n') {
            if (b[p] < '0' || b[p] > '9') throw expected("expected timestamp or new record", p);
            int ts = p;
            long t = 0;
            while (p < end && b[p] >= '0' && b[p] <= '9') {
                int d = b[p] - '0';
                if (t > (Long.MAX_VALUE - d) / 10) {
                    int te = p;
                    while (te < end && b[te] >= '0' && b[te] <= '9') te++;
                    throw error(ts, "strconv.ParseInt: parsing " + goQuote(b, ts, te) + ": value out of range while parsing: "
                            + goQuote(b, entryStart, te));
                }
                t = t * 10 + d;
                p++;
            }
            p = skipBlanks(p);
            if (p < end && b[p] != '\n') throw expected("expected next entry after timestamp", p);
            tsMs = t;
            hasTs = true;
        }
        pos = p;
        lineDone = p < end;
        return entry = Entry.SERIES;
    }

    @Override
    int scanLabels(int from) throws TextParseException {
        return parseLabels(from);
    }

    /** Labels after {@code {}; returns the offset after {@code }}. */
    private int parseLabels(int p) throws TextParseException {
        inBraces = true;
        for (;;) {
            p = skipBlanks(p);
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
                after = scanQuoted(p, true);
                if (after == -2) throw invalidUtf8("label name", p);
                if (after < 0) throw expected("expected label name", p);
                ns = p + 1;
                ne = after - 1;
                quoted = true;
                nameEscapes |= quotedEscape;
            } else {
                throw expected("expected label name", p);
            }
            int q = skipBlanks(after);
            if (quoted && q < end && (b[q] == ',' || b[q] == '}')) {
                if (nameStart >= 0) {
                    throw error(p, "metric name already set while parsing: " + goQuote(b, entryStart, q + 1));
                }
                nameStart = ns;
                nameEnd = ne;
                checkNameAgainstLabels(p);
                p = b[q] == ',' ? q + 1 : q;
                continue;
            }
            if (q >= end || b[q] != '=') throw expected("expected equal", q);
            int vq = skipBlanks(q + 1);
            if (vq >= end || b[vq] != '"') throw expected("expected label value", vq);
            int ve = scanQuoted(vq, true);
            if (ve == -2) throw invalidUtf8("label value", vq);
            if (ve < 0) throw expected("expected label value", vq);
            addLabel(ns, ne, vq + 1, ve - 1, ns);
            p = skipBlanks(ve);
            if (p < end && b[p] == ',') p++;
        }
    }

    private Entry comment(int p) throws TextParseException {
        entryStart = lineStart;
        int q = p + 1;
        if (q < end && (b[q] == ' ' || b[q] == '\t')) {
            int r = skipBlanks(q);
            if (r + 4 < end && (b[r + 4] == ' ' || b[r + 4] == '\t')) {
                if (sameAscii(r, r + 4, "HELP")) return meta(Entry.HELP, skipBlanks(r + 4));
                if (sameAscii(r, r + 4, "TYPE")) return meta(Entry.TYPE, skipBlanks(r + 4));
            }
        }
        int eol = lineEnd(p);
        textStart = p;
        textEnd = eol;
        pos = eol;
        lineDone = eol < end;
        return entry = Entry.COMMENT;
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
        int eol = lineEnd(after);
        // Like Prometheus: the text is what follows the name, minus its first byte (the separator).
        textStart = after < eol ? after + 1 : eol;
        textEnd = eol;
        if (kind == Entry.TYPE) {
            metaType = parseType(textStart, textEnd);
        } else if (!validUtf8(b, textStart, textEnd)) {
            throw error(textStart, "help text " + goQuote(b, textStart, textEnd) + " is not a valid utf8 string");
        }
        enterFamily(lineStart, line);
        if (kind == Entry.TYPE) {
            famType = metaType;
            lastType = metaType;
        }
        pos = eol;
        lineDone = eol < end;
        return entry = kind;
    }

    private MetricType parseType(int from, int to) throws TextParseException {
        if (sameAscii(from, to, "counter")) return MetricType.COUNTER;
        if (sameAscii(from, to, "gauge")) return MetricType.GAUGE;
        if (sameAscii(from, to, "histogram")) return MetricType.HISTOGRAM;
        if (sameAscii(from, to, "summary")) return MetricType.SUMMARY;
        if (sameAscii(from, to, "untyped")) return MetricType.UNKNOWN;
        throw error(from, "invalid metric type " + goQuote(b, from, to));
    }

    @Override
    public String help() {
        return entry == Entry.HELP ? unescape(textStart, textEnd, false) : "";
    }

    /** The text format has no exemplars. */
    @Override
    public boolean exemplar(Exemplar reuse) {
        return false;
    }

    /** The text format has no created timestamps. */
    @Override
    public long createdTimestampMs() {
        return Long.MIN_VALUE;
    }

    @Override
    public String toString() {
        return "PromTextParser[line=" + line + ", entry=" + entry + ", at="
                + new String(b, lineStart, Math.min(lineEnd(lineStart), lineStart + 80) - lineStart, StandardCharsets.UTF_8) + "]";
    }
}
