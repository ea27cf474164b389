package io.pyrometer.template;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Go's {@code time.ParseInLocation(layout, value, time.UTC)} for Alertmanager's {@code toDate}:
 * the Go layout is translated to a {@link DateTimeFormatter}; elements missing from the layout
 * take Go's defaults (year 0, January, day 1, midnight, UTC).
 */
final class GoTimeParse {
    private GoTimeParse() {}

    static Object parse(String layout, String value) throws TemplateException {
        DateTimeFormatterBuilder b = new DateTimeFormatterBuilder().parseCaseInsensitive();
        Set<String> used = new HashSet<>();
        int i = 0;
        while (i < layout.length()) {
            int[] c = GoTime.nextStd(layout, i);
            if (c == null) {
                b.appendLiteral(layout.substring(i));
                break;
            }
            if (c[0] > i) b.appendLiteral(layout.substring(i, c[0]));
            String std = layout.substring(c[0], c[1]);
            append(b, std, used);
            i = c[1];
        }
        if (!used.contains("year")) b.parseDefaulting(ChronoField.YEAR, 0);
        if (!used.contains("month") && !used.contains("yday")) b.parseDefaulting(ChronoField.MONTH_OF_YEAR, 1);
        if (!used.contains("day") && !used.contains("yday")) b.parseDefaulting(ChronoField.DAY_OF_MONTH, 1);
        if (!used.contains("hour")) {
            if (used.contains("hour12")) {
                if (!used.contains("ampm")) b.parseDefaulting(ChronoField.AMPM_OF_DAY, 0);
            } else {
                b.parseDefaulting(ChronoField.HOUR_OF_DAY, 0);
            }
        }
        if (!used.contains("minute")) b.parseDefaulting(ChronoField.MINUTE_OF_HOUR, 0);
        if (!used.contains("second")) b.parseDefaulting(ChronoField.SECOND_OF_MINUTE, 0);
        DateTimeFormatter f = b.toFormatter(Locale.ENGLISH).withResolverStyle(ResolverStyle.STRICT)
                .withChronology(java.time.chrono.IsoChronology.INSTANCE);
        try {
            TemporalAccessor t = f.parse(value);
            LocalDateTime ldt = LocalDateTime.from(t);
            if (t.isSupported(ChronoField.OFFSET_SECONDS)) {
                ZoneOffset off = ZoneOffset.ofTotalSeconds(t.get(ChronoField.OFFSET_SECONDS));
                return off.getTotalSeconds() == 0 ? ldt.toInstant(ZoneOffset.UTC) : ZonedDateTime.of(ldt, off);
            }
            return ldt.toInstant(ZoneOffset.UTC);
        } catch (java.time.DateTimeException e) {
            throw new TemplateException("parsing time " + GoStrconv.quote(value) + " as " + GoStrconv.quote(layout)
                    + ": cannot parse " + GoStrconv.quote(value) + " as " + GoStrconv.quote(layout));
        }
    }

    private static void append(DateTimeFormatterBuilder b, String std, Set<String> used) {
        if (std.charAt(0) == '.' || std.charAt(0) == ',') {
            int n = std.length() - 1;
            boolean optional = std.charAt(1) == '9';
            b.appendFraction(ChronoField.NANO_OF_SECOND, optional ? 0 : n, optional ? 9 : n, true);
            return;
        }
        switch (std) {
            case "January" -> { b.appendPattern("MMMM"); used.add("month"); }
            case "Jan" -> { b.appendPattern("MMM"); used.add("month"); }
            case "Monday" -> b.appendPattern("EEEE");
            case "Mon" -> b.appendPattern("EEE");
            case "MST" -> b.appendPattern("z");
            case "2006" -> { b.appendValue(ChronoField.YEAR, 4); used.add("year"); }
            case "06" -> { b.appendValueReduced(ChronoField.YEAR, 2, 2, 1969); used.add("year"); }
            case "002" -> { b.appendValue(ChronoField.DAY_OF_YEAR, 3); used.add("yday"); }
            case "__2" -> { b.padNext(3).appendValue(ChronoField.DAY_OF_YEAR); used.add("yday"); }
            case "01" -> { b.appendValue(ChronoField.MONTH_OF_YEAR, 2); used.add("month"); }
            case "1" -> { b.appendValue(ChronoField.MONTH_OF_YEAR); used.add("month"); }
            case "02" -> { b.appendValue(ChronoField.DAY_OF_MONTH, 2); used.add("day"); }
            case "_2" -> { b.padNext(2).appendValue(ChronoField.DAY_OF_MONTH); used.add("day"); }
            case "2" -> { b.appendValue(ChronoField.DAY_OF_MONTH); used.add("day"); }
            case "15" -> { b.appendValue(ChronoField.HOUR_OF_DAY, 2); used.add("hour"); }
            case "03" -> { b.appendValue(ChronoField.CLOCK_HOUR_OF_AMPM, 2); used.add("hour12"); }
            case "3" -> { b.appendValue(ChronoField.CLOCK_HOUR_OF_AMPM); used.add("hour12"); }
            case "04" -> { b.appendValue(ChronoField.MINUTE_OF_HOUR, 2); used.add("minute"); }
            case "4" -> { b.appendValue(ChronoField.MINUTE_OF_HOUR); used.add("minute"); }
            case "05" -> { b.appendValue(ChronoField.SECOND_OF_MINUTE, 2); used.add("second"); }
            case "5" -> { b.appendValue(ChronoField.SECOND_OF_MINUTE); used.add("second"); }
            case "PM", "pm" -> { b.appendPattern("a"); used.add("ampm"); }
            case "-07:00:00" -> b.appendOffset("+HH:MM:ss", "+00:00:00");
            case "-070000" -> b.appendOffset("+HHMMss", "+000000");
            case "-07:00" -> b.appendOffset("+HH:MM", "+00:00");
            case "-0700" -> b.appendOffset("+HHMM", "+0000");
            case "-07" -> b.appendOffset("+HH", "+00");
            case "Z07:00:00" -> b.appendOffset("+HH:MM:ss", "Z");
            case "Z070000" -> b.appendOffset("+HHMMss", "Z");
            case "Z07:00" -> b.appendOffset("+HH:MM", "Z");
            case "Z0700" -> b.appendOffset("+HHMM", "Z");
            case "Z07" -> b.appendOffset("+HH", "Z");
            default -> b.appendLiteral(std);
        }
    }
}
