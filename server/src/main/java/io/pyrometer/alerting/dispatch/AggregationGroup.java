package io.pyrometer.alerting.dispatch;

import io.pyrometer.alerting.types.Alert;
import io.pyrometer.alerting.types.Scheduler;
import io.pyrometer.model.Labels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The alerts of one route with the same group labels ({@code dispatch.aggrGroup}). The first flush
 * comes group_wait after creation (at once for an alert that started longer than group_wait ago),
 * then one every group_interval. A flush sends the group with firing alerts' end times cleared, and
 * after a successful one drops the resolved alerts that did not change meanwhile.
 */
public final class AggregationGroup {
    /** Alertmanager's {@code AlertSlice} order: job, then instance, then the whole label set. */
    static final Comparator<Alert> ORDER = Comparator.<Alert, String>comparing(a -> nz(a.labels().get("job")), Labels::compareUtf8)
            .thenComparing(a -> nz(a.labels().get("instance")), Labels::compareUtf8)
            .thenComparing(Alert::labels);

    final Route route;
    final Labels labels;
    final String groupKey;
    private final Scheduler scheduler;
    private final Flusher flusher;
    private final Map<Long, Alert> alerts = new LinkedHashMap<>(); // guarded by this
    private boolean hasFlushed; // guarded by this
    private boolean destroyed; // guarded by this
    private Scheduler.Cancellable timer; // guarded by this
    private final Object flushLock = new Object(); // one flush at a time, as the group's goroutine does

    /** Runs the pipeline; returns whether the notification succeeded. */
    interface Flusher {
        boolean flush(AggregationGroup g, List<Alert> alerts, long nowMs);

        /** Called after a successful flush left the group without alerts. */
        void empty(AggregationGroup g);
    }

    AggregationGroup(Route route, Labels labels, Scheduler scheduler, Flusher flusher) {
        this.route = route;
        this.labels = labels;
        this.groupKey = route.key() + ":" + groupLabelsString(labels);
        this.scheduler = scheduler;
        this.flusher = flusher;
        synchronized (this) {
            timer = scheduler.schedule(this::onTimer, route.groupWaitMs);
        }
    }

    /** {@code model.LabelSet.String()}: {@code {a="b", c="d"}}. */
    static String groupLabelsString(Labels l) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < l.size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append(l.name(i)).append('=');
            Labels.appendQuoted(sb, l.value(i));
        }
        return sb.append('}').toString();
    }

    public String groupKey() { return groupKey; }

    public Labels labels() { return labels; }

    public Route route() { return route; }

    void insert(Alert a) {
        synchronized (this) {
            if (destroyed) return;
            alerts.put(a.fingerprint(), a);
            if (!hasFlushed && a.startsAtMs() + route.groupWaitMs < scheduler.nowMs()) {
                timer.cancel();
                timer = scheduler.schedule(this::onTimer, 0);
            }
        }
    }

    public synchronized List<Alert> alerts() { return new ArrayList<>(alerts.values()); }

    synchronized boolean isEmpty() { return alerts.isEmpty(); }

    synchronized void stop() {
        destroyed = true;
        if (timer != null) timer.cancel();
    }

    private void onTimer() {
        long now;
        List<Alert> batch;
        synchronized (this) {
            if (destroyed) return;
            hasFlushed = true;
            timer = scheduler.schedule(this::onTimer, route.groupIntervalMs);
            now = scheduler.nowMs();
        }
        synchronized (flushLock) {
            synchronized (this) {
                if (alerts.isEmpty()) return;
                batch = new ArrayList<>(alerts.size());
                for (Alert a : alerts.values()) batch.add(a.resolvedAt(now) ? a : a.withEndsAt(0, a.timeout()));
            }
            batch.sort(ORDER);
            if (flusher.flush(this, batch, now)) {
                synchronized (this) {
                    for (Alert a : batch) {
                        Alert got = alerts.get(a.fingerprint());
                        if (a.resolvedAt(now) && got != null && got.updatedAtMs() == a.updatedAtMs()) alerts.remove(a.fingerprint());
                    }
                    if (!alerts.isEmpty()) return;
                }
                flusher.empty(this);
            }
        }
    }

    private static String nz(String s) { return s == null ? "" : s; }
}
