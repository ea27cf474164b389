package io.pyrometer.model.textparse;

import io.pyrometer.model.Labels;
import io.pyrometer.model.textparse.ExpositionParser.Entry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** One entry as a test sees it; {@link #readAll} drains a parser into a list of these. */
record ParsedEntry(Entry entry, String m, Labels lset, double v, Long t, String text, MetricType typ,
                   Labels exemplarLabels, Double exemplarValue, Long exemplarTs, Long ct) {

    static ParsedEntry help(String m, String help) {
        return new ParsedEntry(Entry.HELP, m, null, 0, null, help, null, null, null, null, null);
    }

    static ParsedEntry type(String m, MetricType typ) {
        return new ParsedEntry(Entry.TYPE, m, null, 0, null, null, typ, null, null, null, null);
    }

    static ParsedEntry unit(String m, String unit) {
        return new ParsedEntry(Entry.UNIT, m, null, 0, null, unit, null, null, null, null, null);
    }

    static ParsedEntry comment(String text) {
        return new ParsedEntry(Entry.COMMENT, null, null, 0, null, text, null, null, null, null, null);
    }

    static ParsedEntry series(String m, double v, String... lset) {
        return new ParsedEntry(Entry.SERIES, m, Labels.of(lset), v, null, null, null, null, null, null, null);
    }

    ParsedEntry at(long ts) {
        return new ParsedEntry(entry, m, lset, v, ts, text, typ, exemplarLabels, exemplarValue, exemplarTs, ct);
    }

    ParsedEntry exemplar(double value, Long ts, String... labels) {
        return new ParsedEntry(entry, m, lset, v, t, text, typ, Labels.of(labels), value, ts, ct);
    }

    ParsedEntry created(long ctMs) {
        return new ParsedEntry(entry, m, lset, v, t, text, typ, exemplarLabels, exemplarValue, exemplarTs, ctMs);
    }

    /** Drains the parser until EOF, recording what each entry exposes. */
    static List<ParsedEntry> readAll(ExpositionParser p) throws TextParseException {
        List<ParsedEntry> out = new ArrayList<>();
        Exemplar ex = new Exemplar();
        for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
            out.add(switch (e) {
                case HELP -> help(p.metricFamily(), p.help());
                case TYPE -> type(p.metricFamily(), p.type());
                case UNIT -> unit(p.metricFamily(), p.unit());
                case COMMENT -> comment(p.comment());
                case SERIES -> {
                    String raw = new String(p.buf(), p.seriesStart(), p.seriesEnd() - p.seriesStart(), StandardCharsets.UTF_8);
                    boolean hasEx = p.exemplar(ex);
                    long ct = p.createdTimestampMs();
                    yield new ParsedEntry(Entry.SERIES, raw, p.labels(), p.value(), p.hasTimestamp() ? p.timestampMs() : null,
                            null, null, hasEx ? ex.labels() : null, hasEx ? ex.value() : null,
                            hasEx && ex.hasTimestamp() ? ex.timestampMs() : null, ct == Long.MIN_VALUE ? null : ct);
                }
                case EOF -> throw new AssertionError();
            });
        }
        return out;
    }

    /** The value compared bit for bit, so NaN equals NaN and -0.0 differs from 0.0. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ParsedEntry x && entry == x.entry && java.util.Objects.equals(m, x.m)
                && java.util.Objects.equals(lset, x.lset) && Double.doubleToLongBits(v) == Double.doubleToLongBits(x.v)
                && java.util.Objects.equals(t, x.t) && java.util.Objects.equals(text, x.text) && typ == x.typ
                && java.util.Objects.equals(exemplarLabels, x.exemplarLabels)
                && java.util.Objects.equals(exemplarValue, x.exemplarValue)
                && java.util.Objects.equals(exemplarTs, x.exemplarTs) && java.util.Objects.equals(ct, x.ct);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(entry, m, t);
    }
}
