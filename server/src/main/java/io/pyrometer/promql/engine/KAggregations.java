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

    /**
     * Most heap slots one pass over the input may hold: the steps are taken in blocks so that each
     * series is read once per block (series-major, cache-friendly) while the per-step, per-group
     * heaps stay bounded.
     */
    private static final int MAX_HEAP_SLOTS = 1 << 18;

    static Vec eval(Evaluator ev, AggregateExpr a, Vec in, double[] param, Grid g) {
        List<StepSeries> series = in.series();
        List<Labels> labels = new ArrayList<>();
        int[] groupOf = Aggregations.assignGroups(series, a, labels);
        int n = g.steps();
        long[] k = new long[n];
        double[] ratio = new double[n];
        boolean any = stepParams(ev, a, param, series.size(), k, ratio);
        StepSeries[] out = new StepSeries[series.size()];
        List<StepSeries> result = new ArrayList<>();
        if (!any) return new Vec(result);
        int groups = labels.size();
        long cap = a.op() == AggOp.LIMIT_RATIO ? series.size() : max(k);
        int block = (int) Math.max(1, Math.min(n, MAX_HEAP_SLOTS / Math.max(1, groups * cap)));
        Selection sel = new Selection(a.op(), series.toArray(new StepSeries[0]), groupOf, groups, block, (int) cap);
        List<int[]> instantOrder = new ArrayList<>(); // instant queries keep Prometheus's result order
        for (int from = 0; from < n; from += block) {
            ev.check("aggregation");
            int to = Math.min(n, from + block);
            sel.select(from, to, k, ratio);
            for (int i = from; i < to; i++) {
                for (int gi = 0; gi < groups; gi++) {
                    int[] order = sel.ordered(i, gi);
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
        }
        if (n == 1) {
            for (int[] order : instantOrder) for (int si : order) result.add(out[si]);
        } else {
            for (StepSeries s : out) if (s != null) result.add(s);
        }
        return new Vec(result);
    }

    /**
     * Checks the parameter of every step, as Prometheus does before selecting, and fills {@code k}
     * (0: select nothing at that step) or {@code ratio}; returns whether any step selects.
     */
    private static boolean stepParams(Evaluator ev, AggregateExpr a, double[] param, int size, long[] k, double[] ratio) {
        boolean warned = false, any = false;
        for (int i = 0; i < k.length; i++) {
            double p = param[i];
            if (a.op() == AggOp.LIMIT_RATIO) {
                if (Double.isNaN(p)) throw PromQLException.execution("Ratio value is NaN");
                double r = Math.max(-1, Math.min(1, p));
                if (r != p && !warned) {
                    ev.annos.invalidRatio(p, r, a.param().pos());
                    warned = true;
                }
                ratio[i] = r;
                k[i] = r == 0 ? 0 : size;
            } else {
                if (Double.isNaN(p)) throw PromQLException.execution("Parameter value is NaN");
                if (p >= 9.223372036854775807E18 || p < -9.223372036854775808E18) {
                    throw PromQLException.execution("Scalar value " + GoFormat.g(p) + " overflows int64");
                }
                k[i] = Math.max(0, Math.min((long) p, size));
            }
            any |= k[i] > 0;
        }
        return any;
    }

    private static long max(long[] a) {
        long m = 0;
        for (long x : a) m = Math.max(m, x);
        return m;
    }

    /** The per-step, per-group heaps of one block of steps; reused across blocks. */
    private static final class Selection {
        final AggOp op;
        final StepSeries[] series;
        final int[] groupOf;
        final int groups;
        final int[][] heaps; // [(step - blockStart) * groups + group]
        final int[] sizes;
        final int cap;
        int blockStart;

        Selection(AggOp op, StepSeries[] series, int[] groupOf, int groups, int block, int cap) {
            this.op = op;
            this.series = series;
            this.groupOf = groupOf;
            this.groups = groups;
            this.heaps = new int[block * groups][];
            this.sizes = new int[block * groups];
            this.cap = cap;
        }

        /**
         * Picks the series of steps {@code [from, to)}: up to {@code k[i]} per group, or by
         * {@code ratio[i]}. Each step sees the series in input order, so ties resolve as in
         * Prometheus's step-by-step evaluation.
         */
        void select(int from, int to, long[] k, double[] ratio) {
            blockStart = from;
            Arrays.fill(sizes, 0);
            for (int si = 0; si < series.length; si++) {
                StepSeries s = series[si];
                int gi = groupOf[si];
                for (int i = from; i < to; i++) {
                    if (k[i] == 0 || !s.has(i)) continue;
                    int slot = (i - from) * groups + gi;
                    int[] h = heaps[slot];
                    if (h == null) h = heaps[slot] = new int[cap];
                    switch (op) {
                        case TOPK, BOTTOMK -> offer(h, slot, si, i, k[i], op == AggOp.BOTTOMK);
                        case LIMITK -> {
                            if (sizes[slot] < k[i]) h[sizes[slot]++] = si;
                        }
                        case LIMIT_RATIO -> {
                            if (addRatioSample(ratio[i], s.labels)) h[sizes[slot]++] = si;
                        }
                        default -> throw new IllegalStateException(op.toString());
                    }
                }
            }
        }

        /** Go's topk/bottomk heap step: push while below k, else replace the top if better. */
        private void offer(int[] h, int slot, int si, int step, long k, boolean bottom) {
            if (sizes[slot] < k) {
                push(h, sizes[slot]++, si, series, step, bottom);
                return;
            }
            double top = series[h[0]].v[step], v = series[si].v[step];
            boolean better = bottom ? top > v : top < v;
            if (better || (Double.isNaN(top) && !Double.isNaN(v))) {
                h[0] = si;
                if (k > 1) down(h, 0, sizes[slot], series, step, bottom);
            }
        }

        /** The selected series of a group at step {@code i} (in the current block) in output order, or null. */
        int[] ordered(int i, int gi) {
            int slot = (i - blockStart) * groups + gi;
            if (sizes[slot] == 0) return null;
            int[] order = Arrays.copyOf(heaps[slot], sizes[slot]);
            if (op == AggOp.TOPK) sortByValue(order, series, i, true);
            else if (op == AggOp.BOTTOMK) sortByValue(order, series, i, false);
            return order;
        }
    }

    /** Go's vectorByValueHeap.Less (NaN smallest), or the reverse heap's for bottomk, at step {@code i}. */
    private static boolean less(StepSeries[] s, int i, int a, int b, boolean reverse) {
        double va = s[a].v[i], vb = s[b].v[i];
        if (Double.isNaN(va)) return true;
        return reverse ? va > vb : va < vb;
    }

    private static void push(int[] h, int size, int si, StepSeries[] s, int step, boolean reverse) {
        h[size] = si;
        int j = size;
        while (true) {
            int i = (j - 1) / 2;
            if (i == j || !less(s, step, h[j], h[i], reverse)) break;
            int t = h[i];
            h[i] = h[j];
            h[j] = t;
            j = i;
        }
    }

    private static void down(int[] h, int i0, int n, StepSeries[] s, int step, boolean reverse) {
        int i = i0;
        while (true) {
            int j1 = 2 * i + 1;
            if (j1 >= n) break;
            int j = j1;
            int j2 = j1 + 1;
            if (j2 < n && less(s, step, h[j2], h[j1], reverse)) j = j2;
            if (!less(s, step, h[j], h[i], reverse)) break;
            int t = h[i];
            h[i] = h[j];
            h[j] = t;
            i = j;
        }
    }

    /** Descending (topk) or ascending (bottomk), NaN last: the reverse of the heap order. Stable. */
    private static void sortByValue(int[] order, StepSeries[] s, int step, boolean desc) {
        for (int i = 1; i < order.length; i++) {
            int x = order[i];
            double vx = s[x].v[step];
            int j = i - 1;
            while (j >= 0 && (desc ? FunctionCalls.compareValuesDesc(s[order[j]].v[step], vx)
                    : FunctionCalls.compareValues(s[order[j]].v[step], vx)) > 0) {
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
