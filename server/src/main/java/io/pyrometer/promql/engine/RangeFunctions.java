package io.pyrometer.promql.engine;

/**
 * The functions over range vectors ({@code rate}, {@code *_over_time}, ...), each computing one
 * value from the samples of one series inside one window. Windows are slices of the series'
 * arrays ({@code ts/vs[lo..hi)}), so evaluating a step allocates nothing.
 */
enum RangeFunctions {
    RATE { double apply(Window w) { return w.extended() ? ExtendedRanges.rate(w, true, true) : extrapolatedRate(w, true, true); } },
    INCREASE { double apply(Window w) { return w.extended() ? ExtendedRanges.rate(w, true, false) : extrapolatedRate(w, true, false); } },
    DELTA { double apply(Window w) { return w.extended() ? ExtendedRanges.rate(w, false, false) : extrapolatedRate(w, false, false); } },
    IRATE { double apply(Window w) { return instantValue(w, true); } },
    IDELTA { double apply(Window w) { return instantValue(w, false); } },
    CHANGES {
        double apply(Window w) {
            if (w.size() == 0) return NONE;
            int first = w.anchored ? ExtendedRanges.firstAnchored(w) : w.lo;
            if (first < 0) return NONE;
            int changes = 0;
            for (int i = first + 1; i < w.hi; i++) {
                double prev = w.vs[i - 1], cur = w.vs[i];
                if (cur != prev && !(Double.isNaN(cur) && Double.isNaN(prev))) changes++;
            }
            return changes;
        }
    },
    RESETS {
        double apply(Window w) {
            if (w.size() == 0) return NONE;
            int first = w.anchored ? ExtendedRanges.firstAnchored(w) : w.lo;
            if (first < 0) return NONE;
            int resets = 0;
            for (int i = first + 1; i < w.hi; i++) if (w.vs[i] < w.vs[i - 1]) resets++;
            return resets;
        }
    },
    DERIV {
        double apply(Window w) {
            if (w.size() < 2) return NONE;
            linearRegression(w, w.ts[w.lo]);
            return w.slope;
        }
    },
    PREDICT_LINEAR {
        double apply(Window w) {
            if (w.size() < 2) return NONE;
            linearRegression(w, w.stepT);
            return w.slope * w.p0 + w.intercept;
        }
    },
    AVG_OVER_TIME {
        double apply(Window w) {
            if (w.size() == 0) return NONE;
            double sum = w.vs[w.lo], count = 1, mean = 0, kahanC = 0;
            boolean incremental = false;
            for (int i = w.lo + 1; i < w.hi; i++) {
                double f = w.vs[i];
                count = i - w.lo + 1;
                if (!incremental) {
                    w.c[0] = kahanC;
                    double newSum = Kahan.inc(f, sum, w.c);
                    if (!Double.isInfinite(newSum)) {
                        sum = newSum;
                        kahanC = w.c[0];
                        continue;
                    }
                    incremental = true;
                    mean = sum / (count - 1);
                    kahanC /= count - 1;
                }
                double q = (count - 1) / count;
                w.c[0] = q * kahanC;
                mean = Kahan.inc(f / count, q * mean, w.c);
                kahanC = w.c[0];
            }
            return incremental ? mean + kahanC : sum / count + kahanC / count;
        }
    },
    SUM_OVER_TIME {
        double apply(Window w) {
            if (w.size() == 0) return NONE;
            Kahan k = w.kahan.reset();
            for (int i = w.lo; i < w.hi; i++) k.add(w.vs[i]);
            return Double.isInfinite(k.sum) ? k.sum : k.sum + k.c;
        }
    },
    COUNT_OVER_TIME { double apply(Window w) { return w.size() == 0 ? NONE : w.size(); } },
    MIN_OVER_TIME {
        double apply(Window w) {
            if (w.size() == 0) return NONE;
            double m = w.vs[w.lo];
            for (int i = w.lo; i < w.hi; i++) if (w.vs[i] < m || Double.isNaN(m)) m = w.vs[i];
            return m;
        }
    },
    MAX_OVER_TIME {
        double apply(Window w) {
            if (w.size() == 0) return NONE;
            double m = w.vs[w.lo];
            for (int i = w.lo; i < w.hi; i++) if (w.vs[i] > m || Double.isNaN(m)) m = w.vs[i];
            return m;
        }
    },
    TS_OF_MIN_OVER_TIME {
        double apply(Window w) {
            if (w.size() == 0) return NONE;
            double m = w.vs[w.lo];
            long t = w.ts[w.lo];
            for (int i = w.lo; i < w.hi; i++) {
                if (w.vs[i] <= m || Double.isNaN(m)) {
                    m = w.vs[i];
                    t = w.ts[i];
                }
            }
            return t / 1000.0;
        }
    },
    TS_OF_MAX_OVER_TIME {
        double apply(Window w) {
            if (w.size() == 0) return NONE;
            double m = w.vs[w.lo];
            long t = w.ts[w.lo];
            for (int i = w.lo; i < w.hi; i++) {
                if (w.vs[i] >= m || Double.isNaN(m)) {
                    m = w.vs[i];
                    t = w.ts[i];
                }
            }
            return t / 1000.0;
        }
    },
    LAST_OVER_TIME { double apply(Window w) { return w.size() == 0 ? NONE : w.vs[w.hi - 1]; } },
    FIRST_OVER_TIME { double apply(Window w) { return w.size() == 0 ? NONE : w.vs[w.lo]; } },
    TS_OF_LAST_OVER_TIME { double apply(Window w) { return w.size() == 0 ? NONE : w.ts[w.hi - 1] / 1000.0; } },
    TS_OF_FIRST_OVER_TIME { double apply(Window w) { return w.size() == 0 ? NONE : w.ts[w.lo] / 1000.0; } },
    PRESENT_OVER_TIME { double apply(Window w) { return w.size() == 0 ? NONE : 1; } },
    QUANTILE_OVER_TIME {
        double apply(Window w) {
            if (w.size() == 0) return NONE;
            return Quantiles.quantile(w.p0, w.copyValues(), w.size());
        }
    },
    STDDEV_OVER_TIME { double apply(Window w) { return w.size() == 0 ? NONE : Math.sqrt(variance(w)); } },
    STDVAR_OVER_TIME { double apply(Window w) { return w.size() == 0 ? NONE : variance(w); } },
    MAD_OVER_TIME {
        double apply(Window w) {
            int n = w.size();
            if (n == 0) return NONE;
            for (int i = w.lo; i < w.hi; i++) if (Double.isNaN(w.vs[i])) return Double.NaN;
            double median = Quantiles.quantile(0.5, w.copyValues(), n);
            if (w.scratch2.length < n) w.scratch2 = new double[Math.max(n, w.scratch2.length * 2)];
            double[] dev = w.scratch2;
            for (int i = 0; i < n; i++) dev[i] = Math.abs(w.vs[w.lo + i] - median);
            return Quantiles.quantile(0.5, dev, n);
        }
    },
    DOUBLE_EXPONENTIAL_SMOOTHING {
        double apply(Window w) {
            int l = w.size();
            if (l < 2) return NONE;
            double sf = w.p0, tf = w.p1;
            double s0 = 0, s1 = w.vs[w.lo], b = w.vs[w.lo + 1] - w.vs[w.lo];
            for (int i = 1; i < l; i++) {
                double x = sf * w.vs[w.lo + i];
                b = i - 1 == 0 ? b : tf * (s1 - s0) + (1 - tf) * b;
                double y = (1 - sf) * (s1 + b);
                s0 = s1;
                s1 = x + y;
            }
            return s1;
        }
    };

