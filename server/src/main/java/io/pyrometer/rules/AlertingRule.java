package io.pyrometer.rules;

import io.pyrometer.model.Labels;
import io.pyrometer.notifier.Alert;
import io.pyrometer.promql.engine.Value;
import io.pyrometer.template.Expander;
import io.pyrometer.template.QueryFunc;
import io.pyrometer.template.TemplateException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An alerting rule (Prometheus's {@code rules/alerting.go}): each element of the query result is an
 * alert, pending until it has been active for {@code for}, then firing; an alert that stops being
 * returned is resolved (after {@code keep_firing_for}, when set) and kept for 15 minutes so its
 * resolution is re-sent. Emits {@code ALERTS} and {@code ALERTS_FOR_STATE} once restored.
 *
 * <p>The active-alert map is guarded by {@code this}: the group's thread evaluates and sends, the
 * HTTP API takes copies.
 */
public final class AlertingRule extends Rule {
    private static final System.Logger LOG = System.getLogger(AlertingRule.class.getName());
    /** How long a resolved alert is kept and re-sent (Prometheus's {@code resolvedRetention}). */
    static final long RESOLVED_RETENTION_MS = 15 * 60_000L;
    static final String ALERTS = "ALERTS";
    static final String ALERTS_FOR_STATE = "ALERTS_FOR_STATE";

    private final long holdDurationMs;
    private final long keepFiringForMs;
    private final Map<String, String> annotations;
    private final Labels externalLabels;
    private final String externalUrl;
    private final Map<Labels, ActiveAlert> active = new LinkedHashMap<>();
    private volatile boolean restored;

    public AlertingRule(String name, String expr, long holdDurationMs, long keepFiringForMs, Labels labels,
                        Map<String, String> annotations, Labels externalLabels, String externalUrl, boolean restored) {
        super(name, expr, labels);
        this.holdDurationMs = holdDurationMs;
        this.keepFiringForMs = keepFiringForMs;
        this.annotations = annotations;
        this.externalLabels = externalLabels;
        this.externalUrl = externalUrl;
        this.restored = restored;
    }

    public long holdDurationMs() { return holdDurationMs; }

    public long keepFiringForMs() { return keepFiringForMs; }

    /** Annotation templates, sorted by name. */
    public Map<String, String> annotations() { return annotations; }

    boolean restored() { return restored; }

    void setRestored() { restored = true; }

    /** One alert of this rule: mutable state owned by the rule, copied for readers. */
    public static final class ActiveAlert {
        final Labels labels;
        Labels annotations;
        AlertState state;
        double value;
        long activeAtMs;
        long firedAtMs;
        long resolvedAtMs;
        long lastSentAtMs;
        long validUntilMs;
        long keepFiringSinceMs;

        ActiveAlert(Labels labels, Labels annotations, double value, long activeAtMs) {
            this.labels = labels;
            this.annotations = annotations;
            this.state = AlertState.PENDING;
            this.value = value;
            this.activeAtMs = activeAtMs;
        }

        private ActiveAlert(ActiveAlert a) {
            this(a.labels, a.annotations, a.value, a.activeAtMs);
            state = a.state;
            firedAtMs = a.firedAtMs;
            resolvedAtMs = a.resolvedAtMs;
            lastSentAtMs = a.lastSentAtMs;
            validUntilMs = a.validUntilMs;
            keepFiringSinceMs = a.keepFiringSinceMs;
        }

        public Labels labels() { return labels; }
        public Labels annotations() { return annotations; }
        public AlertState state() { return state; }
        public double value() { return value; }
        public long activeAtMs() { return activeAtMs; }
        public long firedAtMs() { return firedAtMs; }
        public long resolvedAtMs() { return resolvedAtMs; }
        public long keepFiringSinceMs() { return keepFiringSinceMs; }

        /** Prometheus's {@code needsSending}: firing or resolved, and resolved since or not sent within the delay. */
        boolean needsSending(long tsMs, long resendDelayMs) {
            if (state == AlertState.PENDING) return false;
            if (resolvedAtMs > lastSentAtMs) return true;
            return lastSentAtMs + resendDelayMs < tsMs;
        }
    }

    /** Copies of the active alerts (pending, firing, and resolved ones still kept). */
    public synchronized List<ActiveAlert> activeAlerts() {
        List<ActiveAlert> out = new ArrayList<>(active.size());
        for (ActiveAlert a : active.values()) out.add(new ActiveAlert(a));
        return out;
    }

    /** The state the API shows: the most severe of the active alerts'. */
    public synchronized AlertState state() {
        AlertState max = AlertState.INACTIVE;
        for (ActiveAlert a : active.values()) if (a.state.ordinal() > max.ordinal()) max = a.state;
        return max;
    }

    @Override
    List<Value.Sample> eval(long tsMs, long queryOffsetMs, QueryFunction query, int limit) throws Exception {
        long queryTs = tsMs - queryOffsetMs;
        List<Value.Sample> res = query.query(expr(), queryTs);
        Map<Labels, ActiveAlert> alerts = new HashMap<>(res.size() * 2);
        Labels.Builder lb = Labels.builder();
        QueryFunc templateQuery = templateQuery(query);
        for (Value.Sample s : res) {
            Map<String, String> labelMap = toMap(s.labels());
            Object data = Expander.alertData(labelMap, toMap(externalLabels), externalUrl, s.v());
            lb.reset(s.labels()).del(Labels.METRIC_NAME);
            for (int i = 0; i < labels().size(); i++) {
                lb.set(labels().name(i), expand(labels().value(i), data, tsMs, templateQuery));
            }
            lb.set("alertname", name());
            Labels.Builder ab = Labels.builder();
            for (Map.Entry<String, String> a : annotations.entrySet()) ab.set(a.getKey(), expand(a.getValue(), data, tsMs, templateQuery));
            Labels l = lb.build();
            if (alerts.containsKey(l)) {
                throw new IllegalStateException("vector contains metrics with the same labelset after applying alert labels");
            }
            alerts.put(l, new ActiveAlert(l, ab.build(), s.v(), tsMs));
        }
        synchronized (this) {
            return update(alerts, tsMs, queryTs, limit);
        }
    }

    private List<Value.Sample> update(Map<Labels, ActiveAlert> alerts, long tsMs, long sampleTs, int limit) {
        for (ActiveAlert a : alerts.values()) {
            ActiveAlert old = active.get(a.labels);
            if (old != null && old.state != AlertState.INACTIVE) {
                old.value = a.value;
                old.annotations = a.annotations;
            } else {
                active.put(a.labels, a);
            }
        }
        List<Value.Sample> vec = new ArrayList<>();
        int numActivePending = 0;
        for (Iterator<ActiveAlert> it = active.values().iterator(); it.hasNext(); ) {
            ActiveAlert a = it.next();
            if (!alerts.containsKey(a.labels)) {
                boolean keepFiring = false;
                if (a.state == AlertState.FIRING && keepFiringForMs > 0) {
                    if (a.keepFiringSinceMs == 0) a.keepFiringSinceMs = tsMs;
                    if (tsMs - a.keepFiringSinceMs < keepFiringForMs) keepFiring = true;
                }
                if (a.state == AlertState.PENDING || (a.resolvedAtMs != 0 && tsMs - a.resolvedAtMs > RESOLVED_RETENTION_MS)) {
                    it.remove();
                }
                if (a.state != AlertState.INACTIVE && !keepFiring) {
                    a.state = AlertState.INACTIVE;
                    a.resolvedAtMs = tsMs;
                }
                if (!keepFiring) continue;
            } else {
                a.keepFiringSinceMs = 0;
            }
            numActivePending++;
            if (a.state == AlertState.PENDING && tsMs - a.activeAtMs >= holdDurationMs) {
                a.state = AlertState.FIRING;
                a.firedAtMs = tsMs;
            }
            if (restored) {
                vec.add(new Value.Sample(seriesLabels(a, ALERTS, true), sampleTs, 1));
                vec.add(new Value.Sample(seriesLabels(a, ALERTS_FOR_STATE, false), sampleTs, Math.floorDiv(a.activeAtMs, 1000)));
            }
        }
        if (limit > 0 && numActivePending > limit) {
            active.clear();
            throw new IllegalStateException("exceeded limit of " + limit + " with " + numActivePending + " alerts");
        }
        return vec;
    }

    /** {@code ALERTS{alertname, alertstate, ...}} or {@code ALERTS_FOR_STATE{alertname, ...}}: rule labels, then the alert's. */
    private Labels seriesLabels(ActiveAlert a, String metric, boolean withState) {
        Labels.Builder b = labels().toBuilder();
        for (int i = 0; i < a.labels.size(); i++) b.set(a.labels.name(i), a.labels.value(i));
        b.set(Labels.METRIC_NAME, metric).set("alertname", name());
        if (withState) b.set("alertstate", a.state.apiName());
        return b.build();
    }

    /** The {@code ALERTS_FOR_STATE} labels of {@code a} without the metric name: what restoring matches on. */
    Labels forStateKey(ActiveAlert a) {
        return seriesLabels(a, ALERTS_FOR_STATE, false).withoutMetricName();
    }

    /**
     * Alerts to hand to the notifier at {@code tsMs} (Prometheus's {@code sendAlerts}): firing ones not
     * sent within {@code resendDelayMs} and newly resolved ones. Firing alerts end at
     * {@code ValidUntil = ts + 4 * max(resendDelay, interval)}, resolved ones at their resolution.
     */
    synchronized List<Alert> alertsToSend(long tsMs, long resendDelayMs, long intervalMs, String externalUrlForLinks) {
        List<Alert> out = new ArrayList<>();
        for (ActiveAlert a : active.values()) {
            if (!a.needsSending(tsMs, resendDelayMs)) continue;
            a.lastSentAtMs = tsMs;
            a.validUntilMs = tsMs + 4 * Math.max(resendDelayMs, intervalMs);
            long endsAt = a.resolvedAtMs != 0 ? a.resolvedAtMs : a.validUntilMs;
            out.add(new Alert(a.labels, a.annotations, a.firedAtMs, endsAt, externalUrlForLinks + tableLink(query())));
        }
        return out;
    }

    /** Prometheus's {@code strutil.TableLinkForExpression}. */
    static String tableLink(String expr) {
        return "/graph?g0.expr=" + URLEncoder.encode(expr, StandardCharsets.UTF_8) + "&g0.tab=1";
    }

    /** Moves restored alerts' {@code activeAt} (see {@link RuleGroup#restoreForState}); runs under the rule's lock. */
    synchronized void forEachActive(java.util.function.Consumer<ActiveAlert> f) {
        for (ActiveAlert a : active.values()) f.accept(a);
    }

    /** Takes over the alerts of the rule this one replaces on reload (Prometheus's {@code CopyState}). */
    void copyAlertsFrom(AlertingRule old) {
        Map<Labels, ActiveAlert> copy;
        synchronized (old) {
            copy = new LinkedHashMap<>(old.active);
        }
        synchronized (this) {
            active.putAll(copy);
        }
    }

    private String expand(String text, Object data, long tsMs, QueryFunc q) {
        if (!text.contains("{{")) return text;
        try {
            return new Expander(Expander.alertDefinitions() + text, "__alert_" + name(), data, tsMs, q, externalUrl).expand();
        } catch (TemplateException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Expanding alert template failed alert={0} err=\"{1}\"", name(), e.getMessage());
            return "<error expanding template: " + e.getMessage() + ">";
        }
    }

    private static QueryFunc templateQuery(QueryFunction q) {
        return (expr, ts) -> {
            List<QueryFunc.Sample> out = new ArrayList<>();
            for (Value.Sample s : q.query(expr, ts)) out.add(new QueryFunc.Sample(toMap(s.labels()), s.v()));
            return out;
        };
    }

    static Map<String, String> toMap(Labels l) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < l.size(); i++) m.put(l.name(i), l.value(i));
        return m;
    }
}
