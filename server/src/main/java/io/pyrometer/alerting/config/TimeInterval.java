package io.pyrometer.alerting.config;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One entry of a named time interval ({@code timeinterval.TimeInterval}): each non-empty component
 * must contain the instant, in {@code location} (UTC by default). Ranges are inclusive except
 * times, whose end minute is exclusive. Weekdays count Sunday as 0, as Go does. Negative days of
 * month count from the month's end (-1 is the last day).
 *
 * @param times minutes of the day, pairs {@code [start, end)}; null when absent
 */
public record TimeInterval(List<int[]> times, List<int[]> weekdays, List<int[]> daysOfMonth, List<int[]> months,
                           List<int[]> years, ZoneId location) {

    private static final List<String> WEEKDAYS = List.of("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday");
    private static final List<String> MONTHS = List.of("january", "february", "march", "april", "may", "june", "july",
            "august", "september", "october", "november", "december");
    private static final Pattern TIME = Pattern.compile("^((([01][0-9])|(2[0-3])):[0-5][0-9])$|(^24:00$)");

    public boolean contains(Instant at) {
        ZonedDateTime t = at.atZone(location == null ? ZoneOffset.UTC : location);
        if (times != null && !times.isEmpty()) {
            int m = t.getHour() * 60 + t.getMinute();
            if (!anyContains(times, m, true)) return false;
        }
        if (daysOfMonth != null && !daysOfMonth.isEmpty()) {
            int dim = t.toLocalDate().lengthOfMonth();
            boolean in = false;
            for (int[] r : daysOfMonth) {
                int begin = r[0] < 0 ? dim + r[0] + 1 : r[0];
                int end = r[1] < 0 ? dim + r[1] + 1 : r[1];
                if (begin > dim) continue;
                begin = Math.clamp(begin, -dim, dim);
                end = Math.clamp(end, -dim, dim);
                if (t.getDayOfMonth() >= begin && t.getDayOfMonth() <= end) {
                    in = true;
                    break;
                }
            }
            if (!in) return false;
        }
        if (months != null && !months.isEmpty() && !anyContains(months, t.getMonthValue(), false)) return false;
        if (weekdays != null && !weekdays.isEmpty() && !anyContains(weekdays, t.getDayOfWeek().getValue() % 7, false)) return false;
        return years == null || years.isEmpty() || anyContains(years, t.getYear(), false);
    }

    private static boolean anyContains(List<int[]> ranges, int v, boolean endExclusive) {
        for (int[] r : ranges) if (v >= r[0] && (endExclusive ? v < r[1] : v <= r[1])) return true;
        return false;
    }

    // ---- parsing, with timeinterval.go's messages

    static int[] timeRange(String start, String end) {
        if (start.isEmpty() || end.isEmpty()) throw new IllegalArgumentException("both start and end times must be provided");
        int s = minutes(start), e = minutes(end);
        if (s >= e) throw new IllegalArgumentException("start time cannot be equal or greater than end time");
        return new int[] {s, e};
    }

    private static int minutes(String in) {
        if (!TIME.matcher(in).find()) throw new IllegalArgumentException("couldn't parse timestamp " + in + ", invalid format");
        String[] p = in.split(":");
        return Integer.parseInt(p[0]) * 60 + Integer.parseInt(p[1]);
    }

    static int[] weekdayRange(String in) {
        int[] r = range(in, s -> {
            int i = WEEKDAYS.indexOf(s);
            if (i < 0) throw new IllegalArgumentException(s + " is not a valid weekday");
            return i;
        });
        if (r[0] > r[1]) throw new IllegalArgumentException("start day cannot be before end day");
        return r;
    }

    static int[] dayOfMonthRange(String in) {
        int[] r = range(in, TimeInterval::integer);
        for (int v : r) {
            if (v == 0 || v < -31 || v > 31) throw new IllegalArgumentException(v + " is not a valid day of the month: out of range");
        }
        if (r[0] < 0 && r[1] > 0) throw new IllegalArgumentException("end day must be negative if start day is negative");
        int cb = r[0] < 0 ? 28 + r[0] : r[0], ce = r[1] < 0 ? 28 + r[1] : r[1];
        if (cb > ce) throw new IllegalArgumentException("end day " + r[1] + " is always before start day " + r[0]);
        return r;
    }

    static int[] monthRange(String in) {
        int[] r = range(in, s -> {
            int i = MONTHS.indexOf(s);
            if (i >= 0) return i + 1;
            try {
                int v = Integer.parseInt(s);
                if (v >= 1 && v <= 12) return v;
            } catch (NumberFormatException ignored) {
                // falls through to the error below
            }
            throw new IllegalArgumentException(s + " is not a valid month");
        });
        if (r[1] < r[0]) throw new IllegalArgumentException("end month " + r[1] + " is before start month " + r[0]);
        return r;
    }

    static int[] yearRange(String in) {
        int[] r = range(in, TimeInterval::integer);
        if (r[1] < r[0]) throw new IllegalArgumentException("end year " + r[1] + " is before start year " + r[0]);
        return r;
    }

    static ZoneId location(String name) {
        if (name.equals("Local")) return ZoneId.systemDefault();
        if (name.isEmpty() || name.equals("UTC")) return ZoneOffset.UTC;
        try {
            return ZoneId.of(name);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unknown time zone " + name);
        }
    }

    private static int integer(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("strconv.Atoi: parsing \"" + s + "\": invalid syntax");
        }
    }

    private interface Member { int of(String s); }

    /** {@code a:b} or {@code a}; a leading minus on a number is not a separator. */
    private static int[] range(String in, Member m) {
        in = in.toLowerCase(Locale.ROOT);
        if (in.indexOf(':') >= 0) {
            String[] p = in.split(":", -1);
            if (p.length != 2) throw new IllegalArgumentException("couldn't parse range " + in + ", invalid format");
            return new int[] {m.of(p[0]), m.of(p[1])};
        }
        int v = m.of(in);
        return new int[] {v, v};
    }
}