    /** Marks "no output at this step" (a NaN payload arithmetic never produces). */
    static final long NONE_BITS = 0x7ff4_0000_dead_beefL;
    static final double NONE = Double.longBitsToDouble(NONE_BITS);

    static boolean isNone(double v) { return Double.doubleToRawLongBits(v) == NONE_BITS; }

    abstract double apply(Window w);

    /** The samples of one series in one window, plus per-step parameters and scratch space. */
    static final class Window {
        long[] ts;
        double[] vs;
        int lo, hi;
        long rangeStart, rangeEnd, rangeMs, stepT;
        /**
         * For counter functions: {@code resetsUpTo[i]} is the number of decreases among samples
         * {@code 1..i} of the series (null when not computed).
         */
        int[] resetsUpTo;
        /** The experimental range modifiers: the slice then includes samples around the window. */
        boolean anchored, smoothed;
        double p0, p1;
        double slope, intercept;
        double[] scratch = new double[16];
        double[] scratch2 = new double[16];
        final double[] c = new double[1];
        final Kahan kahan = new Kahan();
        private final Kahan kx = new Kahan(), ky = new Kahan(), kxy = new Kahan(), kx2 = new Kahan();

        int size() { return hi - lo; }

        boolean extended() { return anchored || smoothed; }

        double[] copyValues() {
            int n = size();
            if (scratch.length < n) scratch = new double[Math.max(n, scratch.length * 2)];
            System.arraycopy(vs, lo, scratch, 0, n);
            return scratch;
        }
    }

