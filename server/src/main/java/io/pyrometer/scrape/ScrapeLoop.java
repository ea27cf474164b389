package io.pyrometer.scrape;

import io.pyrometer.model.Labels;
import io.pyrometer.model.Values;
import io.pyrometer.model.relabel.Relabeler;
import io.pyrometer.model.textparse.ExpositionParser;
import io.pyrometer.model.textparse.ExpositionParsers;
import io.pyrometer.model.textparse.MetricType;
import io.pyrometer.model.textparse.OpenMetricsParser;
import io.pyrometer.model.textparse.TextParseException;
import io.pyrometer.storage.AppendStatus;
import io.pyrometer.storage.Appendable;
import io.pyrometer.storage.Appender;

/**
 * Scrapes one target on a fixed schedule and appends what it exposes.
 *
 * <p>Start offsets are spread by a hash of the target (stable across restarts); a sample timestamp
 * within {@code timestampToleranceMs} of its schedule slot is snapped to the slot, which keeps
 * timestamp deltas constant and chunks small. Runs on one virtual thread; every field except the
 * stop flag is confined to it.
 */
final class ScrapeLoop implements Runnable {
    private static final System.Logger LOG = System.getLogger(ScrapeLoop.class.getName());

    private static final String[] REPORT_NAMES = {
        "up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling",
        "scrape_series_added"};

    private final Target target;
    private final ScrapeOptions opts;
    private final HttpScraper scraper;
    private final Appendable storage;
    private final ScrapeMetrics metrics;
    private final long offsetSeed;
    private final ScrapeCache cache = new ScrapeCache();
    /** Raw TYPE/HELP/UNIT lines already recorded in the target's metadata. */
    private final ScrapeCache metaCache = new ScrapeCache();
    private final ScrapeBuffer buffer = new ScrapeBuffer();
    private final Labels targetLabels;
    private final Labels[] reportLabels = new Labels[REPORT_NAMES.length];
    private final long[] reportRefs = new long[REPORT_NAMES.length];
    private final Labels.Builder builder = Labels.builder();
    private final Relabeler relabeler = new Relabeler();
    /** The parser class of the previous scrape: the cache predicts series texts for the parser only in the same format. */
    private Class<?> lastFormat;

    // Caller flags of scrape cache entries: how to re-derive the labels from the key bytes.
    private static final int OPEN_METRICS = ScrapeCache.FIRST_CALLER_FLAG;
    private static final int AFTER_HISTOGRAM_TYPE = ScrapeCache.FIRST_CALLER_FLAG << 1;
    private static final int AFTER_SUMMARY_TYPE = ScrapeCache.FIRST_CALLER_FLAG << 2;

    private volatile boolean stopping;
    private volatile boolean markStaleOnStop;
    private volatile Thread thread;
    private long lastScrapeStartMs = -1;

    ScrapeLoop(Target target, ScrapeOptions opts, HttpScraper scraper, Appendable storage, ScrapeMetrics metrics, long offsetSeed) {
        this.target = target;
        this.opts = opts;
        this.scraper = scraper;
        this.storage = storage;
        this.metrics = metrics;
        this.offsetSeed = offsetSeed;
        this.targetLabels = target.publicLabels();
        for (int i = 0; i < REPORT_NAMES.length; i++) {
            reportLabels[i] = targetLabels.toBuilder().set(Labels.METRIC_NAME, REPORT_NAMES[i]).build();
        }
    }

    Target target() { return target; }

    ScrapeBuffer buffer() { return buffer; }

    ScrapeCache cache() { return cache; }

    void start() {
        thread = Thread.ofVirtual().name("scrape-" + target.scrapePool() + "-" + target.url()).start(this);
    }

    /**
     * Stops the loop and waits for it. With {@code markStale} the series of the last scrape get
     * staleness markers (the target went away); on shutdown they do not (the data is still valid).
     */
    void stop(boolean markStale) {
        markStaleOnStop = markStale;
        stopping = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Milliseconds from {@code nowMs} to this target's first slot: stable per target and interval. */
    static long initialDelayMs(long targetHash, long seed, long intervalMs, long nowMs) {
        long base = intervalMs - Math.floorMod(nowMs, intervalMs);
        long offset = Math.floorMod(targetHash ^ seed, intervalMs);
        long next = base + offset;
        if (next > intervalMs) next -= intervalMs;
        return next;
    }

    @Override
    public void run() {
        long interval = opts.intervalMs();
        long scheduled = System.currentTimeMillis() + initialDelayMs(target.hash(), offsetSeed, interval, System.currentTimeMillis());
        try {
            while (!stopping) {
                long wait = scheduled - System.currentTimeMillis();
                if (wait > 0) Thread.sleep(wait);
                if (stopping) break;
                long startMs = System.currentTimeMillis();
                long ts = Math.abs(startMs - scheduled) <= opts.timestampToleranceMs() ? scheduled : startMs;
                scrapeOnce(ts, startMs);
                scheduled += interval;
                long now = System.currentTimeMillis();
                if (scheduled <= now) scheduled += ((now - scheduled) / interval + 1) * interval; // missed slots
            }
        } catch (InterruptedException e) {
            // stop() interrupts
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "scrape loop died target={0} err=\"{1}\"", target.url(), e.toString());
        }
        buffer.closeConnection();
        if (markStaleOnStop) endOfRunStaleness();
    }

