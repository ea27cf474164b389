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
        List<StepSeries> series = in.series();
        List<Labels> labels = new ArrayList<>();
        int[] groupOf = Aggregations.assignGroups(series, a, labels);
        int n = g.steps();
        Selection sel = new Selection(a.op(), series, groupOf, labels.size());
        StepSeries[] out = new StepSeries[series.size()];
        List<int[]> instantOrder = new ArrayList<>(); // instant queries keep Prometheus's result order
        boolean warned = false;
        for (int i = 0; i < n; i++) {
            ev.check("aggregation");
            double p = param[i];
            if (a.op() == AggOp.LIMIT_RATIO) {
                if (Double.isNaN(p)) throw PromQLException.execution("Ratio value is NaN");
                double ratio = Math.max(-1, Math.min(1, p));
                if (ratio != p && !warned) {
                    ev.annos.invalidRatio(p, ratio, a.param().pos());
                    warned = true;
                }
                if (ratio == 0) continue;
                sel.select(i, 0, ratio);
            } else {
                if (Double.isNaN(p)) throw PromQLException.execution("Parameter value is NaN");
                if (p >= 9.223372036854775807E18 || p < -9.223372036854775808E18) {
                    throw PromQLException.execution("Scalar value " + GoFormat.g(p) + " overflows int64");
                }
                long k = Math.min((long) p, series.size());
                if (k < 1) continue;
                sel.select(i, k, 0);
            }
            for (int gi = 0; gi < labels.size(); gi++) {
                int[] order = sel.ordered(gi);
                if (order == null) continue;
                for (int si : order) {
                    if (out[si] == null) {
                        out[si] = new StepSeries(series.get(si).labels, n);
                        out[si].dropName = series.get(si).dropName;
                    }
                    out[si].set(i, series.get(si).v[i]);
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

    /** The per-group heaps of one step; reused across steps. */
    private static final class Selection {
        final AggOp op;
        final List<StepSeries> series;
        final int[] groupOf;
        final int[][] heaps;
        final int[] sizes;
        final double[] vals;

        Selection(AggOp op, List<StepSeries> series, int[] groupOf, int groups) {
            this.op = op;
            this.series = series;
            this.groupOf = groupOf;
            this.heaps = new int[groups][];
            this.sizes = new int[groups];
            this.vals = new double[series.size()];
        }

        /** Picks the series of step {@code i}: up to {@code k} per group, or by {@code ratio}. */
        void select(int i, long k, double ratio) {
            Arrays.fill(sizes, 0);
            int cap = (int) (op == AggOp.LIMIT_RATIO ? series.size() : k);
            for (int si = 0; si < series.size(); si++) {
                StepSeries s = series.get(si);
                if (!s.has(i)) continue;
                vals[si] = s.v[i];
                int gi = groupOf[si];
                if (heaps[gi] == null || heaps[gi].length < cap) heaps[gi] = new int[cap];
                int[] h = heaps[gi];
                switch (op) {
                    case TOPK, BOTTOMK -> offer(h, gi, si, k, op == AggOp.BOTTOMK);
                    case LIMITK -> {
                        if (sizes[gi] < k) h[sizes[gi]++] = si;
                    }
                    case LIMIT_RATIO -> {
                        if (addRatioSample(ratio, s.labels)) h[sizes[gi]++] = si;
                    }
                    default -> throw new IllegalStateException(op.toString());
                }
            }
        }

        /** Go's topk/bottomk heap step: push while below k, else replace the top if better. */
        private void offer(int[] h, int gi, int si, long k, boolean bottom) {
            if (sizes[gi] < k) {
                push(h, sizes[gi]++, si, vals, bottom);
                return;
            }
            double top = vals[h[0]], v = vals[si];
            boolean better = bottom ? top > v : top < v;
            if (better || (Double.isNaN(top) && !Double.isNaN(v))) {
                h[0] = si;
                if (k > 1) down(h, 0, sizes[gi], vals, bottom);
            }
        }

        /** The selected series of a group in output order, or null when none. */
        int[] ordered(int gi) {
            if (sizes[gi] == 0) return null;
            int[] order = Arrays.copyOf(heaps[gi], sizes[gi]);
            if (op == AggOp.TOPK) sortByValue(order, vals, true);
            else if (op == AggOp.BOTTOMK) sortByValue(order, vals, false);
            return order;
        }
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

    /** Descending (topk) or ascending (bottomk), NaN last: the reverse of the heap order. Stable. */
    private static void sortByValue(int[] order, double[] v, boolean desc) {
        for (int i = 1; i < order.length; i++) {
            int x = order[i];
            int j = i - 1;
            while (j >= 0 && (desc ? FunctionCalls.compareValuesDesc(v[order[j]], v[x]) : FunctionCalls.compareValues(v[order[j]], v[x])) > 0) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = x;
        }
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
