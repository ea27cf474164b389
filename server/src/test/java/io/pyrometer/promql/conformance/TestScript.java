package io.pyrometer.promql.conformance;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parser for the promqltest script format ({@code /work/shared/conformance/FORMAT.md}): commands
 * {@code load}, {@code load_with_nhcb}, {@code clear}, {@code eval instant|range} and their
 * expectation blocks. Mirrors Prometheus's {@code promql/promqltest/test.go}.
 */
final class TestScript {
    private static final Pattern LOAD = Pattern.compile("^load(?:_(with_nhcb))?\\s+(.+?)$");
    private static final Pattern EVAL_INSTANT =
            Pattern.compile("^eval(?:_(fail|warn|ordered|info))?\\s+instant\\s+(?:at\\s+(.+?))?\\s+(.+)$");
    private static final Pattern EVAL_RANGE =
            Pattern.compile("^eval(?:_(fail|warn|info))?\\s+range\\s+from\\s+(.+)\\s+to\\s+(.+)\\s+step\\s+(.+?)\\s+(.+)$");
    private static final Pattern EXPECT =
            Pattern.compile("^expect\\s+(ordered|fail|warn|no_warn|info|no_info)(?:\\s+(regex|msg):(.+))?$");
    private static final Pattern EXPECT_RANGE =
            Pattern.compile("^expect range vector\\s+from\\s+(.+)\\s+to\\s+(.+)\\s+step\\s+(.+)$");

    sealed interface Command permits Load, Clear, Eval, Ignore {
        int line();
    }

    record Load(int line, long stepMs, boolean withNhcb, List<SeriesDesc> series) implements Command {}

    record Clear(int line) implements Command {}

    /** {@code ignore} / {@code resume}: evals in between are skipped (older upstream scripts). */
    record Ignore(int line, boolean ignore) implements Command {}

    enum ExpectType { ORDERED, FAIL, WARN, NO_WARN, INFO, NO_INFO }

    /** An expect line: exact message, Go regex (unanchored find) or match-anything. */
    record Expect(String message, Pattern regex) {
        boolean matches(String s) {
            return regex == null ? message.equals(s) : regex.matcher(s).find();
        }

        @Override
        public String toString() { return regex == null ? message : regex.pattern(); }
    }

    /** Expected series: labels plus one item per step (or a single item for instant queries). */
    record ExpectedSeries(int pos, SeriesDesc desc) {}

    static final class Eval implements Command {
        final int line;
        final String expr;
        final boolean isRange;
        long startMs, endMs, stepMs, evalMs;
        boolean fail, warn, info, ordered;
        String expectedFailMessage;
        Pattern expectedFailRegexp;
        final Map<ExpectType, List<Expect>> expects = new EnumMap<>(ExpectType.class);
        Double expectedScalar; // non-null when a scalar result is expected
        String expectedString; // non-null when a string result is expected
        final List<ExpectedSeries> expected = new ArrayList<>();
        boolean excludeFromRangeQuery;
        boolean expectsHistograms;

        Eval(int line, String expr, boolean isRange) {
            this.line = line;
            this.expr = expr;
            this.isRange = isRange;
        }

        @Override
        public int line() { return line; }

        boolean isOrdered() { return ordered || !expects.getOrDefault(ExpectType.ORDERED, List.of()).isEmpty(); }

        boolean isFail() { return fail || !expects.getOrDefault(ExpectType.FAIL, List.of()).isEmpty(); }

        List<Expect> expects(ExpectType t) { return expects.getOrDefault(t, List.of()); }
    }

    private TestScript() {}

