package io.pyrometer.alerting.dispatch;

import io.pyrometer.alerting.types.Alert;
import io.pyrometer.alerting.types.Fingerprints;
import io.pyrometer.alerting.types.Scheduler;
import io.pyrometer.model.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Routes each received alert to its aggregation groups ({@code dispatch/dispatch.go}) and runs
 * their flushes through the {@link Pipeline}. Groups left empty after a flush are removed (a later
 * alert with the same labels starts a new group with a fresh group_wait).
 */
public final class Dispatcher implements AutoCloseable {
    private final Route root;
    private final Scheduler scheduler;
    private final Pipeline pipeline;
    private final Map<Route, Map<Long, AggregationGroup>> groups = new IdentityHashMap<>(); // guarded by this
    private boolean closed; // guarded by this

    public Dispatcher(Route root, Scheduler scheduler, Pipeline pipeline) {
        this.root = root;
        this.scheduler = scheduler;
        this.pipeline = pipeline;
    }

    public Route root() { return root; }

    /** The store's listener: routes the alert and inserts it into each matching group. */
    public void onAlert(Alert a) {
        for (Route r : root.match(a.labels())) {
            Labels gl = r.groupLabels(a.labels());
            long fp = Fingerprints.of(gl);
            AggregationGroup g;
            synchronized (this) {
                if (closed) return;
                g = groups.computeIfAbsent(r, k -> new HashMap<>()).get(fp);
                if (g == null) {
                    g = new AggregationGroup(r, gl, scheduler, new AggregationGroup.Flusher() {
                        public boolean flush(AggregationGroup ag, List<Alert> alerts, long nowMs) {
                            return pipeline.exec(ag.route, ag.groupKey, ag.labels, alerts, nowMs);
                        }

                        public void empty(AggregationGroup ag) { remove(ag); }
                    });
                    groups.get(r).put(fp, g);
                }
            }
            g.insert(a);
        }
    }

    private synchronized void remove(AggregationGroup g) {
        Map<Long, AggregationGroup> m = groups.get(g.route);
        long fp = Fingerprints.of(g.labels);
        if (m != null && m.get(fp) == g && g.isEmpty()) {
            m.remove(fp);
            g.stop();
        }
    }

    /** A snapshot of the groups, for {@code /api/v2/alerts/groups}. */
    public synchronized List<AggregationGroup> groups() {
        List<AggregationGroup> out = new ArrayList<>();
        for (Map<Long, AggregationGroup> m : groups.values()) out.addAll(m.values());
        return out;
    }

    /** The receivers the alert is routed to, in route order (for the {@code receivers} field of the alerts API). */
    public List<String> receiversFor(Labels labels) {
        List<String> out = new ArrayList<>();
        for (Route r : root.match(labels)) if (!out.contains(r.receiver)) out.add(r.receiver);
        return out;
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (Map<Long, AggregationGroup> m : groups.values()) for (AggregationGroup g : m.values()) g.stop();
        groups.clear();
    }
}