    /** One scrape: fetch, parse, append, staleness, report series; commits once. Package-private for tests. */
    void scrapeOnce(long ts, long startMs) {
        long startNanos = System.nanoTime();
        if (lastScrapeStartMs >= 0) {
            metrics.intervalLength.labelValues(formatInterval(opts.intervalMs())).observe((startMs - lastScrapeStartMs) / 1000.0);
        }
        lastScrapeStartMs = startMs;
        cache.beginIteration();
        Appender app = storage.appender();
        String error = null;
        Counts c = new Counts();
        try {
            String contentType = scraper.scrape(target.url(), opts, buffer);
            appendAll(app, contentType, ts, c);
        } catch (HttpScraper.ScrapeException e) {
            if (e.bodySizeExceeded) metrics.bodySizeLimitExceeded.inc();
            error = e.getMessage();
        } catch (TextParseException e) {
            error = e.getMessage();
        } catch (ScrapeFailure e) {
            error = e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            app.rollback();
            return;
        } finally {
            buffer.release();
        }
        if (error != null) {
            // as Prometheus: drop what this scrape appended and treat it as empty, so every series
            // of the previous scrape gets a staleness marker
            app.rollback();
            app = storage.appender();
            c.postRelabel = 0;
            c.added = 0;
            cache.abortIteration();
        }
        final Appender staleApp = app;
        cache.endIteration(e -> appendStale(staleApp, e, ts));
        double durationSec = (System.nanoTime() - startNanos) / 1e9;
        report(app, ts, error == null ? 1 : 0, durationSec, c);
        app.commit();
        target.report(startMs, durationSec, error, c.postRelabel);
        metrics.scrapesTotal.labelValues(target.scrapePool(), error == null ? "success" : "failure").inc();
        if (error != null) {
            LOG.log(System.Logger.Level.DEBUG, "scrape failed target={0} err=\"{1}\"", target.url(), error);
        }
    }

    /** Scrape counters, reset per scrape. */
    static final class Counts {
        long scraped, postRelabel, added;
    }

    /** A whole-scrape failure found while appending (limits, invalid labels). */
    static final class ScrapeFailure extends Exception {
        ScrapeFailure(String message) { super(message, null, false, false); }
    }

    /**
     * Parses the body in the loop's buffer and appends every series. Package-private for the
     * benchmark, which fills {@link #buffer()} directly.
     */
    void appendAll(Appender app, String contentType, long ts, Counts c) throws TextParseException, ScrapeFailure {
        byte[] buf = buffer.buf;
        ExpositionParser p = ExpositionParsers.forContentType(contentType, buf, buffer.length);
        cache.predictForParser(p.getClass() == lastFormat);
        lastFormat = p.getClass();
        p.predictSeries(cache);
        metaCache.beginIteration();
        ExpositionParser.Entry en;
        while ((en = p.next()) != ExpositionParser.Entry.EOF) {
            switch (en) {
                case SERIES -> appendSeries(app, p, buf, ts, c);
                case TYPE, HELP, UNIT -> updateMetadata(p, en, buf);
                default -> { }
            }
        }
        metaCache.endIteration(e -> { });
    }

