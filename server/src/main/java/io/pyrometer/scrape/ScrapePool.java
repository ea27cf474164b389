package io.pyrometer.scrape;

import io.pyrometer.config.ScrapeConfig;
import io.pyrometer.discovery.HttpClients;
import io.pyrometer.discovery.TargetGroup;
import io.pyrometer.model.Labels;
import io.pyrometer.storage.Appendable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All targets of one {@code scrape_configs} job: turns discovered target groups into targets
 * (relabeling), keeps one {@link ScrapeLoop} per distinct target, and remembers dropped targets
 * for the API. Guarded by its own monitor: sync and reload come from the manager's thread,
 * reads from API handlers.
 */
final class ScrapePool {
    private static final System.Logger LOG = System.getLogger(ScrapePool.class.getName());

    private final Appendable storage;
    private final ScrapeMetrics metrics;
    private final long offsetSeed;
    private final long timestampToleranceMs;

    private ScrapeConfig config;
    private ScrapeOptions options;
    private HttpScraper scraper;
    private String configError;
    private final Map<Long, ScrapeLoop> loops = new LinkedHashMap<>();
    private List<Target> targets = List.of();
    private List<Labels> dropped = List.of();
    private int droppedCount;
    private List<TargetGroup> lastGroups = List.of();

    ScrapePool(ScrapeConfig config, Appendable storage, ScrapeMetrics metrics, long offsetSeed, long timestampToleranceMs) {
        this.storage = storage;
        this.metrics = metrics;
        this.offsetSeed = offsetSeed;
        this.timestampToleranceMs = timestampToleranceMs;
        applyConfig(config);
    }

    private void applyConfig(ScrapeConfig cfg) {
        this.config = cfg;
        this.options = new ScrapeOptions(cfg.scrapeIntervalMs(), cfg.scrapeTimeoutMs(), cfg.honorLabels(), cfg.honorTimestamps(),
                cfg.trackTimestampsStaleness(), cfg.sampleLimit(), cfg.labelLimit(), cfg.labelNameLengthLimit(),
                cfg.labelValueLengthLimit(), cfg.bodySizeLimitBytes(), cfg.enableCompression(),
                acceptHeader(cfg.scrapeProtocols()), cfg.metricRelabelConfigs(), timestampToleranceMs);
        try {
            this.scraper = new HttpScraper(HttpClients.newBuilder(cfg.http(), Duration.ofMillis(cfg.scrapeTimeoutMs())), cfg.http());
            this.configError = null;
        } catch (IllegalArgumentException | java.io.IOException | java.security.GeneralSecurityException e) {
            this.scraper = null;
            this.configError = "scrape_config job \"" + cfg.jobName() + "\": " + e.getMessage();
            LOG.log(System.Logger.Level.ERROR, "cannot create HTTP client job={0} err=\"{1}\"", cfg.jobName(), e.getMessage());
        }
    }

    /**
     * The Accept header for a protocol preference list, as Prometheus builds it: each media type
     * with a descending q-value, then {@code *}{@code /*}. Protobuf is skipped: Pyrometer does not
     * parse it, so asking for it would only make targets answer in a format it cannot read.
     */
    static String acceptHeader(List<String> protocols) {
        StringBuilder sb = new StringBuilder();
        int weight = ScrapeConfig.SCRAPE_PROTOCOL_HEADERS.size() + 1;
        for (String p : protocols) {
            String media = ScrapeConfig.SCRAPE_PROTOCOL_HEADERS.get(p);
            if (media == null || p.equals("PrometheusProto")) continue;
            if (!sb.isEmpty()) sb.append(',');
            sb.append(media).append(";q=0.").append(weight--);
        }
        if (!sb.isEmpty()) sb.append(',');
        return sb.append("*/*;q=0.").append(weight).toString();
    }

    synchronized ScrapeConfig config() { return config; }

    /** Applies a changed config: every loop restarts with the new options (no staleness: same targets). */
    synchronized void reload(ScrapeConfig cfg) {
        metrics.poolReloads.inc();
        for (ScrapeLoop l : loops.values()) l.stop(false);
        loops.clear();
        applyConfig(cfg);
        if (configError != null) metrics.poolReloadsFailed.inc();
        sync(lastGroups);
    }

