package io.pyrometer.model;

/**
 * Prometheus's duration syntax ({@code common/model.Duration}): one or more {@code <integer><unit>}
 * groups with units {@code y w d h m s ms} in strictly descending order ({@code 1h30m}, {@code 90d},
 * {@code 500ms}), or a bare {@code 0}. A year is 365 days, a week 7 days, a day 24 hours. No
 * fractions, no signs, no spaces.
 *
 * <pre>{@code
 * Durations.parseMs("1h30m");      // 5_400_000
 * Durations.format(5_400_000);     // "1h30m"
 * }</pre>
 */
public final class Durations {
    private Durations() {}

    private static final long MS = 1, S = 1000 * MS, M = 60 * S, H = 60 * M, D = 24 * H, W = 7 * D, Y = 365 * D;
    /** Prometheus stores durations as Go {@code time.Duration} (int64 nanoseconds): the upper bound. */
    private static final long MAX_MS = Long.MAX_VALUE / 1_000_000;

    /**
     * Parses a duration into milliseconds.
     *
     * @throws IllegalArgumentException with Prometheus's message ({@code not a valid duration string: "1.5h"},
     *                                  {@code unknown unit "x" in duration "1x"}, {@code duration out of range},
     *                                  {@code empty duration string})
     */
    public static long parseMs(String s) {
        if (s.equals("0")) return 0;
        if (s.isEmpty()) throw new IllegalArgumentException("empty duration string");
        long totalMs = 0;
        int lastUnitRank = 0;
        int i = 0, n = s.length();
        while (i < n) {
            if (!isDigit(s.charAt(i))) throw invalid(s);
            int start = i;
            while (i < n && isDigit(s.charAt(i))) i++;
            long v;
            try {
                v = Long.parseUnsignedLong(s, start, i, 10);
            } catch (NumberFormatException e) {
                throw invalid(s);
            }
            int unitStart = i;
            while (i < n && !isDigit(s.charAt(i))) i++;
            if (unitStart == i) throw invalid(s);
            String unit = s.substring(unitStart, i);
            int rank = rank(unit);
            if (rank < 0) throw new IllegalArgumentException("unknown unit " + quote(unit) + " in duration " + quote(s));
            if (rank <= lastUnitRank) throw invalid(s); // units must go from biggest to smallest
            lastUnitRank = rank;
            long mult = multiplier(rank);
            if (Long.compareUnsigned(v, MAX_MS / mult) > 0) throw new IllegalArgumentException("duration out of range");
            totalMs += v * mult;
            if (totalMs > MAX_MS) throw new IllegalArgumentException("duration out of range");
        }
        return totalMs;
    }

    /**
     * Prints a duration as Prometheus does: largest units first, years and weeks only when they divide
     * the value exactly ({@code 90d}, not {@code 12w6d}), {@code 0s} for zero, {@code -} before negatives.
     */
    public static String format(long ms) {
        if (ms == 0) return "0s";
        StringBuilder sb = new StringBuilder();
        if (ms < 0) {
            sb.append('-');
            ms = -ms;
        }
        if (ms % Y == 0) return sb.append(ms / Y).append('y').toString();
        if (ms % W == 0) return sb.append(ms / W).append('w').toString();
        ms = appendUnit(sb, ms, D, "d");
        ms = appendUnit(sb, ms, H, "h");
        ms = appendUnit(sb, ms, M, "m");
        ms = appendUnit(sb, ms, S, "s");
        appendUnit(sb, ms, MS, "ms");
        return sb.toString();
    }

    private static long appendUnit(StringBuilder sb, long ms, long mult, String unit) {
        long v = ms / mult;
        if (v > 0) sb.append(v).append(unit);
        return ms - v * mult;
    }

    private static int rank(String unit) {
        return switch (unit) {
            case "y" -> 1;
            case "w" -> 2;
            case "d" -> 3;
            case "h" -> 4;
            case "m" -> 5;
            case "s" -> 6;
            case "ms" -> 7;
            default -> -1;
        };
    }

    private static long multiplier(int rank) {
        return switch (rank) {
            case 1 -> Y;
            case 2 -> W;
            case 3 -> D;
            case 4 -> H;
            case 5 -> M;
            case 6 -> S;
            default -> MS;
        };
    }

    private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

    private static IllegalArgumentException invalid(String s) {
        return new IllegalArgumentException("not a valid duration string: " + quote(s));
    }

    /** Go's {@code %q} for the ASCII cases config values contain. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        io.pyrometer.model.Labels.appendQuoted(sb, s);
        return sb.toString();
    }
}
