package io.pyrometer.model.textparse;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Float parsing and formatting with Go's {@code strconv} semantics, from bytes and without
 * allocation on the common path.
 *
 * <p>{@link #parse} accepts what Prometheus accepts: Go's {@code ParseFloat} decimal syntax
 * ({@code [+-]digits[.digits][e[+-]digits]}, {@code .5}, {@code 1.}), {@code inf}/{@code infinity}
 * with optional sign and {@code nan} without sign, case-insensitively; hexadecimal floats and
 * underscores are rejected ("unsupported character in float") as Prometheus does. Ordinary
 * decimals with at most 18 significant digits whose value and power of ten are exact doubles are
 * computed with one correctly rounded multiplication or division (Clinger's fast path); the rest
 * with the Eisel-Lemire algorithm (Go's own), and only what that cannot decide goes through
 * {@link Double#parseDouble} (allocating a String), which is also correctly rounded. Overflow to
 * infinity is an error, as in Go.
 *
 * <p>One instance per parser: the outcome of the last call is in {@link #error}.
 */
final class Floats {
    /** Prometheus's {@code value.NormalNaN}: the NaN a parsed "NaN" becomes. */
    static final double NORMAL_NAN = Double.longBitsToDouble(0x7ff8000000000001L);

    static final int OK = 0;
    static final int SYNTAX = 1;
    static final int RANGE = 2;
    static final int UNSUPPORTED = 3;

    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    };
    private static final long MAX_EXACT = 1L << 53;

    /** Outcome of the last parse: {@link #OK}, {@link #SYNTAX}, {@link #RANGE} or {@link #UNSUPPORTED}. */
    int error;

    /** Parses {@code b[from, to)}; on failure returns NaN and sets {@link #error}. */
    double parse(byte[] b, int from, int to) {
        error = OK;
        if (from >= to) return fail(b, from, to);
        int i = from;
        boolean neg = false;
        if (b[i] == '+' || b[i] == '-') {
            neg = b[i] == '-';
            i++;
        }
        if (i == to) return fail(b, from, to);
        byte c = b[i];
        if (c == 'i' || c == 'I') {
            if (matchesIgnoreCase(b, i, to, "inf") || matchesIgnoreCase(b, i, to, "infinity")) {
                return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            return fail(b, from, to);
        }
        if (c == 'n' || c == 'N') {
            // Go accepts no sign before NaN.
            if (i == from && matchesIgnoreCase(b, i, to, "nan")) return NORMAL_NAN;
            return fail(b, from, to);
        }
        return parseDecimal(b, from, i, to, neg);
    }

    private double parseDecimal(byte[] b, int from, int i, int to, boolean neg) {
        long mantissa = 0;
        int sigDigits = 0;   // significant digits kept in mantissa
        int dropped = 0;     // significant digits beyond 18, not kept
        int scale = 0;       // digits after the point that were kept
        boolean anyDigit = false;
        boolean dot = false;
        for (; i < to; i++) {
            byte c = b[i];
            if (c >= '0' && c <= '9') {
                anyDigit = true;
                if (mantissa == 0 && c == '0') {
                    if (dot) scale++;
                    continue;
                }
                if (sigDigits < 18) { // 18 digits always fit in a long
                    mantissa = mantissa * 10 + (c - '0');
                    sigDigits++;
                    if (dot) scale++;
                } else {
                    dropped++;
                    if (!dot) scale--;
                }
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                break;
            }
        }
        if (!anyDigit) return fail(b, from, to);
        int exp = 0;
        if (i < to) {
            byte c = b[i];
            if (c != 'e' && c != 'E') return fail(b, from, to);
            i++;
            boolean eneg = false;
            if (i < to && (b[i] == '+' || b[i] == '-')) {
                eneg = b[i] == '-';
                i++;
            }
            if (i == to) return fail(b, from, to);
            for (; i < to; i++) {
                c = b[i];
                if (c < '0' || c > '9') return fail(b, from, to);
                if (exp < 100_000) exp = exp * 10 + (c - '0');
            }
            if (eneg) exp = -exp;
        }
        if (mantissa == 0) return neg ? -0.0 : 0.0;
        int exp10 = exp - scale;
        if (dropped == 0 && mantissa <= MAX_EXACT && exp10 >= -22 && exp10 <= 22) {
            double m = (double) mantissa;
            double v = exp10 >= 0 ? m * POW10[exp10] : m / POW10[-exp10];
            return neg ? -v : v;
        }
        double v = EiselLemire.toDouble(mantissa, exp10, neg);
        if (dropped > 0 && !Double.isNaN(v)) {
            // Digits were cut: the value lies between mantissa and mantissa+1 (Go does the same).
            double up = EiselLemire.toDouble(mantissa + 1, exp10, neg);
            if (Double.doubleToRawLongBits(up) != Double.doubleToRawLongBits(v)) v = Double.NaN;
        }
        return Double.isNaN(v) ? slowPath(b, from, to) : v;
    }

    /**
     * The Eisel-Lemire algorithm (as in Go's {@code strconv/eisel_lemire.go} and Wuffs): a correctly
     * rounded double from a 64-bit decimal mantissa and a power of ten using one or two 64x128-bit
     * multiplications, or NaN when it cannot decide (then the caller falls back). No allocation.
     */
    static final class EiselLemire {
        static final int MIN_EXP10 = -348;
        static final int MAX_EXP10 = 347;
        /** Per power of ten: high then low 64 bits of its 128-bit mantissa, rounded down. */
        private static final long[] POWERS = new long[2 * (MAX_EXP10 - MIN_EXP10 + 1)];

        static {
            BigInteger five = BigInteger.valueOf(5);
            for (int q = MIN_EXP10; q <= MAX_EXP10; q++) {
                BigInteger m;
                if (q >= 0) {
                    m = five.pow(q);
                } else {
                    BigInteger p5 = five.pow(-q);
                    m = BigInteger.ONE.shiftLeft(p5.bitLength() + 130).divide(p5);
                }
                // Normalise to exactly 128 bits, rounding down (10^q = 5^q * 2^q: same mantissa).
                int shift = m.bitLength() - 128;
                m = shift >= 0 ? m.shiftRight(shift) : m.shiftLeft(-shift);
                int i = 2 * (q - MIN_EXP10);
                POWERS[i] = m.shiftRight(64).longValue();
                POWERS[i + 1] = m.longValue();
            }
        }

        private EiselLemire() {}

        static double toDouble(long man, int exp10, boolean neg) {
            if (man == 0) return neg ? -0.0 : 0.0;
            if (exp10 < MIN_EXP10 || exp10 > MAX_EXP10) return Double.NaN;
            int clz = Long.numberOfLeadingZeros(man);
            man <<= clz;
            long retExp2 = (long) (((217706 * exp10) >> 16) + 64 + 1023) - clz;
            int i = 2 * (exp10 - MIN_EXP10);
            long powHi = POWERS[i];
            long powLo = POWERS[i + 1];
            long xHi = Math.unsignedMultiplyHigh(man, powHi);
            long xLo = man * powHi;
            if ((xHi & 0x1FF) == 0x1FF && Long.compareUnsigned(xLo + man, man) < 0) {
                long yHi = Math.unsignedMultiplyHigh(man, powLo);
                long yLo = man * powLo;
                long mergedHi = xHi;
                long mergedLo = xLo + yHi;
                if (Long.compareUnsigned(mergedLo, xLo) < 0) mergedHi++;
                if ((mergedHi & 0x1FF) == 0x1FF && mergedLo + 1 == 0 && Long.compareUnsigned(yLo + man, man) < 0) {
                    return Double.NaN;
                }
                xHi = mergedHi;
                xLo = mergedLo;
            }
            long msb = xHi >>> 63;
            long retMantissa = xHi >>> (msb + 9);
            retExp2 -= 1 ^ msb;
            if (xLo == 0 && (xHi & 0x1FF) == 0 && (retMantissa & 3) == 1) return Double.NaN;
            retMantissa += retMantissa & 1;
            retMantissa >>>= 1;
            if ((retMantissa >>> 53) > 0) {
                retMantissa >>>= 1;
                retExp2 += 1;
            }
            if (Long.compareUnsigned(retExp2 - 1, 0x7FF - 1) >= 0) return Double.NaN;
            long bits = retExp2 << 52 | (retMantissa & 0x000FFFFFFFFFFFFFL);
            if (neg) bits |= 0x8000000000000000L;
            return Double.longBitsToDouble(bits);
        }
    }

    private double slowPath(byte[] b, int from, int to) {
        // The syntax was validated above, and Java's decimal syntax is a superset of it.
        double v = Double.parseDouble(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
        if (Double.isInfinite(v)) return fail(RANGE);
        return v;
    }

    private double fail(int code) {
        error = code;
        return Double.NaN;
    }

    /** Prometheus rejects p, P and _ before Go parses, so those win over a syntax error. */
    private double fail(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c == 'p' || c == 'P' || c == '_') return fail(UNSUPPORTED);
        }
        return fail(SYNTAX);
    }

    private static boolean matchesIgnoreCase(byte[] b, int from, int to, String word) {
        if (to - from != word.length()) return false;
        for (int i = 0; i < word.length(); i++) {
            if ((b[from + i] | 0x20) != word.charAt(i)) return false;
        }
        return true;
    }

    /**
     * OpenMetrics timestamp {@code b[from, to)} in seconds (any float spelling) to milliseconds,
     * truncated toward zero like Prometheus's {@code int64(ts * 1000)}. Plain decimals are converted
     * exactly (no binary rounding); other spellings via the double. Sets {@link #error}; NaN and
     * infinities return {@link Long#MIN_VALUE} with error {@link #OK} so the caller can word them.
     */
    long secondsToMillis(byte[] b, int from, int to) {
        double v = parse(b, from, to);
        if (error != OK) return 0;
        if (Double.isNaN(v) || Double.isInfinite(v)) return Long.MIN_VALUE;
        int i = from;
        boolean neg = b[i] == '-';
        if (b[i] == '+' || b[i] == '-') i++;
        long ms = 0;
        int fracDigits = -1;
        for (; i < to; i++) {
            byte c = b[i];
            if (c == '.' && fracDigits < 0) {
                fracDigits = 0;
                continue;
            }
            if (c < '0' || c > '9' || ms > 9_000_000_000_000_000L / 10_000) return (long) (v * 1000);
            if (fracDigits < 0) {
                ms = ms * 10 + (c - '0');
            } else if (fracDigits < 3) {
                ms = ms * 10 + (c - '0');
                fracDigits++;
            }
        }
        for (int f = Math.max(fracDigits, 0); f < 3; f++) ms *= 10;
        return neg ? -ms : ms;
    }

    /**
     * Formats like Prometheus's {@code formatOpenMetricsFloat}: Go's shortest {@code 'g'} form,
     * with {@code ".0"} appended when it has neither a point nor an exponent; {@code +Inf},
     * {@code -Inf}, {@code NaN}.
     */
    static String formatOpenMetrics(double f) {
        if (Double.isNaN(f)) return "NaN";
        if (f == Double.POSITIVE_INFINITY) return "+Inf";
        if (f == Double.NEGATIVE_INFINITY) return "-Inf";
        if (f == 0) return (Double.doubleToRawLongBits(f) < 0) ? "-0.0" : "0.0";
        String s = formatGoShortestG(f);
        return s.indexOf('.') >= 0 || s.indexOf('e') >= 0 ? s : s + ".0";
    }

    /** Go's {@code strconv.FormatFloat(f, 'g', -1, 64)} for finite non-zero {@code f}. */
    static String formatGoShortestG(double f) {
        // Double.toString gives the shortest decimal that round-trips (JDK 19+), as Go's does.
        BigDecimal bd = new BigDecimal(Double.toString(Math.abs(f))).stripTrailingZeros();
        String digits = bd.unscaledValue().toString();
        int nd = digits.length();
        int exp = nd - 1 - bd.scale(); // decimal exponent of the first digit
        if (nd == 2) {
            // Java prints at least two digits; Go prints one when one round-trips (e.g. 5e-324).
            BigDecimal one = bd.round(new java.math.MathContext(1, java.math.RoundingMode.HALF_EVEN));
            if (one.doubleValue() == Math.abs(f)) {
                one = one.stripTrailingZeros();
                digits = one.unscaledValue().toString();
                nd = digits.length();
                exp = nd - 1 - one.scale();
            }
        }
        StringBuilder sb = new StringBuilder(nd + 8);
        if (f < 0) sb.append('-');
        if (exp < -4 || exp >= 6) { // Go: shortest precision decides with eprec = 6
            sb.append(digits.charAt(0));
            if (nd > 1) sb.append('.').append(digits, 1, nd);
            sb.append('e').append(exp < 0 ? '-' : '+');
            int ae = Math.abs(exp);
            if (ae < 10) sb.append('0');
            sb.append(ae);
        } else if (exp < 0) {
            sb.append("0.");
            for (int i = -1; i > exp; i--) sb.append('0');
            sb.append(digits);
        } else if (exp + 1 >= nd) {
            sb.append(digits);
            for (int i = nd; i <= exp; i++) sb.append('0');
        } else {
            sb.append(digits, 0, exp + 1).append('.').append(digits, exp + 1, nd);
        }
        return sb.toString();
    }
}