    /** Replaces the pool's target groups with the latest discovery result. */
    synchronized void sync(List<TargetGroup> groups) {
        lastGroups = groups;
        metrics.poolSyncs.labelValues(config.jobName()).inc();
        Map<Long, Target> active = new LinkedHashMap<>();
        List<Labels> droppedNow = new ArrayList<>();
        int droppedTotal = 0;
        for (TargetGroup g : groups) {
            for (Labels t : g.targets()) {
                TargetLabels.Result r = TargetLabels.populate(config, t, g.labels());
                if (r.error() != null) {
                    LOG.log(System.Logger.Level.WARNING, "creating target failed job={0} target=\"{1}\" err=\"{2}\"",
                            config.jobName(), r.discoveredLabels(), r.error());
                    continue;
                }
                if (r.labels() == null) {
                    droppedTotal++;
                    if (config.keepDroppedTargets() == 0 || droppedNow.size() < config.keepDroppedTargets()) {
                        droppedNow.add(r.discoveredLabels());
                    }
                    continue;
                }
                Target target = new Target(config.jobName(), r.labels(), r.discoveredLabels(), config.params(),
                        intervalOf(r.labels(), config.scrapeIntervalMs()), timeoutOf(r.labels(), config.scrapeTimeoutMs()));
                active.putIfAbsent(target.hash(), target);
            }
        }
        dropped = droppedNow;
        droppedCount = droppedTotal;
        String limitError = null;
        if (config.targetLimit() > 0 && active.size() > config.targetLimit()) {
            metrics.targetLimitExceeded.inc();
            limitError = "target_limit exceeded (number of targets: " + active.size() + ", limit: " + config.targetLimit() + ")";
        }
        // stop loops whose targets went away (their series end with staleness markers)
        for (var it = loops.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!active.containsKey(e.getKey()) || limitError != null || configError != null) {
                e.getValue().stop(true);
                it.remove();
            }
        }
        List<Target> list = new ArrayList<>(active.size());
        for (Map.Entry<Long, Target> e : active.entrySet()) {
            ScrapeLoop existing = loops.get(e.getKey());
            if (existing != null) {
                list.add(existing.target());
                continue;
            }
            Target t = e.getValue();
            list.add(t);
            String err = limitError != null ? limitError : configError;
            if (err != null) {
                t.report(System.currentTimeMillis(), 0, err, 0);
                continue;
            }
            ScrapeOptions o = options;
            if (t.intervalMs() != o.intervalMs() || t.timeoutMs() != o.timeoutMs()) {
                o = new ScrapeOptions(t.intervalMs(), t.timeoutMs(), o.honorLabels(), o.honorTimestamps(),
                        o.trackTimestampsStaleness(), o.sampleLimit(), o.labelLimit(), o.labelNameLengthLimit(),
                        o.labelValueLengthLimit(), o.bodySizeLimitBytes(), o.enableCompression(), o.acceptHeader(),
                        o.metricRelabelConfigs(), o.timestampToleranceMs());
            }
            ScrapeLoop loop = new ScrapeLoop(t, o, scraper, storage, metrics, offsetSeed);
            loops.put(e.getKey(), loop);
            loop.start();
        }
        targets = List.copyOf(list);
        metrics.poolTargets.labelValues(config.jobName()).set(targets.size());
    }

    /** Per-target {@code __scrape_interval__} set by relabeling wins over the job's interval. */
    private static long intervalOf(Labels l, long dflt) {
        String v = l.get("__scrape_interval__");
        return v.isEmpty() ? dflt : io.pyrometer.model.Durations.parseMs(v);
    }

    private static long timeoutOf(Labels l, long dflt) {
        String v = l.get("__scrape_timeout__");
        return v.isEmpty() ? dflt : io.pyrometer.model.Durations.parseMs(v);
    }

    synchronized List<Target> activeTargets() { return targets; }

    synchronized List<Labels> droppedTargets() { return dropped; }

    synchronized int droppedCount() { return droppedCount; }

    /** Stops every loop; {@code markStale} when the job was removed from the config. */
    synchronized void stop(boolean markStale) {
        for (ScrapeLoop l : loops.values()) l.stop(markStale);
        loops.clear();
        metrics.poolTargets.labelValues(config.jobName()).set(0);
    }
}
