package io.pyrometer.promql.engine;

import io.pyrometer.model.Labels;
import io.pyrometer.promql.ast.AggOp;
import io.pyrometer.promql.ast.AggregateExpr;
import io.pyrometer.promql.engine.EvalValue.Vec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code topk}, {@code bottomk}, {@code limitk} and {@code limit_ratio}: per step and group, pick
 * input series. The selection uses the same binary heap as Go's container/heap so ties resolve
 * as in Prometheus.
 */
final class KAggregations {
    private KAggregations() {}

    static Vec eval(Evaluator ev, AggregateExpr a, Vec in, double[] param, Grid g) {
        AggOp op = a.op();
        List<StepSeries> series = in.series();
        List<Labels> labels = new ArrayList<>();
        int[] groupOf = Aggregations.assignGroups(series, a, labels);
        int n = g.steps(), groups = labels.size();
        StepSeries[] out = new StepSeries[series.size()];
        int[][] heaps = new int[groups][];
        int[] sizes = new int[groups];
        double[] vals = new double[series.size()];
        List<int[]> instantOrder = new ArrayList<>(); // for instant queries: result order
        boolean warned = false;
        for (int i = 0; i < n; i++) {
            ev.check("aggregation");
            double p = param[i];
            long k = 0;
            double ratio = 0;
            if (op == AggOp.LIMIT_RATIO) {
                if (Double.isNaN(p)) throw PromQLException.execution("Ratio value is NaN");
                ratio = Math.max(-1, Math.min(1, p));
                if (ratio != p && !warned) {
                    ev.annos.invalidRatio(p, ratio, a.param().pos());
                    warned = true;
                }
                if (ratio == 0) continue;
            } else {
                if (Double.isNaN(p)) throw PromQLException.execution("Parameter value is NaN");
                if (p >= 9.223372036854775807E18 || p < -9.223372036854775808E18) {
                    throw PromQLException.execution("Scalar value " + GoFormat.g(p) + " overflows int64");
                }
                k = Math.min((long) p, series.size());
                if (k < 1) continue;
            }
            Arrays.fill(sizes, 0);
            for (int si = 0; si < series.size(); si++) {
                StepSeries s = series.get(si);
                if (!s.has(i)) continue;
                vals[si] = s.v[i];
                int gi = groupOf[si];
                if (heaps[gi] == null || heaps[gi].length < Math.min(k == 0 ? series.size() : k, series.size())) {
                    heaps[gi] = Arrays.copyOf(heaps[gi] == null ? new int[0] : heaps[gi], (int) Math.min(k == 0 ? series.size() : k, series.size()));
                }
                int[] h = heaps[gi];
                switch (op) {
                    case TOPK -> {
                        if (sizes[gi] < k) push(h, sizes[gi]++, si, vals, false);
                        else if (vals[h[0]] < vals[si] || (Double.isNaN(vals[h[0]]) && !Double.isNaN(vals[si]))) {
                            h[0] = si;
                            if (k > 1) down(h, 0, sizes[gi], vals, false);
                        }
                    }
                    case BOTTOMK -> {
                        if (sizes[gi] < k) push(h, sizes[gi]++, si, vals, true);
                        else if (vals[h[0]] > vals[si] || (Double.isNaN(vals[h[0]]) && !Double.isNaN(vals[si]))) {
                            h[0] = si;
                            if (k > 1) down(h, 0, sizes[gi], vals, true);
                        }
                    }
                    case LIMITK -> {
                        if (sizes[gi] < k) h[sizes[gi]++] = si;
                    }
                    case LIMIT_RATIO -> {
                        if (addRatioSample(ratio, s.labels)) h[sizes[gi]++] = si;
                    }
                    default -> throw new IllegalStateException(op.toString());
                }
            }
            for (int gi = 0; gi < groups; gi++) {
                int[] h = heaps[gi];
                int size = sizes[gi];
                if (size == 0) continue;
                int[] order = Arrays.copyOf(h, size);
                if (op == AggOp.TOPK) sortBoxed(order, vals, true);
                else if (op == AggOp.BOTTOMK) sortBoxed(order, vals, false);
                for (int si : order) {
                    if (out[si] == null) {
                        out[si] = new StepSeries(series.get(si).labels, n);
                        out[si].dropName = series.get(si).dropName;
                    }
                    out[si].set(i, vals[si]);
                }
                if (n == 1) instantOrder.add(order);
            }
        }
        List<StepSeries> result = new ArrayList<>();
        if (n == 1) {
            for (int[] order : instantOrder) for (int si : order) result.add(out[si]);
        } else {
            for (StepSeries s : out) if (s != null) result.add(s);
        }
        return new Vec(result);
    }

    /** Go's vectorByValueHeap.Less (NaN smallest), or the reverse heap's for bottomk. */
    private static boolean less(double[] v, int a, int b, boolean reverse) {
        if (Double.isNaN(v[a])) return true;
        return reverse ? v[a] > v[b] : v[a] < v[b];
    }

    private static void push(int[] h, int size, int si, double[] v, boolean reverse) {
        h[size] = si;
        int j = size;
        while (true) {
            int i = (j - 1) / 2;
            if (i == j || !less(v, h[j], h[i], reverse)) break;
            int t = h[i];
            h[i] = h[j];
            h[j] = t;
            j = i;
        }
    }

    private static void down(int[] h, int i0, int n, double[] v, boolean reverse) {
        int i = i0;
        while (true) {
            int j1 = 2 * i + 1;
            if (j1 >= n) break;
            int j = j1;
            int j2 = j1 + 1;
            if (j2 < n && less(v, h[j2], h[j1], reverse)) j = j2;
            if (!less(v, h[j], h[i], reverse)) break;
            int t = h[i];
            h[i] = h[j];
            h[j] = t;
            i = j;
        }
    }

    /** Descending (topk) or ascending (bottomk), NaN last: the reverse of the heap order. */
    private static void sortBoxed(int[] order, double[] v, boolean desc) {
        Integer[] boxed = new Integer[order.length];
        for (int i = 0; i < order.length; i++) boxed[i] = order[i];
        Arrays.sort(boxed, (a, b) -> desc ? FunctionCalls.compareValuesDesc(v[a], v[b]) : FunctionCalls.compareValues(v[a], v[b]));
        for (int i = 0; i < order.length; i++) order[i] = boxed[i];
    }

    /**
     * Whether {@code limit_ratio} keeps a series: a stable hash of its labels mapped to [0, 1)
     * is below the ratio (or, for a negative ratio, at or above {@code 1 + ratio}), so
     * {@code limit_ratio(r, x)} and {@code limit_ratio(-(1-r), x)} are complements.
     */
    static boolean addRatioSample(double ratio, Labels l) {
        double offset = Long.compareUnsigned(l.stableHash(), 0) == 0 ? 0
                : (double) (l.stableHash() >>> 11) / (double) (1L << 53);
        return (ratio >= 0 && offset < ratio) || (ratio < 0 && offset >= 1.0 + ratio);
    }
}
