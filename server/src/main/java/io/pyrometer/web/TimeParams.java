package io.pyrometer.web;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Prometheus API time and duration parameters: unix seconds (fractional) or RFC 3339. */
public final class TimeParams {
    private TimeParams() {}

    /** Prometheus's bounds for "no start"/"no end". */
    public static final long MIN_TIME_MS = -9223309901257974L;
    public static final long MAX_TIME_MS = 9223309901257974L;

    /**
     * An optional timestamp parameter in ms, {@code dflt} when absent; a bad one fails as
     * Prometheus 3's {@code parseTimeParam}: {@code invalid parameter "time": invalid time value for
     * 'time': cannot parse "abc" to a valid timestamp} (2.42 capitalised "Invalid").
     */
    public static long time(Request req, String name, long dflt) {
        String v = req.param(name);
        if (v == null || v.isEmpty()) return dflt;
        try {
            return parseTimeMs(v);
        } catch (IllegalArgumentException e) {
            throw ApiError.badData("invalid parameter \"" + name + "\": invalid time value for '" + name + "': cannot parse "
                    + quote(v) + " to a valid timestamp");
        }
    }

    /**
     * A required timestamp parameter ({@code start}, {@code end} of a range query), parsed as
     * Prometheus's {@code parseTime} directly: {@code invalid parameter "start": cannot parse "" to
     * a valid timestamp}.
     */
    public static long requiredTime(Request req, String name) {
        String v = req.param(name);
        if (v == null) v = "";
        try {
            if (v.isEmpty()) throw new IllegalArgumentException("empty");
            return parseTimeMs(v);
        } catch (IllegalArgumentException e) {
            throw ApiError.badData("invalid parameter \"" + name + "\": cannot parse " + quote(v) + " to a valid timestamp");
        }
    }

    public static long parseTimeMs(String v) {
        try {
            BigDecimal sec = new BigDecimal(v);
            return sec.movePointRight(3).setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            // not a number: RFC 3339
        }
        try {
            return Instant.parse(v).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            if (v.startsWith("-292273086")) return MIN_TIME_MS; // Prometheus's MinTime formatted
            if (v.startsWith("292277025")) return MAX_TIME_MS;
            throw new IllegalArgumentException("cannot parse " + v);
        }
    }

    /** Parses a duration parameter: float seconds or a Prometheus duration ({@code 5m}); {@code dflt} when absent. */
    public static long durationMs(Request req, String name, long dflt) {
        String v = req.param(name);
        if (v == null || v.isEmpty()) return dflt;
        try {
            return parseDurationMs(v);
        } catch (IllegalArgumentException e) {
            throw ApiError.badData("invalid parameter \"" + name + "\": " + e.getMessage());
        }
    }

    /**
     * Prometheus's {@code parseDuration}: float seconds or a Prometheus duration; a bad value fails
     * with its message ({@code cannot parse "abc" to a valid duration}, {@code ... It overflows int64}).
     */
    public static long parseDurationMs(String v) {
        try {
            // Java's parseDouble takes a d/f suffix ("1d" = 1.0); Go's ParseFloat does not, so "1d" is a day
            char last = v.isEmpty() ? ' ' : v.charAt(v.length() - 1);
            if (last == 'd' || last == 'D' || last == 'f' || last == 'F') throw new NumberFormatException();
            double d = Double.parseDouble(v);
            if (Double.isNaN(d) || Double.isInfinite(d)) throw new NumberFormatException();
            if (Math.abs(d * 1e9) > 0x1p63) { // Go's time.Duration is int64 nanoseconds
                throw new IllegalArgumentException("cannot parse " + quote(v) + " to a valid duration. It overflows int64");
            }
            return Math.round(d * 1000);
        } catch (NumberFormatException e) {
            try {
                return io.pyrometer.model.Durations.parseMs(v);
            } catch (IllegalArgumentException e2) {
                throw new IllegalArgumentException("cannot parse " + quote(v) + " to a valid duration");
            }
        }
    }

    /** Go's {@code %q} of a parameter value, as Prometheus's messages quote it. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        io.pyrometer.model.Labels.appendQuoted(sb, s);
        return sb.toString();
    }

    /** A non-negative integer parameter; 0 when absent. */
    public static int limit(Request req) {
        String v = req.param("limit");
        if (v == null || v.isEmpty()) return 0;
        try {
            int n = Integer.parseInt(v);
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw ApiError.badData("invalid parameter \"limit\": limit must be a non-negative integer, got \"" + v + "\"");
        }
    }
}
