package io.pyrometer.promql.conformance;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The one list of conformance cases this engine does not run, each with its reason. Every skip is
 * reported by name (JUnit "skipped", plus the summary line), never hidden.
 *
 * <p>An entry matches a file (exact name or {@code *}), optionally one line, optionally a regex
 * that must be found in the eval's expression. {@link #NATIVE_HISTOGRAMS} is a rule, not a
 * pattern: the runner applies it to evals that read a metric loaded with native-histogram samples
 * or expect a histogram result, because the storage interfaces carry float samples only.
 */
final class ConformanceSkips {
    record Skip(String file, int line, Pattern exprPattern, String reason) {
        boolean matches(String f, int l, String expr) {
            if (!file.equals("*") && !file.equals(f)) return false;
            if (line > 0 && line != l) return false;
            return exprPattern == null || exprPattern.matcher(expr).find();
        }
    }

    static final String NATIVE_HISTOGRAMS =
            "native histograms: the storage interfaces (SampleIterator) carry float samples only";

    private static Skip file(String f, String reason) { return new Skip(f, 0, null, reason); }

    private static Skip expr(String f, String regex, String reason) { return new Skip(f, 0, Pattern.compile(regex), reason); }

    private static Skip line(String f, int l, String reason) { return new Skip(f, l, null, reason); }

    static final List<Skip> SKIPS = List.of(
            file("start_timestamps.test", "start timestamps (@st, start_timestamp()): not stored by the storage interfaces"));

    private ConformanceSkips() {}

    /** The reason to skip, or null to run the eval. */
    static String reasonFor(String file, int line, String expr) {
        for (Skip s : SKIPS) if (s.matches(file, line, expr)) return s.reason();
        return null;
    }
}
