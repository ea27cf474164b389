package io.pyrometer.promql.engine;

import io.pyrometer.model.LabelMatcher;
import io.pyrometer.model.Labels;
import io.pyrometer.promql.ast.Call;
import io.pyrometer.promql.ast.Expr;
import io.pyrometer.promql.ast.MatrixSelector;
import io.pyrometer.promql.ast.SubqueryExpr;
import io.pyrometer.promql.ast.VectorSelector;
import io.pyrometer.promql.engine.EvalValue.Vec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The experimental {@code info(v [, data-label-selector])} function (Prometheus's promql/info.go):
 * adds the data labels of info series ({@code target_info} by default) that share the identifying
 * labels {@code instance} and {@code job} with each series of {@code v}.
 */
final class InfoFunction {
    private static final String TARGET_INFO = "target_info";
    private static final List<String> IDENTIFYING = List.of("instance", "job");

    private InfoFunction() {}

    static Vec eval(Evaluator ev, Call c, Grid g) {
        Vec base = ev.vectorArg(c.args().get(0), g);
        Map<String, List<LabelMatcher>> dataMatchers = new LinkedHashMap<>();
        List<LabelMatcher> nameMatchers = new ArrayList<>();
        if (c.args().size() > 1 && Evaluator.unwrap(c.args().get(1)) instanceof VectorSelector sel) {
            for (LabelMatcher m : sel.matchers()) {
                dataMatchers.computeIfAbsent(m.name(), k -> new ArrayList<>()).add(m);
                if (m.name().equals(Labels.METRIC_NAME)) nameMatchers.add(m);
            }
        } else {
            nameMatchers.add(LabelMatcher.eq(Labels.METRIC_NAME, TARGET_INFO));
        }
        // Info series themselves are not enriched: those matching every __name__ matcher, when at
        // least one of them is positive.
        boolean positive = false;
        for (LabelMatcher m : nameMatchers) positive |= !m.type().isNegative();
        Set<StepSeries> ignored = new java.util.HashSet<>();
        for (StepSeries s : base.series()) {
            if (positive && matchAll(nameMatchers, s.labels.metricName())) ignored.add(s);
        }
        long[] refTimes = referenceTimes(ev, c.args().get(0), g);
        Vec info = fetchInfoSeries(ev, base, ignored, dataMatchers, refTimes, g);
        Vec out = combine(ev, base, info, ignored, dataMatchers, g);
        ev.release(base);
        if (info != null) ev.release(info);
        ev.addSamples(ev.countOf(out));
        return out;
    }

    /**
     * The time at which the info series are looked up for each step: the reference time of the
     * first selector in {@code arg}, through the {@code @} and {@code offset} of the subqueries
     * around it, so enrichment is as of the same time as the base samples.
     */
    private static long[] referenceTimes(Evaluator ev, Expr arg, Grid g) {
        List<Object> path = new ArrayList<>();
        firstSelectorPath(arg, path);
        long[] te = new long[g.steps()];
        for (int i = 0; i < te.length; i++) {
            long t = g.t(i);
            for (Object node : path) {
                if (node instanceof SubqueryExpr sq) t = ev.evalTime(sq.at(), t) - sq.offsetMs();
                else if (node instanceof VectorSelector vs) t = ev.evalTime(vs.at(), t) - vs.offsetMs();
            }
            te[i] = t;
        }
        if (!sorted(te)) java.util.Arrays.sort(te); // pinned or shifted times stay monotonic in practice
        return te;
    }

    private static boolean sorted(long[] a) {
        for (int i = 1; i < a.length; i++) if (a[i] < a[i - 1]) return false;
        return true;
    }

    /** Pre-order walk to the first vector selector, collecting the subqueries on the way. */
    private static boolean firstSelectorPath(Expr e, List<Object> path) {
        switch (e) {
            case VectorSelector vs -> {
                path.add(vs);
                return true;
            }
            case MatrixSelector ms -> {
                path.add(ms.vs());
                return true;
            }
            case SubqueryExpr sq -> {
                path.add(sq);
                if (firstSelectorPath(sq.expr(), path)) return true;
                path.removeLast();
                return false;
            }
            default -> {
                for (Expr child : children(e)) if (firstSelectorPath(child, path)) return true;
                return false;
            }
        }
    }

    private static List<Expr> children(Expr e) {
        return switch (e) {
            case io.pyrometer.promql.ast.ParenExpr p -> List.of(p.expr());
            case io.pyrometer.promql.ast.StepInvariantExpr s -> List.of(s.expr());
            case io.pyrometer.promql.ast.UnaryExpr u -> List.of(u.expr());
            case Call c -> c.args();
            case io.pyrometer.promql.ast.AggregateExpr a -> a.param() == null ? List.of(a.expr()) : List.of(a.param(), a.expr());
            case io.pyrometer.promql.ast.BinaryExpr b -> List.of(b.lhs(), b.rhs());
            default -> List.of();
        };
    }

    private static boolean matchAll(List<LabelMatcher> ms, String value) {
        for (LabelMatcher m : ms) if (!m.matches(value)) return false;
        return true;
    }

    /** Info series matching the identifying labels of {@code base}; values are sample timestamps. */
    private static Vec fetchInfoSeries(Evaluator ev, Vec base, Set<StepSeries> ignored,
                                       Map<String, List<LabelMatcher>> dataMatchers, long[] refTimes, Grid g) {
        Map<String, Set<String>> idValues = new TreeMap<>();
        for (StepSeries s : base.series()) {
            if (ignored.contains(s)) continue;
            for (String l : IDENTIFYING) {
                String v = s.labels.get(l);
                if (!v.isEmpty()) idValues.computeIfAbsent(l, k -> new LinkedHashSet<>()).add(v);
            }
        }
        List<LabelMatcher> selector = new ArrayList<>();
        boolean hasName = false, hasPositiveName = false;
        for (Map.Entry<String, Set<String>> e : idValues.entrySet()) {
            StringBuilder re = new StringBuilder();
            for (String v : e.getValue()) {
                if (!re.isEmpty()) re.append('|');
                re.append(quoteMeta(v));
            }
            selector.add(LabelMatcher.of(LabelMatcher.Type.RE, e.getKey(), re.toString()));
        }
        for (List<LabelMatcher> ms : dataMatchers.values()) {
            for (LabelMatcher m : ms) {
                if (m.name().equals(Labels.METRIC_NAME)) {
                    hasName = true;
                    hasPositiveName |= !m.type().isNegative();
                }
                selector.add(m);
            }
        }
        dataMatchers.remove(Labels.METRIC_NAME); // selects info metrics; not a data label
        if (idValues.isEmpty()) return null;
        // Without a name matcher only target_info is considered; with only negative ones, any
        // *_info metric they do not exclude.
        if (!hasName) selector.addFirst(LabelMatcher.eq(Labels.METRIC_NAME, TARGET_INFO));
        else if (!hasPositiveName) selector.addFirst(LabelMatcher.of(LabelMatcher.Type.RE, Labels.METRIC_NAME, ".+_info"));
        return ev.selectVectorAt(new VectorSelector(null, selector), refTimes, g.stepMs(), true);
    }

    private static Vec combine(Evaluator ev, Vec base, Vec info, Set<StepSeries> ignored,
                               Map<String, List<LabelMatcher>> dataMatchers, Grid g) {
        List<StepSeries> infos = info == null ? List.of() : info.series();
        Set<String> infoNames = new LinkedHashSet<>();
        for (StepSeries s : infos) infoNames.add(s.labels.metricName());
        Map<StepSeries, Map<String, Labels>> baseSigs = new HashMap<>();
        for (StepSeries s : base.series()) {
            Map<String, Labels> sigs = new LinkedHashMap<>();
            for (String name : infoNames) sigs.put(name, signature(name, s.labels));
            baseSigs.put(s, sigs);
        }
        boolean allMatchEmpty = true;
        for (List<LabelMatcher> ms : dataMatchers.values()) for (LabelMatcher m : ms) allMatchEmpty &= m.matches("");
        Map<Labels, StepSeries> out = new LinkedHashMap<>();
        Map<Labels, StepSeries> bySig = new HashMap<>();
        for (int i = 0; i < g.steps(); i++) {
            ev.check("info");
            bySig.clear();
            for (StepSeries s : infos) {
                if (!s.has(i)) continue;
                Labels sig = signature(s.labels.metricName(), s.labels);
                StepSeries prev = bySig.get(sig);
                if (prev == null || prev.v[i] < s.v[i]) bySig.put(sig, s);
                else if (prev.v[i] == s.v[i]) {
                    throw PromQLException.execution("found duplicate series for info metric: existing " + prev.labels + " @ "
                            + (long) (prev.v[i] * 1000) + ", new " + s.labels + " @ " + (long) (s.v[i] * 1000));
                }
            }
            for (StepSeries b : base.series()) {
                if (!b.has(i)) continue;
                Labels result = ignored.contains(b) ? b.labels : enrich(b, baseSigs.get(b), bySig, dataMatchers, allMatchEmpty);
                if (result == null) continue;
                StepSeries o = out.computeIfAbsent(result, l -> new StepSeries(l, g.steps()));
                if (o.has(i)) throw PromQLException.execution("vector cannot contain metrics with the same labelset");
                o.set(i, b.v[i]);
                o.dropName |= b.dropName; // a name flagged for removal stays flagged
            }
        }
        return new Vec(new ArrayList<>(out.values()));
    }

    /** The base labels plus the matched info series' data labels; null to drop the sample. */
    private static Labels enrich(StepSeries b, Map<String, Labels> sigs, Map<Labels, StepSeries> bySig,
                                 Map<String, List<LabelMatcher>> dataMatchers, boolean allMatchEmpty) {
        Labels.Builder add = Labels.builder();
        boolean seen = false;
        for (Labels sig : sigs.values()) {
            StepSeries is = bySig.get(sig);
            if (is == null) continue;
            seen = true;
            for (int k = 0; k < is.labels.size(); k++) {
                String name = is.labels.name(k), value = is.labels.value(k);
                if (name.equals(Labels.METRIC_NAME)) continue;
                if (!dataMatchers.isEmpty() && !dataMatchers.containsKey(name)) continue;
                String have = add.get(name);
                if (!have.isEmpty() && !have.equals(value)) throw PromQLException.execution("conflicting label: " + name);
                if (b.labels.has(name)) continue;
                add.set(name, value);
            }
        }
        if (!seen && !allMatchEmpty) return null;
        Labels.Builder out = b.labels.toBuilder();
        add.forEach(out::set);
        return out.build();
    }

    private static Labels signature(String name, Labels l) {
        Labels.Builder b = Labels.builder().set(Labels.METRIC_NAME, name);
        for (String id : IDENTIFYING) {
            String v = l.get(id);
            if (!v.isEmpty()) b.set(id, v);
        }
        return b.build();
    }

    /** Go's regexp.QuoteMeta. */
    static String quoteMeta(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if ("\\.+*?()|[]{}^$".indexOf(ch) >= 0) sb.append('\\');
            sb.append(ch);
        }
        return sb.toString();
    }
}
