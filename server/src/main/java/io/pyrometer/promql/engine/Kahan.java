package io.pyrometer.promql.engine;

/**
 * Kahan-Neumaier compensated summation, as Prometheus's {@code kahansum.Inc}. Mutable and
 * reusable so hot loops allocate nothing.
 */
final class Kahan {
    double sum;
    double c;

    Kahan reset() {
        sum = 0;
        c = 0;
        return this;
    }

    void add(double inc) {
        double t = sum + inc;
        if (Double.isInfinite(t)) c = 0;
        else if (Math.abs(sum) >= Math.abs(inc)) c += (sum - t) + inc;
        else c += (inc - t) + sum;
        sum = t;
    }

    /** The compensated total. */
    double value() { return sum + c; }

    /** Static form: returns the new sum; the new compensation is written to {@code cOut[0]}. */
    static double inc(double inc, double sum, double[] cOut) {
        double c = cOut[0];
        double t = sum + inc;
        if (Double.isInfinite(t)) c = 0;
        else if (Math.abs(sum) >= Math.abs(inc)) c += (sum - t) + inc;
        else c += (inc - t) + sum;
        cOut[0] = c;
        return t;
    }
}
