package io.pyrometer.rules;

import io.pyrometer.model.LabelMatcher;
import io.pyrometer.model.Labels;
import io.pyrometer.model.Values;
import io.pyrometer.notifier.Alert;
import io.pyrometer.promql.engine.Value;
import io.pyrometer.storage.AppendStatus;
import io.pyrometer.storage.Appender;
import io.pyrometer.storage.Querier;
import io.pyrometer.storage.SampleIterator;
import io.pyrometer.storage.SelectHints;
import io.pyrometer.storage.SeriesSet;
import io.pyrometer.storage.ValueType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * A group of rules evaluated in order on one schedule (Prometheus's {@code rules/group.go}).
 *
 * <p>The schedule: evaluation times are {@code offset + k * interval}, where the offset is the
 * group's hash (of its name and file) modulo the interval, so restarts and replicas keep the phase.
 * A group whose evaluation overruns skips the slots it missed and counts them.
 *
 * <p>Threading: one thread (the group's loop, or a test) evaluates; the HTTP API reads the rules'
 * volatile status fields and copies of alerts.
 */
public final class RuleGroup {
    private static final System.Logger LOG = System.getLogger(RuleGroup.class.getName());

    private final String name;
    private final String file;
    private final long intervalMs;
    private final long queryOffsetMs;
    private final int limit;
    private final List<Rule> rules;
    private final RuleGroupDef def;
    private final RuleManager.Options opts;
    private final String key;

    /** Per rule, the series its last successful evaluation wrote (stale markers for those that vanish). Group thread only. */
    private final List<Set<Labels>> seriesInPreviousEval;
    /** Series of rules that no longer exist, to be marked stale at the next evaluation. Group thread only. */
    private List<Labels> staleSeries = new ArrayList<>();
    volatile boolean shouldRestore;

    private volatile long lastEvaluationMs;
    private volatile long evaluationTimeNanos;
    private volatile long lastEvalTimestampMs;

    private volatile boolean stopped;
    private Thread thread;

    RuleGroup(String file, RuleGroupDef def, List<Rule> rules, long intervalMs, long queryOffsetMs, RuleManager.Options opts,
              boolean shouldRestore) {
        this.name = def.name();
        this.file = file;
        this.def = def;
        this.intervalMs = intervalMs;
        this.queryOffsetMs = queryOffsetMs;
        this.limit = def.limit();
        this.rules = List.copyOf(rules);
        this.opts = opts;
        this.key = groupKey(file, name);
        this.shouldRestore = shouldRestore;
        seriesInPreviousEval = new ArrayList<>(rules.size());
        for (int i = 0; i < rules.size(); i++) seriesInPreviousEval.add(Set.of());
        opts.metrics().groupInterval.labelValues(key).set(intervalMs / 1000.0);
        opts.metrics().groupRules.labelValues(key).set(rules.size());
    }

    /** Prometheus's {@code GroupKey}: {@code file;name}, the {@code rule_group} label of the metrics. */
    static String groupKey(String file, String name) { return file + ";" + name; }

    public String name() { return name; }
    public String file() { return file; }
    public long intervalMs() { return intervalMs; }
    public long queryOffsetMs() { return queryOffsetMs; }
    public int limit() { return limit; }
    public List<Rule> rules() { return rules; }
    /** Group labels (Prometheus 3.5+), already merged into each rule's labels. */
    public Map<String, String> labels() { return def.labels(); }
    /** Wall-clock start of the last evaluation, 0 before the first. */
    public long lastEvaluationMs() { return lastEvaluationMs; }
    public long evaluationTimeNanos() { return evaluationTimeNanos; }
    /** The scheduled time of the last evaluation. */
    public long lastEvalTimestampMs() { return lastEvalTimestampMs; }
    String key() { return key; }
    RuleGroupDef def() { return def; }

    /** Same definition (positions aside) and file: a reload keeps such a group running untouched. */
    boolean sameDefinition(RuleGroup o) {
        return file.equals(o.file) && intervalMs == o.intervalMs && queryOffsetMs == o.queryOffsetMs
                && RuleManager.withoutPositions(def).equals(RuleManager.withoutPositions(o.def));
    }

    /** The group's phase within its interval, from the hash of its name and file. */
    long offsetMs() {
        return Long.remainderUnsigned(Labels.of("name", name, "file", file).stableHash(), intervalMs);
    }

    /** Prometheus's {@code EvalTimestamp}: the latest scheduled evaluation time at or before {@code startMs}. */
    public long evalTimestamp(long startMs) {
        long offset = offsetMs();
        long adjNow = startMs - offset;
        long base = adjNow - Math.floorMod(adjNow, intervalMs);
        return base + offset;
    }

    // ---- the loop

    void start() {
        thread = Thread.ofVirtual().name("rule-group " + key).start(this::run);
    }

    private void run() {
        long evalTs = evalTimestamp(opts.clock().getAsLong()) + intervalMs;
        if (!sleepUntil(evalTs)) return;
        iterate(evalTs);
        if (shouldRestore) {
            restoreForState(opts.clock().getAsLong());
            shouldRestore = false;
        }
        while (!stopped) {
            long now = opts.clock().getAsLong();
            long k = Math.max(1, Math.ceilDiv(now - evalTs, intervalMs));
            if (k > 1) {
                opts.metrics().iterationsMissed.labelValues(key).inc(k - 1);
                opts.metrics().iterationsScheduled.labelValues(key).inc(k - 1);
            }
            evalTs += k * intervalMs;
            if (!sleepUntil(evalTs)) return;
            iterate(evalTs);
        }
    }

    /** Parks (not sleeps: {@link #stop} unparks, and an evaluation in progress is never interrupted). */
    private boolean sleepUntil(long tsMs) {
        long wait;
        while (!stopped && (wait = tsMs - opts.clock().getAsLong()) > 0) {
            LockSupport.parkNanos(this, Math.min(wait, 1000) * 1_000_000L);
        }
        return !stopped;
    }

    /** One scheduled iteration: evaluation plus the bookkeeping metrics. */
    void iterate(long evalTs) {
        opts.metrics().iterationsScheduled.labelValues(key).inc();
        long startMs = opts.clock().getAsLong();
        long t0 = System.nanoTime();
        eval(evalTs);
        long nanos = System.nanoTime() - t0;
        opts.metrics().iterationDuration.observe(nanos / 1e9);
        opts.metrics().groupLastDuration.labelValues(key).set(nanos / 1e9);
        double sum = 0;
        for (Rule r : rules) sum += r.evaluationTimeNanos() / 1e9;
        opts.metrics().groupLastRuleDurationSum.labelValues(key).set(sum);
        opts.metrics().groupLastEvalTime.labelValues(key).set(evalTs / 1000.0);
        evaluationTimeNanos = nanos;
        lastEvaluationMs = startMs;
        lastEvalTimestampMs = evalTs;
    }

    /** Stops the loop after its current evaluation and waits for it. */
    void stop() {
        stopped = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- evaluation

    /** Evaluates every rule in order for evaluation time {@code tsMs} (Prometheus's {@code Group.Eval}). */
    public void eval(long tsMs) {
        long samplesTotal = 0;
        long sampleTs = tsMs - queryOffsetMs;
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            long startMs = opts.clock().getAsLong();
            long t0 = System.nanoTime();
            opts.metrics().evalTotal.labelValues(key).inc();
            List<Value.Sample> vector;
            try {
                vector = rule.eval(tsMs, queryOffsetMs, opts.queryFunction(), limit);
            } catch (Exception e) {
                rule.setHealth(RuleHealth.ERR, e.getMessage() == null ? e.toString() : e.getMessage());
                opts.metrics().evalFailures.labelValues(key).inc();
                LOG.log(System.Logger.Level.WARNING, "Evaluating rule failed group={0} rule={1} err=\"{2}\"", key, rule.name(), rule.lastError());
                finishRule(rule, startMs, t0);
                continue;
            }
            rule.setHealth(RuleHealth.OK, null);
            samplesTotal += vector.size();
            if (rule instanceof AlertingRule ar) {
                List<Alert> send = ar.alertsToSend(tsMs, opts.resendDelayMs(), intervalMs, opts.externalUrl());
                if (!send.isEmpty()) opts.sender().send(send);
            }
            appendRule(i, rule, vector, sampleTs);
            finishRule(rule, startMs, t0);
        }
        opts.metrics().groupSamples.labelValues(key).set(samplesTotal);
        cleanupStaleSeries(sampleTs);
    }

    private void finishRule(Rule rule, long startMs, long t0) {
        long nanos = System.nanoTime() - t0;
        rule.setEvaluation(startMs, nanos);
        opts.metrics().evalDuration.observe(nanos / 1e9);
    }

    private void appendRule(int i, Rule rule, List<Value.Sample> vector, long sampleTs) {
        Appender app = opts.appendable().appender();
        Set<Labels> returned = new LinkedHashSet<>(vector.size() * 2);
        int outOfOrder = 0, duplicates = 0, tooOld = 0;
        for (Value.Sample s : vector) {
            long st = app.append(0, s.labels(), s.t(), s.v());
            if (AppendStatus.isError(st)) {
                rule.setHealth(RuleHealth.ERR, AppendStatus.describe(st));
                if (st == AppendStatus.OUT_OF_ORDER) outOfOrder++;
                else if (st == AppendStatus.DUPLICATE_SAMPLE) duplicates++;
                else if (st == AppendStatus.TOO_OLD || st == AppendStatus.OUT_OF_BOUNDS) tooOld++;
                else LOG.log(System.Logger.Level.WARNING, "Rule evaluation result discarded rule={0} err=\"{1}\" sample={2}",
                            rule.name(), AppendStatus.describe(st), s.labels());
            } else {
                returned.add(s.labels());
            }
        }
        if (outOfOrder + duplicates + tooOld > 0) {
            LOG.log(System.Logger.Level.WARNING, "Error on ingesting results from rule evaluation group={0} rule={1} outOfOrder={2} duplicates={3} tooOld={4}",
                    key, rule.name(), outOfOrder, duplicates, tooOld);
        }
        for (Labels l : seriesInPreviousEval.get(i)) {
            if (!returned.contains(l)) app.append(0, l, sampleTs, Values.STALE_NAN); // rejections are expected when another rule now writes it
        }
        app.commit();
        seriesInPreviousEval.set(i, returned);
    }

    private void cleanupStaleSeries(long sampleTs) {
        if (staleSeries.isEmpty()) return;
        Appender app = opts.appendable().appender();
        for (Labels l : staleSeries) app.append(0, l, sampleTs, Values.STALE_NAN);
        app.commit();
        staleSeries = new ArrayList<>();
    }

    /** Appends stale markers at {@code tsMs} for every series this group wrote last (a removed group). */
    void markAllStale(long tsMs) {
        Appender app = opts.appendable().appender();
        for (Set<Labels> set : seriesInPreviousEval) for (Labels l : set) app.append(0, l, tsMs, Values.STALE_NAN);
        for (Labels l : staleSeries) app.append(0, l, tsMs, Values.STALE_NAN);
        app.commit();
    }

    /**
     * Takes over the state of the group this one replaces on reload (Prometheus's {@code CopyState}):
     * rules matched by name and labels keep their written series and active alerts; series of rules
     * that are gone are marked stale at the next evaluation.
     */
    void copyState(RuleGroup from) {
        lastEvaluationMs = from.lastEvaluationMs;
        evaluationTimeNanos = from.evaluationTimeNanos;
        lastEvalTimestampMs = from.lastEvalTimestampMs;
        Map<String, List<Integer>> byIdentity = new HashMap<>();
        for (int i = 0; i < from.rules.size(); i++) {
            byIdentity.computeIfAbsent(from.rules.get(i).identity(), k -> new ArrayList<>()).add(i);
        }
        for (int i = 0; i < rules.size(); i++) {
            List<Integer> idx = byIdentity.get(rules.get(i).identity());
            if (idx == null || idx.isEmpty()) continue;
            int fi = idx.removeFirst();
            seriesInPreviousEval.set(i, from.seriesInPreviousEval.get(fi));
            if (rules.get(i) instanceof AlertingRule ar && from.rules.get(fi) instanceof AlertingRule far) {
                ar.copyAlertsFrom(far);
                if (far.restored()) ar.setRestored();
            }
            Rule r = rules.get(i), fr = from.rules.get(fi);
            r.setHealth(fr.health(), fr.lastError());
            r.setEvaluation(fr.lastEvaluationMs(), fr.evaluationTimeNanos());
        }
        staleSeries = new ArrayList<>(from.staleSeries);
        for (List<Integer> left : byIdentity.values()) {
            for (int fi : left) staleSeries.addAll(from.seriesInPreviousEval.get(fi));
        }
        shouldRestore = shouldRestore && from.shouldRestore;
    }

    // ---- restoring `for` state after a restart

    /**
     * Prometheus's {@code RestoreForState}: for each active alert of a rule whose {@code for} is at
     * least the grace period, reads its last {@code ALERTS_FOR_STATE} sample within the outage
     * tolerance and moves {@code activeAt} so the time it was pending before the restart counts,
     * giving at least the grace period before it fires.
     */
    void restoreForState(long nowMs) {
        long t0 = System.nanoTime();
        long mint = nowMs - opts.outageToleranceMs();
        try (Querier q = opts.queryable().querier(mint, nowMs)) {
            for (Rule r : rules) {
                if (!(r instanceof AlertingRule ar)) continue;
                if (ar.holdDurationMs() < opts.gracePeriodMs()) {
                    ar.setRestored();
                    continue;
                }
                Map<Labels, long[]> last = lastForState(q, ar, mint, nowMs);
                ar.forEachActive(a -> {
                    long[] tv = last.get(ar.forStateKey(a));
                    if (tv == null) return;
                    long downAtMs = Math.floorDiv(tv[0], 1000) * 1000;
                    long restoredActiveAtMs = tv[1] * 1000;
                    long remaining = ar.holdDurationMs() - (downAtMs - restoredActiveAtMs);
                    if (remaining <= 0) {
                        // it was firing when the server went down: the next evaluation fires it again
                    } else if (remaining < opts.gracePeriodMs()) {
                        restoredActiveAtMs = nowMs + opts.gracePeriodMs() - ar.holdDurationMs();
                    } else {
                        restoredActiveAtMs += nowMs - downAtMs;
                    }
                    a.activeAtMs = restoredActiveAtMs;
                });
                ar.setRestored();
            }
        } catch (Exception e) {
            LOG.log(System.Logger.Level.ERROR, "Failed to restore 'for' state group={0} err=\"{1}\"", key, e.getMessage());
        }
        opts.metrics().groupLastRestoreDuration.labelValues(key).set((System.nanoTime() - t0) / 1e9);
    }

    /** The last {@code ALERTS_FOR_STATE} sample (time ms, activeAt s) of each series of {@code ar}; stale ones left out. */
    private static Map<Labels, long[]> lastForState(Querier q, AlertingRule ar, long mint, long maxt) {
        Map<Labels, long[]> out = new HashMap<>();
        SeriesSet ss = q.select(false, SelectHints.range(mint, maxt), List.of(
                LabelMatcher.eq(Labels.METRIC_NAME, AlertingRule.ALERTS_FOR_STATE), LabelMatcher.eq("alertname", ar.name())));
        SampleIterator it = null;
        while (ss.next()) {
            it = ss.at().iterator(it);
            long t = Long.MIN_VALUE;
            double v = 0;
            while (it.next() == ValueType.FLOAT) {
                t = it.atT();
                v = it.atV();
            }
            if (t == Long.MIN_VALUE || Values.isStaleNaN(v)) continue;
            out.put(ss.at().labels().withoutMetricName(), new long[] {t, (long) v});
        }
        return out;
    }
}
