package io.pyrometer.alerting.dispatch;

import io.pyrometer.alerting.RouterMetrics;
import io.pyrometer.alerting.config.TimeInterval;
import io.pyrometer.alerting.inhibit.Inhibitor;
import io.pyrometer.alerting.nflog.NotificationLog;
import io.pyrometer.alerting.silence.Silences;
import io.pyrometer.alerting.types.Alert;
import io.pyrometer.model.Labels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;

/**
 * The notification pipeline ({@code notify/notify.go}, {@code BuildPipeline}): inhibition, active
 * and mute time intervals, silences, then for each integration of the receiver (in parallel):
 * wait for the replica's turn, dedup against the notification log, send with retries and
 * exponential backoff (500 ms x 1.5, at most 60 s apart, until the group interval is over, at
 * least 10 s), and log what was sent. A stage that leaves no alert ends the pipeline.
 */
public final class Pipeline {
    /** Sleeps between retries; tests swap it. */
    public interface Sleeper { void sleep(long ms) throws InterruptedException; }

    private static final System.Logger LOG = System.getLogger(Pipeline.class.getName());
    static final long MIN_TIMEOUT_MS = 10_000;

    private final Map<String, List<Integration>> receivers;
    private final Inhibitor inhibitor;
    private final Silences silences;
    private final Map<String, List<TimeInterval>> timeIntervals;
    private final NotificationLog nflog;
    private final RouterMetrics metrics;
    private final String externalUrl;
    private final LongSupplier peerWaitMs;
    private final Sleeper sleeper;
    private final LongSupplier clock;

