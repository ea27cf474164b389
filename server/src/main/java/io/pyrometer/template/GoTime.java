package io.pyrometer.template;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * Go's {@code time} formatting: {@code Time.String()} ({@code 2015-06-23 13:19:44.128 +0000 UTC}),
 * {@code Time.Format(layout)} with Go's reference-time layouts ({@code "2006-01-02 15:04:05"}),
 * and {@code Duration.String()} ({@code 1h2m3.5s}). A Go {@code time.Time} is an {@link Instant}
 * (UTC) or a {@link ZonedDateTime} (after {@code tz}); a {@code time.Duration} is a {@link Duration}.
 */
final class GoTime {
    private GoTime() {}

    static final String STRING_LAYOUT = "2006-01-02 15:04:05.999999999 -0700 MST";

    static ZonedDateTime utc(Instant i) { return i.atZone(ZoneOffset.UTC); }

    /** A time.Time-like value as a ZonedDateTime, or null. */
    static ZonedDateTime asTime(Object o) {
        if (o instanceof Instant i) return utc(i);
        if (o instanceof ZonedDateTime z) return z;
        return null;
    }

    static String timeString(ZonedDateTime t) { return format(t, STRING_LAYOUT); }

    static long durationNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** Go's {@code Duration.String()}. */
    static String durationString(Duration dur) {
        long d = durationNanos(dur);
        if (d == 0) return "0s";
        boolean neg = d < 0;
        // Work in unsigned magnitude (MinInt64 included).
        long u = neg ? -d : d;
        StringBuilder b = new StringBuilder();
        if (Long.compareUnsigned(u, 1_000_000_000L) < 0) {
            int prec;
            String unit;
            if (u < 1000L) {
                return (neg ? "-" : "") + u + "ns";
            } else if (u < 1_000_000L) {
                prec = 3;
                unit = "µs";
            } else {
                prec = 6;
                unit = "ms";
            }
            b.append(fracString(u, prec)).append(unit);
        } else {
            String secs = fracString(Long.remainderUnsigned(u, 60_000_000_000L), 9);
            long mins = Long.divideUnsigned(u, 60_000_000_000L);
            if (mins > 0) {
                long h = mins / 60;
                long m = mins % 60;
                if (h > 0) b.append(h).append('h');
                b.append(m).append('m');
            }
            b.append(secs).append('s');
        }
        return (neg ? "-" : "") + b;
    }

    /** {@code v / 10^prec} with trailing fractional zeros (and a bare point) removed. */
    private static String fracString(long v, int prec) {
        long pow = 1;
        for (int i = 0; i < prec; i++) pow *= 10;
        long whole = Long.divideUnsigned(v, pow);
        long frac = Long.remainderUnsigned(v, pow);
        if (frac == 0) return Long.toUnsignedString(whole);
        String f = String.format("%0" + prec + "d", frac);
        int e = f.length();
        while (e > 0 && f.charAt(e - 1) == '0') e--;
        return Long.toUnsignedString(whole) + "." + f.substring(0, e);
    }

    /** Go's {@code time.LoadLocation}: "UTC", "Local" or an IANA name. */
    static ZoneId loadLocation(String name) throws TemplateException {
        if (name.isEmpty() || name.equals("UTC")) return ZoneOffset.UTC;
        if (name.equals("Local")) return ZoneId.systemDefault();
        try {
            return ZoneId.of(name);
        } catch (RuntimeException e) {
            throw new TemplateException("unknown time zone " + name);
        }
    }

    private static final String[] LONG_DAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    private static final String[] LONG_MONTHS = {"January", "February", "March", "April", "May", "June", "July",
        "August", "September", "October", "November", "December"};

