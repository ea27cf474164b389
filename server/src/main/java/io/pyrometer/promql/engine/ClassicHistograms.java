package io.pyrometer.promql.engine;

import io.pyrometer.model.Labels;
import io.pyrometer.promql.ast.Call;
import io.pyrometer.promql.ast.Expr;
import io.pyrometer.promql.engine.EvalValue.Vec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code histogram_quantile}, {@code histogram_fraction} and {@code histogram_quantiles} over
 * classic histograms: series named {@code *_bucket} with an {@code le} label, grouped by their
 * other labels. The grouping is computed once per query; the per-step work sorts at most one
 * bucket array per group.
 */
final class ClassicHistograms {
    private ClassicHistograms() {}

    /** The bucket series of one histogram: same labels apart from {@code le}. */
    private static final class Group {
        final Labels labels;
        final List<StepSeries> series = new ArrayList<>();
        double[] les = new double[8];
        boolean dropName;

        Group(Labels labels) { this.labels = labels; }

        void add(StepSeries s, double le) {
            if (series.size() == les.length) les = java.util.Arrays.copyOf(les, les.length * 2);
            les[series.size()] = le;
            series.add(s);
            dropName |= s.dropName;
        }
    }

    /** Scratch arrays for one step's buckets, reused for every group and step. */
    private static final class Scratch {
        double[] les = new double[16], counts = new double[16];
        final boolean[] forced = new boolean[1];

        /** Copies the buckets present at step {@code i}; returns how many. */
        int load(Group gr, int i) {
            int size = gr.series.size();
            if (les.length < size) {
                les = new double[size];
                counts = new double[size];
            }
            int k = 0;
            for (int j = 0; j < size; j++) {
                StepSeries b = gr.series.get(j);
                if (!b.has(i)) continue;
                les[k] = gr.les[j];
                counts[k++] = b.v[i];
            }
            return k;
        }
    }

    static Vec eval(Evaluator ev, Call c, Grid g) {
        List<Expr> a = c.args();
        String name = c.func().name();
        boolean fraction = name.equals("histogram_fraction");
        int vecIdx = switch (name) {
            case "histogram_quantile" -> 1;
            case "histogram_fraction" -> 2;
            default -> 0;
        };
        double[][] params = params(ev, c, g);
        String quantileLabel = name.equals("histogram_quantiles") ? Evaluator.stringArg(a.get(1)) : null;
        Vec in = ev.vectorArg(a.get(vecIdx), g);
        Map<Labels, Group> groups = group(ev, in, a.get(vecIdx));
        List<StepSeries> out = new ArrayList<>();
        Scratch scratch = new Scratch();
        int outputs = fraction ? 1 : params.length;
        for (int p = 0; p < outputs; p++) {
            for (Group gr : groups.values()) {
                Labels l = gr.labels;
                if (quantileLabel != null) l = l.toBuilder().set(quantileLabel, GoFormat.openMetrics(params[p][0])).build();
                StepSeries s = new StepSeries(l, g.steps());
                s.dropName = gr.dropName;
                boolean forced = fraction ? fraction(gr, params, s, scratch) : quantile(gr, params[p], s, scratch);
                if (forced) ev.annos.forcedMonotonicity(ev.opts.enableDelayedNameRemoval() ? gr.labels.metricName() : "", a.get(vecIdx).pos());
                if (!s.isEmpty()) {
                    ev.dropName(s);
                    out.add(s);
                    ev.addSamples(s.count());
                }
            }
        }
        ev.release(in);
        return new Vec(out);
    }