    public Pipeline(Map<String, List<Integration>> receivers, Inhibitor inhibitor, Silences silences,
                    Map<String, List<TimeInterval>> timeIntervals, NotificationLog nflog, RouterMetrics metrics,
                    String externalUrl, LongSupplier peerWaitMs, Sleeper sleeper, LongSupplier clock) {
        this.receivers = receivers;
        this.inhibitor = inhibitor;
        this.silences = silences;
        this.timeIntervals = timeIntervals;
        this.nflog = nflog;
        this.metrics = metrics;
        this.externalUrl = externalUrl;
        this.peerWaitMs = peerWaitMs;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    /** Runs the pipeline for one flush; true when every integration succeeded (or had nothing to do). */
    boolean exec(Route route, String groupKey, Labels groupLabels, List<Alert> alerts, long nowMs) {
        List<Alert> live = new ArrayList<>(alerts.size());
        for (Alert a : alerts) if (inhibitor.inhibitedBy(a.labels(), nowMs).isEmpty()) live.add(a);
        if (live.isEmpty()) return true;
        Instant now = Instant.ofEpochMilli(nowMs);
        if (!route.activeTimeIntervals.isEmpty() && !inAny(route.activeTimeIntervals, now)) return true;
        if (!route.muteTimeIntervals.isEmpty() && inAny(route.muteTimeIntervals, now)) return true;
        List<Alert> unsilenced = new ArrayList<>(live.size());
        for (Alert a : live) if (silences.mutedBy(a.labels(), nowMs).isEmpty()) unsilenced.add(a);
        if (unsilenced.isEmpty()) return true;

        List<Integration> integrations = receivers.getOrDefault(route.receiver, List.of());
        NotifyContext ctx = new NotifyContext(route.receiver, groupKey, groupLabels, externalUrl, nowMs, route.repeatIntervalMs);
        long deadline = nowMs + Math.max(route.groupIntervalMs, MIN_TIMEOUT_MS);
        if (integrations.size() == 1) return integration(integrations.getFirst(), ctx, unsilenced, deadline);
        List<Future<Boolean>> results = new ArrayList<>();
        try (var ex = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (Integration i : integrations) results.add(ex.submit(() -> integration(i, ctx, unsilenced, deadline)));
        }
        boolean ok = true;
        for (Future<Boolean> f : results) {
            try {
                ok &= f.get();
            } catch (Exception e) {
                ok = false;
            }
        }
        return ok;
    }

    private boolean inAny(List<String> names, Instant now) {
        for (String n : names) {
            for (TimeInterval ti : timeIntervals.getOrDefault(n, List.of())) if (ti.contains(now)) return true;
        }
        return false;
    }

    static String receiverKey(String receiver, Integration i) { return receiver + "/" + i.name() + "/" + i.index(); }

    private boolean integration(Integration in, NotifyContext ctx, List<Alert> alerts, long deadline) {
        long wait = peerWaitMs.getAsLong();
        if (wait > 0) {
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        // Dedup stage
        Set<Long> firing = new HashSet<>(), resolved = new HashSet<>();
        for (Alert a : alerts) (a.resolvedAt(ctx.nowMs()) ? resolved : firing).add(a.fingerprint());
        String rk = receiverKey(ctx.receiver(), in);
        metrics.nflogQueries.inc();
        NotificationLog.Entry entry = nflog.query(ctx.groupKey(), rk);
        if (!needsUpdate(entry, firing, resolved, in.sendResolved(), ctx.repeatIntervalMs(), ctx.nowMs())) return true;
        // Retry stage
        List<Alert> sent = alerts;
        if (!in.sendResolved()) {
            if (firing.isEmpty()) {
                nflog.log(ctx.groupKey(), rk, firing, resolved, ctx.nowMs());
                return true;
            }
            sent = new ArrayList<>();
            for (Alert a : alerts) if (!a.resolvedAt(ctx.nowMs())) sent.add(a);
        }
        metrics.notifications.labelValues(in.name()).inc();
        long backoff = 500;
        for (int attempt = 1; ; attempt++) {
            long start = System.nanoTime();
            metrics.notificationRequests.labelValues(in.name()).inc();
            try {
                in.notify(ctx, sent);
                metrics.notificationLatency.labelValues(in.name()).observe((System.nanoTime() - start) / 1e9);
                break;
            } catch (Integration.NotifyException e) {
                metrics.notificationRequestsFailed.labelValues(in.name()).inc();
                metrics.notificationLatency.labelValues(in.name()).observe((System.nanoTime() - start) / 1e9);
                boolean giveUp = !e.retryable() || clock.getAsLong() + backoff > deadline;
                LOG.log(giveUp ? System.Logger.Level.ERROR : System.Logger.Level.DEBUG, "notify failed receiver=" + ctx.receiver()
                        + " integration=" + in.name() + "[" + in.index() + "] group=" + ctx.groupKey() + " attempt=" + attempt
                        + " retryable=" + e.retryable() + " err=\"" + e.getMessage() + "\"");
                if (giveUp) {
                    metrics.notificationsFailed.labelValues(in.name()).inc();
                    return false;
                }
                try {
                    sleeper.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                backoff = Math.min((long) (backoff * 1.5), 60_000);
            } catch (RuntimeException e) {
                metrics.notificationsFailed.labelValues(in.name()).inc();
                LOG.log(System.Logger.Level.ERROR, "notify crashed receiver=" + ctx.receiver() + " integration=" + in.name()
                        + " err=\"" + e + "\"");
                return false;
            }
        }
        // Set-notifies stage
        nflog.log(ctx.groupKey(), rk, firing, resolved, ctx.nowMs());
        return true;
    }

    /** {@code DedupStage.needsUpdate}. */
    static boolean needsUpdate(NotificationLog.Entry entry, Set<Long> firing, Set<Long> resolved, boolean sendResolved,
                               long repeatMs, long nowMs) {
        if (entry == null) return !firing.isEmpty();
        if (!entry.firing().containsAll(firing)) return true;
        if (firing.isEmpty()) return !entry.firing().isEmpty();
        if (sendResolved && !entry.resolved().containsAll(resolved)) return true;
        return entry.timestampMs() < nowMs - repeatMs;
    }
}
