package io.pyrometer.promql.engine;

import io.pyrometer.model.Labels;
import io.pyrometer.promql.ast.AggOp;
import io.pyrometer.promql.ast.AggregateExpr;
import io.pyrometer.promql.engine.EvalValue.Vec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Aggregation operators. Series are assigned to groups once (grouping labels do not change
 * between steps); accumulators are arrays indexed by step, filled series by series.
 */
final class Aggregations {
    private Aggregations() {}

    static Vec eval(Evaluator ev, AggregateExpr a, Grid g) {
        AggOp op = a.op();
        double[] param = null;
        String valueLabel = null;
        switch (op) {
            case TOPK, BOTTOMK, LIMITK, LIMIT_RATIO, QUANTILE -> param = ev.scalarArg(a.param(), g).v();
            case COUNT_VALUES -> {
                valueLabel = Evaluator.stringArg(a.param());
                if (!FunctionCalls.validLabelName(valueLabel)) {
                    throw PromQLException.execution("invalid label name " + Annotations.quote(valueLabel));
                }
            }
            default -> { }
        }
        Vec in = ev.vectorArg(a.expr(), g);
        Vec out = switch (op) {
            case TOPK, BOTTOMK, LIMITK, LIMIT_RATIO -> KAggregations.eval(ev, a, in, param, g);
            case COUNT_VALUES -> countValues(ev, a, in, valueLabel, g);
            case QUANTILE -> quantile(ev, a, in, param, g);
            default -> simple(ev, a, in, g);
        };
        ev.release(in);
        long n = 0;
        for (StepSeries s : out.series()) n += s.count();
        ev.addSamples(n);
        return out;
    }

    /** The labels of the group a series belongs to. */
    static Labels groupLabels(Labels l, List<String> grouping, boolean without) {
        if (without) {
            Labels.Builder b = l.toBuilder();
            for (String name : grouping) b.del(name);
            b.del(Labels.METRIC_NAME);
            return b.build();
        }
        if (grouping.isEmpty()) return Labels.EMPTY;
        Labels.Builder b = Labels.builder();
        for (String name : grouping) {
            String v = l.get(name);
            if (!v.isEmpty()) b.set(name, v);
        }
        return b.build();
    }

    /** Group index per series; fills {@code groupLabels} in first-seen order. */
    static int[] assignGroups(List<StepSeries> series, AggregateExpr a, List<Labels> groupLabels) {
        Map<Labels, Integer> idx = new HashMap<>();
        int[] out = new int[series.size()];
        for (int i = 0; i < series.size(); i++) {
            Labels gl = groupLabels(series.get(i).labels, a.grouping(), a.without());
            Integer gi = idx.get(gl);
            if (gi == null) {
                gi = groupLabels.size();
                idx.put(gl, gi);
                groupLabels.add(gl);
            }
            out[i] = gi;
        }
        return out;
    }

    /** Per-group, per-step state of sum, avg, count, min, max, group, stddev and stdvar. */
    private static final class Accumulators {
        final StepSeries[] out;
        final double[][] c, count, mean;
        final boolean[][] incremental;

        Accumulators(AggOp op, List<Labels> labels, int n) {
            int groups = labels.size();
            out = new StepSeries[groups];
            c = new double[groups][];
            count = new double[groups][];
            mean = new double[groups][];
            incremental = op == AggOp.AVG ? new boolean[groups][] : null;
            for (int i = 0; i < groups; i++) {
                out[i] = new StepSeries(labels.get(i), n);
                c[i] = new double[n];
                count[i] = new double[n];
                if (op == AggOp.AVG || op == AggOp.STDDEV || op == AggOp.STDVAR) mean[i] = new double[n];
                if (incremental != null) incremental[i] = new boolean[n];
            }
        }
    }

