package io.pyrometer.scrape;

import io.pyrometer.config.PrometheusConfig;
import io.pyrometer.config.ScrapeConfig;
import io.pyrometer.discovery.TargetGroup;
import io.pyrometer.model.Labels;
import io.pyrometer.storage.Appendable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Owns one {@link ScrapePool} per job: applies config reloads (restarting only jobs whose config
 * changed) and hands each pool the target groups discovery found for it.
 */
public final class ScrapeManager implements AutoCloseable {
    private final Appendable storage;
    private final ScrapeMetrics metrics;
    private final long timestampToleranceMs;
    // guarded by this
    private final Map<String, ScrapePool> pools = new LinkedHashMap<>();
    private final Map<String, List<TargetGroup>> pending = new LinkedHashMap<>();
    private long offsetSeed;

    public ScrapeManager(Appendable storage, ScrapeMetrics metrics, long timestampToleranceMs) {
        this.storage = storage;
        this.metrics = metrics;
        this.timestampToleranceMs = timestampToleranceMs;
    }

    /** Applies a new config. Jobs removed from it stop and their series go stale. */
    public synchronized void applyConfig(PrometheusConfig cfg) {
        // Prometheus seeds offsets with the external labels, so HA pairs scrape at different times
        offsetSeed = cfg.global().externalLabels().stableHash();
        Map<String, ScrapeConfig> wanted = new LinkedHashMap<>();
        for (ScrapeConfig sc : cfg.scrapeConfigs()) wanted.put(sc.jobName(), sc);
        for (var it = pools.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!wanted.containsKey(e.getKey())) {
                e.getValue().stop(true);
                it.remove();
            }
        }
        for (ScrapeConfig sc : wanted.values()) {
            ScrapePool p = pools.get(sc.jobName());
            if (p == null) {
                p = new ScrapePool(sc, storage, metrics, offsetSeed, timestampToleranceMs);
                metrics.poolsCreated.inc();
                pools.put(sc.jobName(), p);
                List<TargetGroup> groups = pending.get(sc.jobName());
                if (groups != null) p.sync(groups);
            } else if (!p.config().equals(sc)) {
                p.reload(sc);
            }
        }
    }

    /** Discovery's latest view: target groups per job name. */
    public synchronized void updateTargets(Map<String, List<TargetGroup>> byJob) {
        for (Map.Entry<String, List<TargetGroup>> e : byJob.entrySet()) {
            pending.put(e.getKey(), e.getValue());
            ScrapePool p = pools.get(e.getKey());
            if (p != null) p.sync(e.getValue());
        }
    }

    /** Active targets per job, in config order. */
    public synchronized Map<String, List<Target>> activeTargets() {
        Map<String, List<Target>> out = new LinkedHashMap<>();
        for (Map.Entry<String, ScrapePool> e : pools.entrySet()) out.put(e.getKey(), e.getValue().activeTargets());
        return out;
    }

    /** Dropped targets' discovered labels per job (bounded by keep_dropped_targets). */
    public synchronized Map<String, List<Labels>> droppedTargets() {
        Map<String, List<Labels>> out = new LinkedHashMap<>();
        for (Map.Entry<String, ScrapePool> e : pools.entrySet()) out.put(e.getKey(), e.getValue().droppedTargets());
        return out;
    }

    /** How many targets relabeling dropped per job (all of them, not only the kept ones). */
    public synchronized Map<String, Integer> droppedCounts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Map.Entry<String, ScrapePool> e : pools.entrySet()) out.put(e.getKey(), e.getValue().droppedCount());
        return out;
    }

    /** Stops all loops without staleness markers (shutdown: the data stays valid). */
    @Override
    public synchronized void close() {
        for (ScrapePool p : pools.values()) p.stop(false);
        pools.clear();
    }
}