    /** Go's {@code Time.Format(layout)}. */
    static String format(ZonedDateTime t, String layout) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        int n = layout.length();
        while (i < n) {
            int[] chunk = nextStd(layout, i);
            if (chunk == null) {
                b.append(layout, i, n);
                break;
            }
            b.append(layout, i, chunk[0]);
            appendStd(b, t, layout.substring(chunk[0], chunk[1]));
            i = chunk[1];
        }
        return b.toString();
    }

    private static final String[] STD = {
        "January", "Jan", "Monday", "Mon", "MST",
        "2006", "002", "01", "02", "03", "04", "05", "06", "__2", "_2", "15", "1", "2", "3", "4", "5",
        "PM", "pm",
        "-07:00:00", "-070000", "-07:00", "-0700", "-07",
        "Z07:00:00", "Z070000", "Z07:00", "Z0700", "Z07",
    };

    /** Start and end of the next layout element at or after {@code from}, or null. */
    static int[] nextStd(String l, int from) {
        for (int i = from; i < l.length(); i++) {
            char c = l.charAt(i);
            if ((c == '.' || c == ',') && i + 1 < l.length() && (l.charAt(i + 1) == '0' || l.charAt(i + 1) == '9')) {
                char ch = l.charAt(i + 1);
                int j = i + 1;
                while (j < l.length() && l.charAt(j) == ch) j++;
                if (j >= l.length() || !Character.isDigit(l.charAt(j))) return new int[] {i, j};
            }
            for (String s : STD) {
                if (!l.startsWith(s, i)) continue;
                switch (s) {
                    case "Jan", "Mon" -> {
                        if (s.equals("Jan") && l.startsWith("January", i)) continue;
                        if (s.equals("Mon") && l.startsWith("Monday", i)) continue;
                        // "Janet" is not a month: Go requires a non-lowercase letter after.
                        int j = i + 3;
                        if (j < l.length() && Character.isLowerCase(l.charAt(j))) continue;
                    }
                    case "01", "02", "03", "04", "05", "06", "002" -> { }
                    case "1" -> {
                        if (l.startsWith("15", i)) continue;
                    }
                    case "2" -> {
                        if (l.startsWith("2006", i)) continue;
                    }
                    default -> { }
                }
                return new int[] {i, i + s.length()};
            }
        }
        return null;
    }

    private static void appendStd(StringBuilder b, ZonedDateTime t, String std) {
        if (std.charAt(0) == '.' || std.charAt(0) == ',') {
            int digits = std.length() - 1;
            boolean trim = std.charAt(1) == '9';
            String ns = String.format("%09d", t.getNano()).substring(0, Math.min(9, digits));
            if (trim) {
                int e = ns.length();
                while (e > 0 && ns.charAt(e - 1) == '0') e--;
                ns = ns.substring(0, e);
                if (ns.isEmpty()) return;
            }
            b.append(std.charAt(0)).append(ns);
            return;
        }
        int offset = t.getOffset().getTotalSeconds();
        switch (std) {
            case "January" -> b.append(LONG_MONTHS[t.getMonthValue() - 1]);
            case "Jan" -> b.append(LONG_MONTHS[t.getMonthValue() - 1], 0, 3);
            case "Monday" -> b.append(LONG_DAYS[t.getDayOfWeek().getValue() - 1]);
            case "Mon" -> b.append(LONG_DAYS[t.getDayOfWeek().getValue() - 1], 0, 3);
            case "MST" -> b.append(zoneAbbrev(t));
            case "2006" -> b.append(String.format("%04d", t.getYear()));
            case "06" -> b.append(String.format("%02d", Math.floorMod(t.getYear(), 100)));
            case "002" -> b.append(String.format("%03d", t.getDayOfYear()));
            case "__2" -> b.append(String.format("%3d", t.getDayOfYear()));
            case "01" -> b.append(String.format("%02d", t.getMonthValue()));
            case "1" -> b.append(t.getMonthValue());
            case "02" -> b.append(String.format("%02d", t.getDayOfMonth()));
            case "_2" -> b.append(String.format("%2d", t.getDayOfMonth()));
            case "2" -> b.append(t.getDayOfMonth());
            case "15" -> b.append(String.format("%02d", t.getHour()));
            case "03" -> b.append(String.format("%02d", hour12(t)));
            case "3" -> b.append(hour12(t));
            case "04" -> b.append(String.format("%02d", t.getMinute()));
            case "4" -> b.append(t.getMinute());
            case "05" -> b.append(String.format("%02d", t.getSecond()));
            case "5" -> b.append(t.getSecond());
            case "PM" -> b.append(t.getHour() >= 12 ? "PM" : "AM");
            case "pm" -> b.append(t.getHour() >= 12 ? "pm" : "am");
            default -> appendZone(b, std, offset);
        }
    }

    private static int hour12(ZonedDateTime t) {
        int h = t.getHour() % 12;
        return h == 0 ? 12 : h;
    }

    private static void appendZone(StringBuilder b, String std, int offset) {
        if (std.startsWith("Z") && offset == 0) {
            b.append('Z');
            return;
        }
        int zone = offset / 60;
        int absOffset = Math.abs(offset);
        b.append(zone < 0 ? '-' : '+');
        if (zone < 0) zone = -zone;
        b.append(String.format("%02d", zone / 60));
        boolean colon = std.contains(":");
        if (!std.endsWith("07")) {
            if (colon) b.append(':');
            b.append(String.format("%02d", zone % 60));
        }
        if (std.equals("-07:00:00") || std.equals("-070000") || std.equals("Z07:00:00") || std.equals("Z070000")) {
            if (colon) b.append(':');
            b.append(String.format("%02d", absOffset % 60));
        }
    }

    private static String zoneAbbrev(ZonedDateTime t) {
        ZoneId z = t.getZone();
        if (z.equals(ZoneOffset.UTC) || z.getId().equals("UTC") || z.getId().equals("Etc/UTC")) return "UTC";
        if (z instanceof ZoneOffset off) {
            StringBuilder b = new StringBuilder();
            appendZone(b, "-0700", off.getTotalSeconds());
            return b.toString();
        }
        String abbrev = DateTimeFormatter.ofPattern("zzz", Locale.ENGLISH).format(t);
        if (abbrev.startsWith("GMT") && abbrev.length() > 3 || abbrev.contains(":")) {
            StringBuilder b = new StringBuilder();
            appendZone(b, "-07", t.getOffset().getTotalSeconds());
            return b.toString();
        }
        return abbrev.isEmpty() ? z.getDisplayName(TextStyle.SHORT, Locale.ROOT) : abbrev;
    }
}