    private static Vec simple(Evaluator ev, AggregateExpr a, Vec in, Grid g) {
        List<StepSeries> series = in.series();
        List<Labels> labels = new ArrayList<>();
        int[] groupOf = assignGroups(series, a, labels);
        Accumulators acc = new Accumulators(a.op(), labels, g.steps());
        for (int si = 0; si < series.size(); si++) {
            ev.check("aggregation");
            accumulate(a.op(), acc, groupOf[si], series.get(si));
        }
        List<StepSeries> result = new ArrayList<>(labels.size());
        for (int gi = 0; gi < labels.size(); gi++) {
            finish(a.op(), acc, gi);
            if (!acc.out[gi].isEmpty()) result.add(acc.out[gi]);
        }
        return new Vec(result);
    }

    /** Adds one input series into its group, step by step, as Prometheus's aggregation loop. */
    private static void accumulate(AggOp op, Accumulators acc, int gi, StepSeries s) {
        StepSeries o = acc.out[gi];
        if (s.dropName) o.dropName = true;
        double[] gc = acc.c[gi], gn = acc.count[gi], gm = acc.mean[gi];
        for (int i = 0; i < s.v.length; i++) {
            if (!s.has(i)) continue;
            double f = s.v[i];
            if (!o.has(i)) {
                gn[i] = 1;
                gc[i] = 0;
                switch (op) {
                    case GROUP -> o.set(i, 1);
                    case STDDEV, STDVAR -> {
                        gm[i] = f;
                        o.set(i, Double.isNaN(f) || Double.isInfinite(f) ? Double.NaN : 0);
                    }
                    case AVG -> {
                        gm[i] = f;
                        o.set(i, f);
                    }
                    default -> o.set(i, f);
                }
                continue;
            }
            switch (op) {
                case SUM -> {
                    double sum = o.v[i];
                    double t = sum + f;
                    if (Double.isInfinite(t)) gc[i] = 0;
                    else if (Math.abs(sum) >= Math.abs(f)) gc[i] += (sum - t) + f;
                    else gc[i] += (f - t) + sum;
                    o.v[i] = t;
                }
                case AVG -> avgStep(o, gc, gn, gm, acc.incremental[gi], i, f);
                case COUNT -> gn[i]++;
                case MAX -> {
                    if (o.v[i] < f || Double.isNaN(o.v[i])) o.v[i] = f;
                }
                case MIN -> {
                    if (o.v[i] > f || Double.isNaN(o.v[i])) o.v[i] = f;
                }
                case STDDEV, STDVAR -> {
                    gn[i]++;
                    double delta = f - gm[i];
                    gm[i] += delta / gn[i];
                    o.v[i] += delta * (f - gm[i]);
                }
                case GROUP -> { }
                default -> throw new IllegalStateException(op.toString());
            }
        }
    }

    /** Turns a group's accumulators into its output values. */
    private static void finish(AggOp op, Accumulators acc, int gi) {
        StepSeries o = acc.out[gi];
        double[] c = acc.c[gi], count = acc.count[gi], mean = acc.mean[gi];
        for (int i = 0; i < o.v.length; i++) {
            if (!o.has(i)) continue;
            switch (op) {
                case SUM -> o.v[i] += c[i];
                case AVG -> o.v[i] = acc.incremental[gi][i] ? mean[i] + c[i] : o.v[i] / count[i] + c[i] / count[i];
                case COUNT -> o.v[i] = count[i];
                case STDVAR -> o.v[i] /= count[i];
                case STDDEV -> o.v[i] = Math.sqrt(o.v[i] / count[i]);
                default -> { }
            }
        }
    }

