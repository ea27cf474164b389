package io.pyrometer.promql.engine;

import java.math.BigDecimal;

/** Number formatting the way Go's {@code strconv} does it, where Prometheus output depends on it. */
final class GoFormat {
    private GoFormat() {}

    /**
     * {@code strconv.FormatFloat(f, 'f', -1, 64)}: shortest representation that round-trips,
     * never in exponent form ({@code 1e+06} is {@code 1000000}). Used by {@code count_values}.
     */
    static String plain(double f) {
        if (Double.isNaN(f)) return "NaN";
        if (Double.isInfinite(f)) return f > 0 ? "+Inf" : "-Inf";
        if (f == 0) return (Double.doubleToRawLongBits(f) < 0) ? "-0" : "0";
        String s = new BigDecimal(Double.toString(f)).stripTrailingZeros().toPlainString();
        return s;
    }

    /** {@code %g} as Go prints a float64: shortest round-trip, exponent form for large/small. */
    static String g(double f) {
        if (Double.isNaN(f)) return "NaN";
        if (Double.isInfinite(f)) return f > 0 ? "+Inf" : "-Inf";
        if (f == 0) return (Double.doubleToRawLongBits(f) < 0) ? "-0" : "0";
        BigDecimal bd = new BigDecimal(Double.toString(f)).stripTrailingZeros();
        int exp = bd.precision() - bd.scale() - 1;
        if (exp < -4 || exp >= 6) { // Go: shortest %g switches to exponent form at 1e+06
            String digits = bd.unscaledValue().abs().toString();
            StringBuilder sb = new StringBuilder();
            if (f < 0) sb.append('-');
            sb.append(digits.charAt(0));
            if (digits.length() > 1) sb.append('.').append(digits, 1, digits.length());
            sb.append('e').append(exp < 0 ? '-' : '+');
            int a = Math.abs(exp);
            if (a < 10) sb.append('0');
            sb.append(a);
            return sb.toString();
        }
        return bd.toPlainString();
    }

    /** Prometheus's {@code FormatOpenMetricsFloat}, used for the quantile label. */
    static String openMetrics(double f) {
        if (Double.isNaN(f)) return "NaN";
        if (Double.isInfinite(f)) return f > 0 ? "+Inf" : "-Inf";
        String s = g(f);
        if (s.contains("e") || s.contains(".")) return s;
        return s + ".0";
    }
}