    static double extrapolatedRate(Window w, boolean isCounter, boolean isRate) {
        int n = w.size();
        if (n < 2) return NONE;
        long firstT = w.ts[w.lo], lastT = w.ts[w.hi - 1];
        double first = w.vs[w.lo];
        double result = w.vs[w.hi - 1] - first;
        // The reset prefix counts lets windows without a counter reset (the common case) skip the loop.
        if (isCounter && (w.resetsUpTo == null || w.resetsUpTo[w.hi - 1] != w.resetsUpTo[w.lo])) {
            for (int i = w.lo + 1; i < w.hi; i++) if (w.vs[i] < w.vs[i - 1]) result += w.vs[i - 1];
        }
        double durationToStart = (firstT - w.rangeStart) / 1000.0;
        double durationToEnd = (w.rangeEnd - lastT) / 1000.0;
        double sampledInterval = (lastT - firstT) / 1000.0;
        double avgBetween = sampledInterval / (n - 1);
        double threshold = avgBetween * 1.1;
        if (durationToStart >= threshold) durationToStart = avgBetween / 2;
        if (isCounter) {
            double durationToZero = durationToStart;
            if (result > 0 && first >= 0) durationToZero = sampledInterval * (first / result);
            if (durationToZero < durationToStart) durationToStart = durationToZero;
        }
        if (durationToEnd >= threshold) durationToEnd = avgBetween / 2;
        double factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
        if (isRate) factor /= w.rangeMs / 1000.0;
        return result * factor;
    }

    static double instantValue(Window w, boolean isRate) {
        if (w.size() < 2) return NONE;
        int i1 = w.hi - 1, i0 = w.hi - 2;
        long interval = w.ts[i1] - w.ts[i0];
        if (interval == 0) return NONE;
        double result = w.vs[i1];
        if (!isRate || !(w.vs[i1] < w.vs[i0])) result = w.vs[i1] - w.vs[i0];
        if (isRate) result /= interval / 1000.0;
        return result;
    }

    /** Least squares over the window; sets {@code w.slope} and {@code w.intercept} (at {@code interceptT}). */
    static void linearRegression(Window w, long interceptT) {
        double n = 0;
        double initY = w.vs[w.lo];
        boolean constY = true;
        w.kx.reset();
        w.ky.reset();
        w.kxy.reset();
        w.kx2.reset();
        for (int i = w.lo; i < w.hi; i++) {
            double y = w.vs[i];
            if (constY && i > w.lo && y != initY) constY = false;
            n += 1;
            double x = (w.ts[i] - interceptT) / 1e3;
            w.kx.add(x);
            w.ky.add(y);
            w.kxy.add(x * y);
            w.kx2.add(x * x);
        }
        if (constY) {
            if (Double.isInfinite(initY)) {
                w.slope = Double.NaN;
                w.intercept = Double.NaN;
            } else {
                w.slope = 0;
                w.intercept = initY;
            }
            return;
        }
        double sumX = w.kx.value(), sumY = w.ky.value(), sumXY = w.kxy.value(), sumX2 = w.kx2.value();
        double covXY = sumXY - sumX * sumY / n;
        double varX = sumX2 - sumX * sumX / n;
        w.slope = covXY / varX;
        w.intercept = sumY / n - w.slope * sumX / n;
    }

    static double variance(Window w) {
        double count = 0, mean = 0, cMean = 0, aux = 0, cAux = 0;
        double[] c = w.c;
        for (int i = w.lo; i < w.hi; i++) {
            double f = w.vs[i];
            count++;
            double delta = f - (mean + cMean);
            c[0] = cMean;
            mean = Kahan.inc(delta / count, mean, c);
            cMean = c[0];
            c[0] = cAux;
            aux = Kahan.inc(delta * (f - (mean + cMean)), aux, c);
            cAux = c[0];
        }
        return (aux + cAux) / count;
    }
}