    /** The scalar parameters per step (quantiles, or lower and upper); warns on invalid quantiles. */
    private static double[][] params(Evaluator ev, Call c, Grid g) {
        List<Expr> a = c.args();
        String name = c.func().name();
        if (name.equals("histogram_fraction")) {
            return new double[][] {ev.scalarArg(a.get(0), g).v(), ev.scalarArg(a.get(1), g).v()};
        }
        int first = name.equals("histogram_quantiles") ? 2 : 0;
        int last = name.equals("histogram_quantiles") ? a.size() : 1;
        double[][] params = new double[last - first][];
        for (int i = first; i < last; i++) {
            params[i - first] = ev.scalarArg(a.get(i), g).v();
            for (double q : params[i - first]) {
                if (Double.isNaN(q) || q < 0 || q > 1) {
                    ev.annos.invalidQuantile(q, a.get(i).pos());
                    break;
                }
            }
        }
        return params;
    }

    /** Fills {@code s} with the group's quantile per step; returns whether monotonicity was forced. */
    private static boolean quantile(Group gr, double[] q, StepSeries s, Scratch sc) {
        boolean forced = false;
        for (int i = 0; i < s.steps(); i++) {
            int k = sc.load(gr, i);
            if (k == 0) continue;
            sc.forced[0] = false;
            s.set(i, bucketQuantile(q[i], sc.les, sc.counts, k, sc.forced));
            forced |= sc.forced[0];
        }
        return forced;
    }

    private static boolean fraction(Group gr, double[][] bounds, StepSeries s, Scratch sc) {
        for (int i = 0; i < s.steps(); i++) {
            int k = sc.load(gr, i);
            if (k > 0) s.set(i, bucketFraction(bounds[0][i], bounds[1][i], sc.les, sc.counts, k));
        }
        return false;
    }

    private static Map<Labels, Group> group(Evaluator ev, Vec in, Expr arg) {
        Map<Labels, Group> groups = new LinkedHashMap<>();
        for (StepSeries s : in.series()) {
            String le = s.labels.get("le");
            double bound;
            try {
                bound = parseGoFloat(le);
            } catch (NumberFormatException e) {
                ev.annos.badBucketLabel(s.labels.metricName(), le, arg.pos());
                continue;
            }
            Labels key = s.labels.without("le");
            if (!ev.opts.enableDelayedNameRemoval()) key = Evaluator.dropMetadata(key);
            groups.computeIfAbsent(key, Group::new).add(s, bound);
        }
        return groups;
    }

    /** Go's strconv.ParseFloat for the forms a bucket bound takes. */
    static double parseGoFloat(String s) {
        String l = s.toLowerCase();
        switch (l) {
            case "+inf", "inf", "+infinity", "infinity" -> { return Double.POSITIVE_INFINITY; }
            case "-inf", "-infinity" -> { return Double.NEGATIVE_INFINITY; }
            case "nan" -> { return Double.NaN; }
            default -> { }
        }
        if (l.isEmpty() || l.endsWith("d") || l.endsWith("f") || l.contains("infinity") || l.contains("nan")) {
            throw new NumberFormatException(s);
        }
        return Double.parseDouble(s);
    }

    /** Classic-histogram quantile (Prometheus's bucketQuantile), sorting the arrays in place. */
    static double bucketQuantile(double q, double[] les, double[] counts, int n, boolean[] forcedOut) {
        if (Double.isNaN(q)) return Double.NaN;
        if (q < 0) return Double.NEGATIVE_INFINITY;
        if (q > 1) return Double.POSITIVE_INFINITY;
        sortByBound(les, counts, n);
        if (!(les[n - 1] == Double.POSITIVE_INFINITY)) return Double.NaN;
        n = coalesce(les, counts, n);
        correctPrecisionErrors(counts, n, 1e-12);
        if (ensureMonotonic(counts, n)) forcedOut[0] = true;
        if (n < 2) return Double.NaN;
        double observations = counts[n - 1];
        if (observations == 0) return Double.NaN;
        double rank = q * observations;
        int b = 0;
        while (b < n - 1 && !(counts[b] >= rank)) b++;
        if (b == n - 1) return les[n - 2];
        if (b == 0 && les[0] <= 0) return les[0];
        double start = 0, end = les[b], count = counts[b];
        if (b > 0) {
            start = les[b - 1];
            count -= counts[b - 1];
            rank -= counts[b - 1];
        }
        return start + (end - start) * (rank / count);
    }

