package io.pyrometer.alerting.dispatch;

import io.pyrometer.alerting.config.AlertmanagerConfig.RouteConfig;
import io.pyrometer.alerting.config.Matcher;
import io.pyrometer.alerting.config.Matchers;
import io.pyrometer.model.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A node of the routing tree with its effective options ({@code dispatch/route.go}): receiver,
 * group_by and timers inherited from the parent unless set; time intervals are the node's own.
 */
public final class Route {
    /** Alertmanager's {@code DefaultRouteOpts}. */
    public static final long DEFAULT_GROUP_WAIT_MS = 30_000, DEFAULT_GROUP_INTERVAL_MS = 5 * 60_000,
            DEFAULT_REPEAT_INTERVAL_MS = 4 * 3_600_000;

    public final Route parent;
    public final String receiver;
    public final Set<String> groupBy; // empty: group by nothing
    public final boolean groupByAll;
    public final List<Matcher> matchers;
    public final boolean continueMatching;
    public final long groupWaitMs, groupIntervalMs, repeatIntervalMs;
    public final List<String> muteTimeIntervals, activeTimeIntervals;
    public final List<Route> routes;
    private final String key;

    private Route(RouteConfig c, Route parent) {
        this.parent = parent;
        this.receiver = !c.receiver().isEmpty() || parent == null ? c.receiver() : parent.receiver;
        if (c.groupBy() != null) {
            this.groupBy = Set.copyOf(c.groupBy());
            this.groupByAll = false;
        } else {
            this.groupBy = parent == null ? Set.of() : parent.groupBy;
            this.groupByAll = c.groupByAll() || (parent != null && parent.groupByAll);
        }
        this.groupWaitMs = c.groupWaitMs() != null ? c.groupWaitMs() : parent == null ? DEFAULT_GROUP_WAIT_MS : parent.groupWaitMs;
        this.groupIntervalMs = c.groupIntervalMs() != null ? c.groupIntervalMs()
                : parent == null ? DEFAULT_GROUP_INTERVAL_MS : parent.groupIntervalMs;
        this.repeatIntervalMs = c.repeatIntervalMs() != null ? c.repeatIntervalMs()
                : parent == null ? DEFAULT_REPEAT_INTERVAL_MS : parent.repeatIntervalMs;
        this.matchers = c.matchers();
        this.continueMatching = c.continueMatching();
        this.muteTimeIntervals = c.muteTimeIntervals();
        this.activeTimeIntervals = c.activeTimeIntervals();
        this.key = (parent == null ? "" : parent.key + "/") + Matchers.toString(matchers);
        List<Route> children = new ArrayList<>();
        for (RouteConfig rc : c.routes()) children.add(new Route(rc, this));
        this.routes = List.copyOf(children);
    }

    public static Route tree(RouteConfig root) { return new Route(root, null); }

    /** {@code Route.Key()}: the parents' matchers and this node's, e.g. {@code {}/{severity="page"}}. */
    public String key() { return key; }

    /** Depth-first, left to right: the deepest matching nodes, continuing past a match only with {@code continue}. */
    public List<Route> match(Labels labels) {
        if (!Matchers.matches(matchers, labels)) return List.of();
        List<Route> all = new ArrayList<>();
        for (Route r : routes) {
            List<Route> m = r.match(labels);
            all.addAll(m);
            if (!m.isEmpty() && !r.continueMatching) break;
        }
        if (all.isEmpty()) all.add(this);
        return all;
    }

    /** The alert's labels this route groups by (all of them with {@code ...}). */
    public Labels groupLabels(Labels labels) {
        if (groupByAll) return labels;
        Labels.Builder b = Labels.builder();
        for (int i = 0; i < labels.size(); i++) {
            if (groupBy.contains(labels.name(i))) b.set(labels.name(i), labels.value(i));
        }
        return b.build();
    }

    /** Every node, depth first (for the receivers API and config checks). */
    public void walk(java.util.function.Consumer<Route> f) {
        f.accept(this);
        for (Route r : routes) r.walk(f);
    }
}
