package io.pyrometer.template;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

/**
 * Methods of Go's {@code time.Time} ({@link Instant}, {@link ZonedDateTime}) and
 * {@code time.Duration} ({@link Duration}) that templates call: {@code (now | toTime).Format "2006"},
 * {@code .Add}, {@code .UnixMilli}, {@code (1800 | toDuration).String}, {@code .Seconds} ...
 */
final class BuiltinMethods {
    private BuiltinMethods() {}

    private static final Set<String> TIME = Set.of("Format", "String", "Unix", "UnixMilli", "UnixMicro", "UnixNano",
            "UTC", "Local", "Add", "Sub", "Year", "Month", "Day", "Hour", "Minute", "Second", "Nanosecond", "Weekday",
            "YearDay", "IsZero", "Before", "After", "Equal", "Truncate", "Round");
    private static final Set<String> DURATION = Set.of("String", "Seconds", "Minutes", "Hours", "Milliseconds",
            "Microseconds", "Nanoseconds", "Round", "Truncate", "Abs");

    static boolean has(Object receiver, String name) {
        if (receiver instanceof Instant || receiver instanceof ZonedDateTime) return TIME.contains(name);
        if (receiver instanceof Duration) return DURATION.contains(name);
        return false;
    }

    static Object call(Object receiver, String name, List<Object> args) throws TemplateException {
        if (receiver instanceof Duration d) return duration(d, name, args);
        ZonedDateTime t = GoTime.asTime(receiver);
        boolean instant = receiver instanceof Instant;
        return switch (name) {
            case "Format" -> GoTime.format(t, stringArg(name, args));
            case "String" -> GoTime.timeString(t);
            case "Unix" -> t.toEpochSecond();
            case "UnixMilli" -> t.toInstant().toEpochMilli();
            case "UnixMicro" -> ChronoUnit.MICROS.between(Instant.EPOCH, t.toInstant());
            case "UnixNano" -> ChronoUnit.NANOS.between(Instant.EPOCH, t.toInstant());
            case "UTC" -> t.toInstant();
            case "Local" -> t.withZoneSameInstant(java.time.ZoneId.systemDefault());
            case "Add" -> wrap(t.plus(durationArg(name, args)), instant);
            case "Sub" -> Duration.between(timeArg(name, args).toInstant(), t.toInstant());
            case "Year" -> (long) t.getYear();
            case "Month" -> GoTime.format(t, "January");
            case "Day" -> (long) t.getDayOfMonth();
            case "Hour" -> (long) t.getHour();
            case "Minute" -> (long) t.getMinute();
            case "Second" -> (long) t.getSecond();
            case "Nanosecond" -> (long) t.getNano();
            case "Weekday" -> GoTime.format(t, "Monday");
            case "YearDay" -> (long) t.getDayOfYear();
            case "IsZero" -> t.toInstant().equals(GO_ZERO_TIME);
            case "Before" -> t.toInstant().isBefore(timeArg(name, args).toInstant());
            case "After" -> t.toInstant().isAfter(timeArg(name, args).toInstant());
            case "Equal" -> t.toInstant().equals(timeArg(name, args).toInstant());
            case "Truncate" -> wrap(truncate(t, durationArg(name, args)), instant);
            case "Round" -> wrap(round(t, durationArg(name, args)), instant);
            default -> throw new TemplateException("no method " + name);
        };
    }

    /** Go's zero time.Time: January 1, year 1, 00:00:00 UTC. */
    static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

    private static Object wrap(ZonedDateTime t, boolean instant) { return instant ? t.toInstant() : t; }

    private static ZonedDateTime truncate(ZonedDateTime t, Duration d) {
        long n = GoTime.durationNanos(d);
        if (n <= 0) return t;
        long since = ChronoUnit.NANOS.between(Instant.EPOCH, t.toInstant());
        return t.minusNanos(Math.floorMod(since, n));
    }

    private static ZonedDateTime round(ZonedDateTime t, Duration d) {
        long n = GoTime.durationNanos(d);
        if (n <= 0) return t;
        long since = ChronoUnit.NANOS.between(Instant.EPOCH, t.toInstant());
        long r = Math.floorMod(since, n);
        return r + r < n ? t.minusNanos(r) : t.plusNanos(n - r);
    }

    private static Object duration(Duration d, String name, List<Object> args) throws TemplateException {
        long ns = GoTime.durationNanos(d);
        return switch (name) {
            case "String" -> GoTime.durationString(d);
            case "Seconds" -> ns / 1e9;
            case "Minutes" -> ns / 6e10;
            case "Hours" -> ns / 3.6e12;
            case "Milliseconds" -> ns / 1_000_000L;
            case "Microseconds" -> ns / 1_000L;
            case "Nanoseconds" -> ns;
            case "Abs" -> d.abs();
            case "Round", "Truncate" -> {
                long m = GoTime.durationNanos(durationArg(name, args));
                if (m <= 0) yield d;
                long r = ns % m;
                if (name.equals("Truncate")) yield Duration.ofNanos(ns - r);
                if (ns < 0) {
                    r = -r;
                    yield Duration.ofNanos(r + r < m ? ns + r : ns - (m - r));
                }
                yield Duration.ofNanos(r + r < m ? ns - r : ns + (m - r));
            }
            default -> throw new TemplateException("no method " + name);
        };
    }

    private static void want(String name, List<Object> args, int n) throws TemplateException {
        if (args.size() != n) throw new TemplateException("wrong number of args for " + name + ": want " + n + " got " + args.size());
    }

    private static String stringArg(String name, List<Object> args) throws TemplateException {
        want(name, args, 1);
        if (args.get(0) instanceof String s) return s;
        throw new TemplateException("wrong type for value; expected string; got " + GoFmt.typeName(args.get(0)));
    }

    private static Duration durationArg(String name, List<Object> args) throws TemplateException {
        want(name, args, 1);
        Object a = args.get(0);
        if (a instanceof Duration d) return d;
        if (a instanceof Long l) return Duration.ofNanos(l); // an untyped constant converts to Duration
        throw new TemplateException("wrong type for value; expected time.Duration; got " + GoFmt.typeName(a));
    }

    private static ZonedDateTime timeArg(String name, List<Object> args) throws TemplateException {
        want(name, args, 1);
        ZonedDateTime t = GoTime.asTime(args.get(0));
        if (t == null) throw new TemplateException("wrong type for value; expected time.Time; got " + GoFmt.typeName(args.get(0)));
        return t;
    }
}