    /** Fraction of observations in {@code [lower, upper]} (Prometheus's BucketFraction). */
    static double bucketFraction(double lower, double upper, double[] les, double[] counts, int n) {
        sortByBound(les, counts, n);
        if (!(les[n - 1] == Double.POSITIVE_INFINITY)) return Double.NaN;
        n = coalesce(les, counts, n);
        double count = counts[n - 1];
        if (count == 0 || Double.isNaN(lower) || Double.isNaN(upper)) return Double.NaN;
        if (lower >= upper) return 0;
        double rank = 0, lowerRank = 0, upperRank = 0;
        boolean lowerSet = false, upperSet = false;
        for (int i = 0; i < n; i++) {
            double lowerBound = i > 0 ? les[i - 1] : (les[0] > 0 ? 0 : Double.NEGATIVE_INFINITY);
            double upperBound = les[i];
            if (!lowerSet && lowerBound >= lower) {
                lowerRank = rank;
                lowerSet = true;
            }
            if (!upperSet && lowerBound >= upper) {
                upperRank = rank;
                upperSet = true;
            }
            if (lowerSet && upperSet) break;
            if (!lowerSet && lowerBound < lower && upperBound > lower) {
                lowerRank = interpolate(rank, counts[i], lowerBound, upperBound, lower);
                lowerSet = true;
            }
            if (!upperSet && lowerBound < upper && upperBound > upper) {
                upperRank = interpolate(rank, counts[i], lowerBound, upperBound, upper);
                upperSet = true;
            }
            if (lowerSet && upperSet) break;
            rank = counts[i];
        }
        if (!lowerSet || lowerRank > count) lowerRank = count;
        if (!upperSet || upperRank > count) upperRank = count;
        return (upperRank - lowerRank) / count;
    }

    /**
     * The rank of {@code v} inside a bucket, linearly interpolated. A bucket of infinite width
     * contributes no observations: the rank is its end for {@code (-Inf, b]} and its start for
     * {@code (b, +Inf]}.
     */
    private static double interpolate(double rankBefore, double rankAfter, double lowerBound, double upperBound, double v) {
        if (lowerBound == Double.NEGATIVE_INFINITY) return rankAfter;
        if (upperBound == Double.POSITIVE_INFINITY) return rankBefore;
        return rankBefore + (rankAfter - rankBefore) * (v - lowerBound) / (upperBound - lowerBound);
    }

    private static void sortByBound(double[] les, double[] counts, int n) {
        for (int i = 1; i < n; i++) {
            double l = les[i], c = counts[i];
            int j = i - 1;
            while (j >= 0 && les[j] > l) {
                les[j + 1] = les[j];
                counts[j + 1] = counts[j];
                j--;
            }
            les[j + 1] = l;
            counts[j + 1] = c;
        }
    }

    private static int coalesce(double[] les, double[] counts, int n) {
        int i = 0;
        for (int j = 1; j < n; j++) {
            if (les[j] == les[i]) counts[i] += counts[j];
            else {
                i++;
                les[i] = les[j];
                counts[i] = counts[j];
            }
        }
        return i + 1;
    }

    private static void correctPrecisionErrors(double[] counts, int n, double tolerance) {
        double prev = counts[0];
        for (int i = 1; i < n; i++) {
            double curr = counts[i];
            double delta = Math.abs(curr - prev);
            if (delta == 0) continue;
            if (delta / curr <= tolerance) counts[i] = prev;
            else prev = curr;
        }
    }

    private static boolean ensureMonotonic(double[] counts, int n) {
        boolean forced = false;
        double max = counts[0];
        for (int i = 1; i < n; i++) {
            if (counts[i] > max) max = counts[i];
            else if (counts[i] < max) {
                counts[i] = max;
                forced = true;
            }
        }
        return forced;
    }
}