    static List<Command> parse(String input) {
        String[] lines = input.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].trim();
            lines[i] = l.startsWith("#") ? "" : l;
        }
        List<Command> out = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (l.isEmpty()) continue;
            String c = l.split("[\t ]+", 2)[0].toLowerCase();
            if (c.equals("clear")) {
                out.add(new Clear(i + 1));
            } else if (c.equals("ignore") || c.equals("resume")) {
                out.add(new Ignore(i + 1, c.equals("ignore")));
            } else if (c.startsWith("load")) {
                i = parseLoad(lines, i, out);
            } else if (c.startsWith("eval")) {
                i = parseEval(lines, i, out);
            } else {
                throw new IllegalArgumentException("line " + (i + 1) + ": invalid command \"" + l + "\"");
            }
        }
        return out;
    }

    private static int parseLoad(String[] lines, int i, List<Command> out) {
        Matcher m = LOAD.matcher(lines[i]);
        if (!m.matches()) throw new IllegalArgumentException("line " + (i + 1) + ": invalid load command");
        long step = parseDuration(m.group(2));
        int first = i + 1;
        List<SeriesDesc> series = new ArrayList<>();
        while (i + 1 < lines.length && !lines[i + 1].isEmpty()) {
            i++;
            String def = lines[i];
            String head = def.split("[ \t]", 2)[0];
            if (head.endsWith("@st")) continue; // start timestamps: not stored by this storage
            series.add(SeriesDesc.parse(def));
        }
        out.add(new Load(first - 1 + 1, step, m.group(1) != null, series));
        return i;
    }

    private static int parseEval(String[] lines, int i, List<Command> out) {
        Eval cmd = parseEvalHeader(lines[i], i + 1);
        boolean[] expectRangeVector = {false};
        for (int j = 1; i + 1 < lines.length; j++) {
            i++;
            String def = lines[i];
            if (def.isEmpty()) {
                i--;
                break;
            }
            if (cmd.fail && def.startsWith("expected_fail_message")) {
                cmd.expectedFailMessage = def.substring("expected_fail_message".length()).trim();
                break;
            }
            if (cmd.fail && def.startsWith("expected_fail_regexp")) {
                cmd.expectedFailRegexp = Pattern.compile(def.substring("expected_fail_regexp".length()).trim());
                break;
            }
            switch (parseDirective(cmd, def, i + 1, expectRangeVector)) {
                case DIRECTIVE -> { }
                case EXPECT -> j--;
                case SCALAR -> {
                    return doneEval(cmd, out, i);
                }
                case SERIES -> {
                    SeriesDesc sd = SeriesDesc.parse(def);
                    if (sd.items().size() > 1 && !cmd.isRange && !expectRangeVector[0]) {
                        throw new IllegalArgumentException("line " + (i + 1) + ": multiple values in instant evaluation");
                    }
                    if (sd.hasHistograms()) cmd.expectsHistograms = true;
                    cmd.expected.removeIf(es -> es.desc().labels().equals(sd.labels()));
                    cmd.expected.add(new ExpectedSeries(j, sd));
                }
            }
        }
        return doneEval(cmd, out, i);
    }

    private static int doneEval(Eval cmd, List<Command> out, int i) {
        out.add(cmd);
        return i;
    }

    private enum LineKind { DIRECTIVE, EXPECT, SCALAR, SERIES }

    /** Handles {@code expect ...} lines and scalar expectations; says what the line was. */
    private static LineKind parseDirective(Eval cmd, String def, int lineNo, boolean[] expectRangeVector) {
        if (def.startsWith("expect range vector")) {
            Matcher r = EXPECT_RANGE.matcher(def);
            if (!r.matches()) throw new IllegalArgumentException("line " + lineNo + ": invalid range vector definition");
            expectRangeVector[0] = true;
            cmd.startMs = parseDuration(r.group(1));
            cmd.endMs = parseDuration(r.group(2));
            cmd.stepMs = parseDuration(r.group(3));
            cmd.evalMs = cmd.endMs;
            cmd.excludeFromRangeQuery = true;
            return LineKind.DIRECTIVE;
        }
        if (def.startsWith("expect string")) {
            cmd.expectedString = unquote(def.substring("expect string".length()).trim());
            cmd.excludeFromRangeQuery = true;
            return LineKind.DIRECTIVE;
        }
        if (def.split(" ", 2)[0].equals("expect")) {
            Matcher e = EXPECT.matcher(def.trim());
            if (!e.matches()) throw new IllegalArgumentException("line " + lineNo + ": invalid expect statement");
            ExpectType t = ExpectType.valueOf(e.group(1).toUpperCase());
            Expect ex;
            if (e.group(2) == null) ex = new Expect(null, Pattern.compile("^.*$"));
            else if (e.group(2).equals("msg")) ex = new Expect(e.group(3).trim(), null);
            else ex = new Expect(null, Pattern.compile(e.group(3).trim()));
            cmd.expects.computeIfAbsent(t, k -> new ArrayList<>()).add(ex);
            return LineKind.EXPECT;
        }
        Double number = tryParseNumber(def);
        if (number != null) {
            cmd.expectedScalar = number;
            return LineKind.SCALAR;
        }
        return LineKind.SERIES;
    }

    /** The {@code eval instant at T expr} / {@code eval range from .. to .. step .. expr} line. */
    private static Eval parseEvalHeader(String line, int lineNo) {
        Matcher inst = EVAL_INSTANT.matcher(line);
        Matcher rng = EVAL_RANGE.matcher(line);
        boolean isInstant = inst.matches();
        if (!isInstant && !rng.matches()) throw new IllegalArgumentException("line " + lineNo + ": invalid evaluation command");
        Eval cmd;
        String mod;
        if (isInstant) {
            mod = inst.group(1);
            cmd = new Eval(lineNo, inst.group(3), false);
            cmd.startMs = cmd.evalMs = parseDuration(inst.group(2));
        } else {
            mod = rng.group(1);
            cmd = new Eval(lineNo, rng.group(5), true);
            cmd.startMs = parseDuration(rng.group(2));
            cmd.endMs = parseDuration(rng.group(3));
            cmd.stepMs = parseDuration(rng.group(4));
            if (cmd.endMs < cmd.startMs) throw new IllegalArgumentException("line " + lineNo + ": end before start");
        }
        if (mod != null) {
            switch (mod) {
                case "ordered" -> cmd.ordered = true;
                case "fail" -> cmd.fail = true;
                case "warn" -> cmd.warn = true;
                case "info" -> cmd.info = true;
                default -> throw new IllegalStateException(mod);
            }
        }
        return cmd;
    }

    /** Go's strconv.ParseInt(s, 0, 64) then ParseFloat, as {@code parseNumber} in test.go. */
    static Double tryParseNumber(String s) {
        try {
            return SeriesDesc.parseNumber(s);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** strconv.Unquote for double-quoted and back-quoted strings. */
    static String unquote(String s) {
        if (s.length() >= 2 && s.charAt(0) == '`' && s.endsWith("`")) return s.substring(1, s.length() - 1);
        if (s.length() >= 2 && s.charAt(0) == '"' && s.endsWith("\"")) {
            return new SeriesDesc.Cursor(s).quoted();
        }
        throw new IllegalArgumentException("expected string literal not valid: " + s);
    }

    /** Prometheus's model.ParseDuration: {@code <int><unit>} groups, units y w d h m s ms, or "0". */
    static long parseDuration(String s) {
        s = s.trim();
        if (s.equals("0")) return 0;
        long total = 0;
        int i = 0;
        if (s.isEmpty()) throw new IllegalArgumentException("empty duration");
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
            if (start == i) throw new IllegalArgumentException("not a valid duration string: \"" + s + "\"");
            long n = Long.parseLong(s.substring(start, i));
            int us = i;
            while (i < s.length() && Character.isLetter(s.charAt(i))) i++;
            long mult = switch (s.substring(us, i)) {
                case "ms" -> 1L;
                case "s" -> 1000L;
                case "m" -> 60_000L;
                case "h" -> 3_600_000L;
                case "d" -> 86_400_000L;
                case "w" -> 7 * 86_400_000L;
                case "y" -> 365 * 86_400_000L;
                default -> throw new IllegalArgumentException("not a valid duration string: \"" + s + "\"");
            };
            total += n * mult;
        }
        return total;
    }
}