    /** Prometheus's mean: Kahan-compensated sum until it would overflow, then incremental. */
    private static void avgStep(StepSeries o, double[] gc, double[] gn, double[] gm, boolean[] incr, int i, double f) {
        gn[i]++;
        if (!incr[i]) {
            double sum = o.v[i];
            double t = sum + f;
            double nc = gc[i];
            if (Double.isInfinite(t)) nc = 0;
            else if (Math.abs(sum) >= Math.abs(f)) nc += (sum - t) + f;
            else nc += (f - t) + sum;
            if (!Double.isInfinite(t)) {
                o.v[i] = t;
                gc[i] = nc;
                return;
            }
            incr[i] = true;
            gm[i] = o.v[i] / (gn[i] - 1);
            gc[i] /= gn[i] - 1;
        }
        double q = (gn[i] - 1) / gn[i];
        double inc = f / gn[i], sum = q * gm[i], cc = q * gc[i];
        double t = sum + inc;
        if (Double.isInfinite(t)) cc = 0;
        else if (Math.abs(sum) >= Math.abs(inc)) cc += (sum - t) + inc;
        else cc += (inc - t) + sum;
        gm[i] = t;
        gc[i] = cc;
    }

    private static Vec quantile(Evaluator ev, AggregateExpr a, Vec in, double[] q, Grid g) {
        List<StepSeries> series = in.series();
        List<Labels> labels = new ArrayList<>();
        int[] groupOf = assignGroups(series, a, labels);
        int n = g.steps(), groups = labels.size();
        StepSeries[] out = new StepSeries[groups];
        for (int i = 0; i < groups; i++) out[i] = new StepSeries(labels.get(i), n);
        for (int si = 0; si < series.size(); si++) if (series.get(si).dropName) out[groupOf[si]].dropName = true;
        double[][] buf = new double[groups][4];
        int[] fill = new int[groups];
        boolean warned = false;
        for (int i = 0; i < n; i++) {
            ev.check("aggregation");
            java.util.Arrays.fill(fill, 0);
            for (int si = 0; si < series.size(); si++) {
                StepSeries s = series.get(si);
                if (!s.has(i)) continue;
                int gi = groupOf[si];
                if (fill[gi] == buf[gi].length) buf[gi] = java.util.Arrays.copyOf(buf[gi], fill[gi] * 2);
                buf[gi][fill[gi]++] = s.v[i];
            }
            boolean any = false;
            for (int gi = 0; gi < groups; gi++) {
                if (fill[gi] == 0) continue;
                any = true;
                out[gi].set(i, Quantiles.quantile(q[i], buf[gi], fill[gi]));
            }
            if (any && !warned && (Double.isNaN(q[i]) || q[i] < 0 || q[i] > 1)) {
                ev.annos.invalidQuantile(q[i], a.param().pos());
                warned = true;
            }
        }
        List<StepSeries> result = new ArrayList<>();
        for (StepSeries o : out) if (!o.isEmpty()) result.add(o);
        return new Vec(result);
    }

    private static Vec countValues(Evaluator ev, AggregateExpr a, Vec in, String valueLabel, Grid g) {
        int n = g.steps();
        Map<Labels, StepSeries> out = new LinkedHashMap<>();
        // With by(...) (or nothing) the value label is part of the grouping, as in Prometheus.
        List<String> grouping = a.grouping();
        if (!a.without()) {
            grouping = new ArrayList<>(grouping);
            grouping.add(valueLabel);
        }
        for (StepSeries s : in.series()) {
            ev.check("aggregation");
            Labels.Builder b = s.labels.toBuilder();
            for (int i = 0; i < n; i++) {
                if (!s.has(i)) continue;
                b.reset(s.labels).set(valueLabel, GoFormat.plain(s.v[i]));
                Labels gl = groupLabels(b.build(), grouping, a.without());
                StepSeries o = out.computeIfAbsent(gl, l -> new StepSeries(l, n));
                o.set(i, o.has(i) ? o.v[i] + 1 : 1);
            }
        }
        return new Vec(new ArrayList<>(out.values()));
    }

    /** Fails when two series carry the same labels (Prometheus's ContainsSameLabelset check). */
    static void failOnDuplicateLabels(Vec v) {
        if (v.series().size() < 2) return;
        Set<Labels> seen = new HashSet<>();
        for (StepSeries s : v.series()) {
            if (!seen.add(s.labels)) throw PromQLException.execution("vector cannot contain metrics with the same labelset");
        }
    }
}
