package io.pyrometer.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every query of the upstream PromQL test scripts parses with experimental features on, except
 * those the script expects to fail; a failure at parse time must carry the script's message.
 */
class ConformanceQueriesTest {
    private static final Pattern EVAL = Pattern.compile(
            "^\\s*eval(_fail)?(?:_ordered|_warn|_info)?\\s+(?:instant\\s+at\\s+\\S+|range\\s+from\\s+\\S+\\s+to\\s+\\S+\\s+step\\s+\\S+)\\s+(.+)$");
    private static final Pattern EXPECT_FAIL = Pattern.compile("^\\s*expect\\s+fail(?:\\s+(msg|regex):(.+))?$");

    @Test
    void scriptsParse() throws IOException {
        Path dir = PrinterTest.conformanceDir();
        Assumptions.assumeTrue(dir != null, "conformance scripts not found next to the worktree");
        List<String> problems = new ArrayList<>();
        int parsed = 0;
        int failedAsExpected = 0;
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".test")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = EVAL.matcher(lines.get(i));
                    if (!m.matches()) continue;
                    String query = m.group(2);
                    Matcher fail = expectedFailure(lines, i + 1);
                    boolean mayFail = m.group(1) != null || fail != null;
                    try {
                        Parser.parseExpr(query, ParserOptions.EXPERIMENTAL);
                        parsed++;
                    } catch (ParseException e) {
                        String where = f.getFileName() + ":" + (i + 1) + " " + query + " -> " + e.getMessage();
                        if (!mayFail) {
                            problems.add(where);
                        } else if (fail != null && "msg".equals(fail.group(1)) && !fail.group(2).strip().equals(e.errorText())) {
                            problems.add(where + " (script expects: " + fail.group(2).strip() + ")");
                        } else {
                            failedAsExpected++;
                        }
                    }
                }
            }
        }
        System.out.println("ConformanceQueriesTest: " + parsed + " parsed, " + failedAsExpected + " failed as the scripts expect");
        assertThat(problems).isEmpty();
        assertThat(parsed).isGreaterThan(2000);
    }

    /** The {@code expect fail} line of the eval block starting at {@code from}, or null. */
    private static Matcher expectedFailure(List<String> lines, int from) {
        for (int j = from; j < lines.size() && !lines.get(j).isBlank() && !EVAL.matcher(lines.get(j)).matches(); j++) {
            Matcher m = EXPECT_FAIL.matcher(lines.get(j));
            if (m.matches()) return m;
        }
        return null;
    }
}