    /**
     * Records a TYPE/HELP/UNIT line in the target's metadata. Lines seen before (same bytes) are
     * skipped without allocating: metadata rarely changes between scrapes.
     */
    private void updateMetadata(ExpositionParser p, ExpositionParser.Entry en, byte[] buf) {
        int s = p.entryStart(), e = p.entryEnd();
        int h = ScrapeCache.hash(buf, s, e);
        int seen = metaCache.get(buf, s, e, h);
        if (seen < 0) {
            String family = p.metricFamily();
            Target.Metadata empty = new Target.Metadata("unknown", "", "");
            Target.Metadata old = target.metadata().getOrDefault(family, empty);
            Target.Metadata m = switch (en) {
                case TYPE -> new Target.Metadata(p.type().name().toLowerCase(java.util.Locale.ROOT), old.help(), old.unit());
                case HELP -> new Target.Metadata(old.type(), p.help(), old.unit());
                default -> new Target.Metadata(old.type(), old.help(), p.unit());
            };
            target.metadata().put(family, m);
            seen = metaCache.put(buf, s, e, h, 0);
        }
        metaCache.touch(seen);
    }

    private void appendSeries(Appender app, ExpositionParser p, byte[] buf, long ts, Counts c) throws ScrapeFailure {
        c.scraped++;
        int s = p.seriesStart(), e = p.seriesEnd();
        int id = cache.predicted(buf, s, e);
        boolean isNew = false;
        Labels lset = null; // known on a miss only: a hit appends by ref
        if (id < 0) {
            int h = ScrapeCache.hash(buf, s, e);
            id = cache.get(buf, s, e, h);
            if (id < 0) {
                isNew = true;
                metrics.cacheMisses.labelValues(target.scrapePool()).inc();
                lset = finalLabels(p.labels());
                id = cache.put(buf, s, e, h, entryFlags(p, buf, s, e, lset == null));
            }
        }
        cache.touch(id);
        if (cache.dropped(id)) return;
        c.postRelabel++;
        if (opts.sampleLimit() > 0 && c.postRelabel > opts.sampleLimit()) {
            metrics.sampleLimitExceeded.inc();
            throw new ScrapeFailure("sample limit exceeded");
        }
        long t = ts;
        boolean explicit = opts.honorTimestamps() && p.hasTimestamp();
        if (explicit) t = p.timestampMs();
        cache.setExplicitTimestamp(id, explicit && !opts.trackTimestampsStaleness());
        long ref = cache.ref(id);
        if (lset == null && ref == 0) lset = labelsOf(id);
        long st = app.append(ref, lset, t, p.value());
        if (st == AppendStatus.INVALID_LABELS && lset == null) {
            // the storage no longer knows the ref (e.g. the head dropped the series): it needs the labels
            lset = labelsOf(id);
            if (lset != null) st = app.append(0, lset, t, p.value());
        }
        if (st < 0) {
            countRejection(st);
            return;
        }
        if (isNew) c.added++;
        cache.setRef(id, st);
    }

    /** Cache flags that let {@link #labelsOf} re-derive a series' labels from its key bytes. */
    private static int entryFlags(ExpositionParser p, byte[] buf, int s, int e, boolean dropped) {
        int f = dropped ? ScrapeCache.DROPPED : 0;
        if (p instanceof OpenMetricsParser) f |= OPEN_METRICS;
        if (p.lastType() == MetricType.HISTOGRAM) f |= AFTER_HISTOGRAM_TYPE;
        else if (p.lastType() == MetricType.SUMMARY) f |= AFTER_SUMMARY_TYPE;
        for (int i = s; i < e; i++) {
            if (buf[i] == '\n') {
                f |= ScrapeCache.NO_PARSE_SHORTCUT; // the parser must count the lines inside it
                break;
            }
        }
        return f;
    }

    /**
     * The final labels of a cached series, re-derived from its key bytes by the miss path's code
     * (parse, target labels, metric relabeling): the cache keeps refs, not labels. Null if the
     * key no longer yields labels (cannot happen while the config is unchanged).
     */
    private Labels labelsOf(int id) throws ScrapeFailure {
        int f = cache.flags(id);
        MetricType lastType = (f & AFTER_HISTOGRAM_TYPE) != 0 ? MetricType.HISTOGRAM
                : (f & AFTER_SUMMARY_TYPE) != 0 ? MetricType.SUMMARY : MetricType.UNKNOWN;
        int off = cache.keyOffset(id);
        try {
            Labels scraped = ExpositionParsers.seriesLabels(cache.keyArena(), off, off + cache.keyLength(id),
                    (f & OPEN_METRICS) != 0, lastType);
            return finalLabels(scraped);
        } catch (TextParseException e) {
            LOG.log(System.Logger.Level.WARNING, "cached series text no longer parses target={0} err=\"{1}\"", target.url(), e.getMessage());
            return null;
        }
    }

    private void countRejection(long status) {
        if (status == AppendStatus.OUT_OF_ORDER) metrics.outOfOrder.inc();
        else if (status == AppendStatus.DUPLICATE_SAMPLE) metrics.duplicate.inc();
        else if (status == AppendStatus.TOO_OLD || status == AppendStatus.OUT_OF_BOUNDS) metrics.outOfBounds.inc();
    }

