package io.pyrometer.web;

import java.math.BigDecimal;

/** Sample values and timestamps written exactly as Prometheus's API (util/jsonutil) writes them. */
public final class Floats {
    private Floats() {}

    /**
     * Prometheus's MarshalFloat: Go's {@code strconv.AppendFloat(f, 'f', -1, 64)} (shortest decimal
     * that round-trips), switching to {@code 'e'} form below 1e-6 or from 1e21 on; {@code NaN},
     * {@code +Inf}, {@code -Inf}.
     */
    public static String format(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (v == Double.POSITIVE_INFINITY) return "+Inf";
        if (v == Double.NEGATIVE_INFINITY) return "-Inf";
        if (v == 0) return Double.doubleToRawLongBits(v) == 0 ? "0" : "-0";
        double abs = Math.abs(v);
        if (abs < 1e15 && v == (long) v) return Long.toString((long) v);
        BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        if (abs >= 1e-6 && abs < 1e21) return d.toPlainString();
        // Go 'e' with shortest digits: d[.ddd]e±XX, at least two exponent digits
        String digits = d.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - d.scale();
        StringBuilder sb = new StringBuilder(24);
        if (v < 0) sb.append('-');
        sb.append(digits.charAt(0));
        if (digits.length() > 1) sb.append('.').append(digits, 1, digits.length());
        sb.append('e').append(exp < 0 ? '-' : '+');
        int e = Math.abs(exp);
        if (e < 10) sb.append('0');
        return sb.append(e).toString();
    }

    /**
     * Go's {@code strconv.FormatFloat(f, 'f', -1, 64)}: the shortest decimal that round-trips, never
     * in exponent form ({@code 1e-10} is {@code 0.0000000001}, {@code 5e21} is
     * {@code 5000000000000000000000}). Prometheus writes scalar results so ({@code promql.Scalar.MarshalJSON}).
     */
    public static String plain(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (v == Double.POSITIVE_INFINITY) return "+Inf";
        if (v == Double.NEGATIVE_INFINITY) return "-Inf";
        if (v == 0) return Double.doubleToRawLongBits(v) == 0 ? "0" : "-0";
        if (Math.abs(v) < 1e15 && v == (long) v) return Long.toString((long) v);
        // Double.toString is the shortest round-tripping decimal since JDK 19, as Go's -1 precision
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    /**
     * A JSON number as Go's {@code encoding/json} (and jsoniter's standard-library mode) writes a
     * float64: {@code 'f'} form from 1e-6 to below 1e21, {@code 'e'} form outside with a one-digit
     * negative exponent unpadded ({@code 1e-7}, {@code 1.5e+21}). Prometheus's {@code stats} timings.
     */
    public static String goJson(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) throw new IllegalArgumentException("not a JSON number: " + v);
        double abs = Math.abs(v);
        if (abs == 0 || (abs >= 1e-6 && abs < 1e21)) return plain(v);
        String e = format(v); // Go 'e' form with at least two exponent digits
        int n = e.length();
        if (n >= 4 && e.charAt(n - 4) == 'e' && e.charAt(n - 3) == '-' && e.charAt(n - 2) == '0') {
            return e.substring(0, n - 2) + e.charAt(n - 1);
        }
        return e;
    }

    /** Appends a timestamp in seconds with millisecond precision, as Prometheus's MarshalTimestamp. */
    public static void appendTimestamp(StringBuilder sb, long ms) {
        long t = ms;
        if (t < 0) {
            sb.append('-');
            t = -t;
        }
        sb.append(t / 1000);
        long frac = t % 1000;
        if (frac != 0) {
            sb.append('.');
            if (frac < 100) sb.append('0');
            if (frac < 10) sb.append('0');
            sb.append(frac);
        }
    }

    /** The timestamp as a JSON number token. */
    public static String timestamp(long ms) {
        StringBuilder sb = new StringBuilder(16);
        appendTimestamp(sb, ms);
        return sb.toString();
    }
}
