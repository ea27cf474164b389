package io.pyrometer.cli;

import io.pyrometer.model.Labels;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * How promtool (Go) prints numbers, times, sizes and tables, so that our output compares byte for
 * byte with {@code promtool}'s.
 */
final class ToolFormat {
    private static final DateTimeFormatter GO_UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss '+0000 UTC'").withZone(ZoneOffset.UTC);
    private static final String[] BASE2_UNITS = {"", "K", "M", "G", "T", "P", "E"};

    private ToolFormat() {}

    /** Go's {@code fmt} {@code %g}: shortest round-trip digits, exponent form below 1e-4 and from 1e6 on ({@code 1e+06}). */
    static String goG(double v) {
        String special = special(v);
        if (special != null) return special;
        if (v == (long) v && Math.abs(v) < 1e6) return Long.toString((long) v); // counters: no BigDecimal
        BigDecimal d = shortest(v);
        String digits = d.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - d.scale();
        if (exp < -4 || exp >= 6) return exponent(v < 0, digits, exp);
        return d.toPlainString();
    }

    /** Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}: shortest round-trip digits, never an exponent. */
    static String goF(double v) {
        String special = special(v);
        if (special != null) return special;
        if (v == (long) v && Math.abs(v) < 1e15) return Long.toString((long) v);
        return shortest(v).toPlainString();
    }

    /**
     * The shortest decimal that reads back as {@code v}. {@link Double#toString} is shortest since
     * JDK 19 except that it always writes two digits, where one may do ({@code 4.9E-324} for 5e-324).
     */
    static BigDecimal shortest(double v) {
        BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        if (d.precision() == 2) {
            BigDecimal one = d.round(new java.math.MathContext(1));
            if (one.doubleValue() == v) return one.stripTrailingZeros();
        }
        return d;
    }

    private static String special(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (v == Double.POSITIVE_INFINITY) return "+Inf";
        if (v == Double.NEGATIVE_INFINITY) return "-Inf";
        if (v == 0) return Double.doubleToRawLongBits(v) == 0 ? "0" : "-0";
        return null;
    }

    private static String exponent(boolean negative, String digits, int exp) {
        StringBuilder sb = new StringBuilder(24);
        if (negative) sb.append('-');
        sb.append(digits.charAt(0));
        if (digits.length() > 1) sb.append('.').append(digits, 1, digits.length());
        sb.append('e').append(exp < 0 ? '-' : '+');
        int e = Math.abs(exp);
        if (e < 10) sb.append('0');
        return sb.append(e).toString();
    }

    /** A {@code common/model.Time} as Go prints it: seconds, shortest decimal ({@code 1700000000}, {@code 1565133713.989}). */
    static String seconds(long ms) {
        StringBuilder sb = new StringBuilder(20);
        if (ms < 0) sb.append('-');
        long a = Math.abs(ms);
        sb.append(a / 1000);
        long frac = a % 1000;
        if (frac != 0) {
            sb.append('.');
            if (frac < 100) sb.append('0');
            if (frac < 10) sb.append('0');
            sb.append(frac % 100 == 0 ? frac / 100 : frac % 10 == 0 ? frac / 10 : frac);
        }
        return sb.toString();
    }

    /** Go's {@code time.Unix(ms/1000, 0).UTC().String()}: {@code 2019-08-06 23:21:53 +0000 UTC}. */
    static String utc(long ms) {
        return GO_UTC.format(Instant.ofEpochSecond(Math.floorDiv(ms, 1000)));
    }

    /** alecthomas/units {@code Base2Bytes.String()}: {@code 830B}, {@code 1KiB}, {@code 1KiB476B}. */
    static String base2Bytes(long n) {
        if (n == 0) return "0B";
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < BASE2_UNITS.length && n != 0; i++) {
            long r = n % 1024;
            if (r != 0) out.insert(0, r + BASE2_UNITS[i] + (i == 0 ? "B" : "iB"));
            n /= 1024;
        }
        return out.toString();
    }

    /** Labels as Go's {@code model.LabelSet.String()} and {@code labels.Labels.String()} print them. */
    static String labels(Labels l) {
        return l.toString();
    }

    /**
     * Go's {@code text/tabwriter} as promtool configures it ({@code minwidth}, padding 2, spaces):
     * every tab-terminated cell is padded to its column's width; the last cell of a row is not.
     */
    static void table(PrintStream out, int minWidth, List<String[]> rows) {
        List<Integer> widths = new ArrayList<>();
        for (String[] r : rows) {
            for (int i = 0; i < r.length - 1; i++) {
                if (widths.size() <= i) widths.add(minWidth);
                widths.set(i, Math.max(widths.get(i), r[i].length() + 2));
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            sb.setLength(0);
            for (int i = 0; i < r.length; i++) {
                sb.append(r[i]);
                if (i < r.length - 1) sb.append(" ".repeat(widths.get(i) - r[i].length()));
            }
            out.println(sb);
        }
    }
}