    /**
     * Merges target labels into a scraped series (honor_labels, or {@code exported_} renaming),
     * applies metric_relabel_configs and checks label limits. Returns null when relabeling drops it.
     */
    private Labels finalLabels(Labels scraped) throws ScrapeFailure {
        builder.reset(scraped);
        if (opts.honorLabels()) {
            for (int i = 0; i < targetLabels.size(); i++) {
                if (builder.get(targetLabels.name(i)).isEmpty()) builder.set(targetLabels.name(i), targetLabels.value(i));
            }
        } else {
            for (int i = 0; i < targetLabels.size(); i++) {
                String name = targetLabels.name(i);
                String exposed = scraped.get(name);
                builder.set(name, targetLabels.value(i));
                if (!exposed.isEmpty()) {
                    String renamed = "exported_" + name;
                    while (!builder.get(renamed).isEmpty()) renamed = "exported_" + renamed;
                    builder.set(renamed, exposed);
                }
            }
        }
        if (!opts.metricRelabelConfigs().isEmpty() && !relabeler.apply(builder, opts.metricRelabelConfigs())) return null;
        Labels lset = builder.build();
        if (!lset.has(Labels.METRIC_NAME)) throw new ScrapeFailure("__name__ label is required");
        checkLabelLimits(lset);
        return lset; // the head interns the strings it keeps; this copy is garbage after the append
    }

    private void checkLabelLimits(Labels lset) throws ScrapeFailure {
        String metric = abbreviate(lset.metricName());
        if (opts.labelLimit() > 0 && lset.size() > opts.labelLimit()) {
            metrics.labelLimitsExceeded.inc();
            throw new ScrapeFailure("label_limit exceeded (metric: " + metric + ", number of labels: " + lset.size()
                    + ", limit: " + opts.labelLimit() + ")");
        }
        for (int i = 0; i < lset.size(); i++) {
            String n = lset.name(i), v = lset.value(i);
            if (opts.labelNameLengthLimit() > 0 && n.length() > opts.labelNameLengthLimit()) {
                metrics.labelLimitsExceeded.inc();
                throw new ScrapeFailure("label_name_length_limit exceeded (metric: " + metric + ", label name: "
                        + abbreviate(n) + ", length: " + n.length() + ", limit: " + opts.labelNameLengthLimit() + ")");
            }
            if (opts.labelValueLengthLimit() > 0 && v.length() > opts.labelValueLengthLimit()) {
                metrics.labelLimitsExceeded.inc();
                throw new ScrapeFailure("label_value_length_limit exceeded (metric: " + metric + ", label name: "
                        + abbreviate(n) + ", value: \"" + abbreviate(v) + "\", length: " + v.length() + ", limit: "
                        + opts.labelValueLengthLimit() + ")");
            }
        }
    }

    private static String abbreviate(String s) { return s.length() <= 50 ? s : s.substring(0, 50); }

    private void appendStale(Appender app, int id, long ts) {
        long ref = cache.ref(id);
        long st = ref > 0 ? app.append(ref, null, ts, Values.STALE_NAN) : AppendStatus.INVALID_LABELS;
        if (st == AppendStatus.INVALID_LABELS) {
            Labels lset;
            try {
                lset = labelsOf(id);
            } catch (ScrapeFailure f) {
                return; // limits held when the series was first scraped; a config change clears the cache
            }
            if (lset == null) return;
            st = app.append(0, lset, ts, Values.STALE_NAN);
        }
        if (st > 0) cache.setRef(id, st);
    }

    private void report(Appender app, long ts, double up, double durationSec, Counts c) {
        double[] vals = {up, durationSec, c.scraped, c.postRelabel, c.added};
        for (int i = 0; i < vals.length; i++) {
            long ref = app.append(reportRefs[i], reportLabels[i], ts, vals[i]);
            if (ref > 0) reportRefs[i] = ref;
        }
    }

    /** The target went away: its series and report series end now. */
    private void endOfRunStaleness() {
        long ts = System.currentTimeMillis();
        Appender app = storage.appender();
        cache.forEachCurrent(e -> appendStale(app, e, ts));
        for (int i = 0; i < reportLabels.length; i++) app.append(reportRefs[i], reportLabels[i], ts, Values.STALE_NAN);
        app.commit();
    }

    private static String formatInterval(long ms) {
        return io.pyrometer.model.Durations.format(ms);
    }
}
