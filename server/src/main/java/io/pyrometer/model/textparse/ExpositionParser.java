package io.pyrometer.model.textparse;

import io.pyrometer.model.Labels;

/**
 * A pull parser over one scrape body in the Prometheus text format 0.0.4 ({@link PromTextParser})
 * or OpenMetrics 1.0 text ({@link OpenMetricsParser}), modelled on Prometheus's
 * {@code model/textparse.Parser}.
 *
 * <pre>{@code
 * ExpositionParser p = ExpositionParsers.forContentType(contentType, body, length);
 * for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
 *     if (e == Entry.SERIES) {
 *         Ref ref = cache.get(p.buf(), p.seriesStart(), p.seriesEnd()); // no allocation on hits
 *         if (ref == null) ref = cache.put(p.labels());                   // allocates on misses only
 *         append(ref, p.hasTimestamp() ? p.timestampMs() : scrapeTimeMs, p.value());
 *     }
 * }
 * }</pre>
 *
 * <p>{@link #next()} on a series line allocates nothing. Everything returned is valid until the
 * next call to {@link #next()}; copy to keep. Not thread-safe.
 */
public sealed interface ExpositionParser permits PromTextParser, OpenMetricsParser {

    /**
     * Tells the parser which series text the caller expects next (a scraper's memory of the
     * previous scrape), so a line that repeats it needs no label scanning.
     */
    interface SeriesPredictor {
        /**
         * The length of the expected series text if {@code buf[start, start + length)} equals it,
         * else -1. Only texts that this parser's format accepted in full before may be returned:
         * the parser takes them as valid without looking at their labels. Allocates nothing.
         */
        int predictedLength(byte[] buf, int start, int end);
    }

    /** What {@link #next()} found. Text-format comments are {@code COMMENT}; OpenMetrics has none. */
    enum Entry { SERIES, TYPE, HELP, UNIT, COMMENT, EOF }

    /**
     * Advances to the next entry. Blank lines (text format) are skipped. Returns {@link Entry#EOF}
     * at the end of the data (OpenMetrics: at {@code # EOF}) and on every call after that.
     *
     * @throws TextParseException on malformed input, naming line, column and what was expected
     */
    Entry next() throws TextParseException;

    /** The body being parsed; with {@link #seriesStart()}/{@link #seriesEnd()} the scrape cache key. */
    byte[] buf();

    /** Start offset in {@link #buf()} of the current series' {@code name{labels}} as written. */
    int seriesStart();

    /** End offset (exclusive) of the current series' {@code name{labels}} as written. */
    int seriesEnd();

    /** The sample value; NaN is Prometheus's normal NaN ({@code 0x7ff8000000000001}). */
    double value();

    boolean hasTimestamp();

    /** Milliseconds since the epoch (OpenMetrics seconds are converted); valid if {@link #hasTimestamp()}. */
    long timestampMs();

    /**
     * The current series' labels including {@code __name__}, unescaped, sorted, empty values
     * dropped, and {@code le}/{@code quantile} values of histograms/summaries normalised to the
     * OpenMetrics float form as Prometheus 3 does ({@code le="1"} becomes {@code le="1.0"}).
     * Allocates: call it on scrape-cache misses only.
     */
    Labels labels();

    /**
     * The metric family of the current SERIES/TYPE/HELP/UNIT entry: the metadata name if the series
     * belongs to the family announced by the last HELP/TYPE/UNIT (by name plus the suffixes its
     * type allows), else the series' own metric name. Allocates.
     */
    String metricFamily();

    /**
     * The type of a TYPE entry; for a SERIES the type of its family if it belongs to the family of
     * the last metadata lines (see {@link #metricFamily()}), else {@code UNKNOWN}; for HELP and UNIT
     * the type known so far for their family.
     */
    MetricType type();

    /** The unescaped text of a HELP entry. */
    String help();

    /** The unit of a UNIT entry ({@code ""} for the text format). */
    String unit();

    /** The raw text of a COMMENT entry, starting with {@code #}. Additive to the brief's API. */
    String comment();

    /** Fills {@code reuse} with the current series' OpenMetrics exemplar; false if it has none. */
    boolean exemplar(Exemplar reuse);

    /**
     * The OpenMetrics {@code _created} time of the current series (found in its counter, summary or
     * histogram family, matching labels apart from {@code le}/{@code quantile}), else
     * {@link Long#MIN_VALUE}. Allocates (the first call in a family reads the family once and
     * indexes its {@code _created} lines; later calls build the sample's labels for the lookup).
     */
    long createdTimestampMs();

    /**
     * Uses {@code predictor} (or none, if null) from the next series line on. A predicted line
     * that ends with its label braces is taken as the series text without scanning its labels;
     * {@link #labels()} scans them when asked. Everything else is parsed as usual.
     */
    void predictSeries(SeriesPredictor predictor);

    /**
     * The type named by the last TYPE line (of any family): it decides whether {@link #labels()}
     * normalises {@code le} (histogram) or {@code quantile} (summary) values. With
     * {@link ExpositionParsers#seriesLabels} it re-derives a series' labels from its text alone.
     */
    MetricType lastType();

    /** The current line (1-based). */
    int line();

    /**
     * Start of the current entry's raw line in {@link #buf()}. With {@link #entryEnd()}, a cache
     * key for metadata lines (TYPE/HELP/UNIT) that lets a scraper skip unchanged ones without
     * allocating. Valid until the next call to {@link #next()}.
     */
    int entryStart();

    /** End (exclusive, before the line feed) of the current entry's raw line. */
    int entryEnd();
}
