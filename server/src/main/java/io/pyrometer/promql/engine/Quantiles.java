package io.pyrometer.promql.engine;

import java.util.Arrays;

/** Prometheus's {@code quantile} over plain values (aggregation and {@code quantile_over_time}). */
final class Quantiles {
    private Quantiles() {}

    /**
     * The φ-quantile of {@code values[0..n)} by linear interpolation between closest ranks.
     * Sorts the given range in place (NaNs first, as Prometheus's heap order does).
     */
    static double quantile(double q, double[] values, int n) {
        if (n == 0 || Double.isNaN(q)) return Double.NaN;
        if (q < 0) return Double.NEGATIVE_INFINITY;
        if (q > 1) return Double.POSITIVE_INFINITY;
        sortNaNFirst(values, n);
        double rank = q * (n - 1);
        double lower = Math.max(0, Math.floor(rank));
        double upper = Math.min(n - 1, lower + 1);
        double weight = rank - Math.floor(rank);
        return values[(int) lower] * (1 - weight) + values[(int) upper] * weight;
    }

    static void sortNaNFirst(double[] values, int n) {
        Arrays.sort(values, 0, n); // NaNs go last in Java
        int nan = 0;
        for (int i = n - 1; i >= 0 && Double.isNaN(values[i]); i--) nan++;
        if (nan == 0 || nan == n) return;
        System.arraycopy(values, 0, values, nan, n - nan);
        Arrays.fill(values, 0, nan, Double.NaN);
    }
}
