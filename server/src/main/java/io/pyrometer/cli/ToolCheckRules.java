package io.pyrometer.cli;

import io.pyrometer.model.Labels;
import io.pyrometer.promql.parser.ParserOptions;
import io.pyrometer.rules.RuleDef;
import io.pyrometer.rules.RuleFileException;
import io.pyrometer.rules.RuleFileLoader;
import io.pyrometer.rules.RuleGroupDef;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code promtool check rules} (cmd/promtool/main.go {@code CheckRules}/{@code checkRules}): each
 * file is loaded and validated as the server loads it; output, lint and exit codes as promtool's:
 * 0 valid, 1 any error, 3 only lint findings with {@code --lint-fatal}.
 */
final class ToolCheckRules {
    static final int LINT_EXIT = 3;

    private ToolCheckRules() {}

    /** The outcome of one file: a rule count, or errors (lint findings flagged). */
    record Result(int rules, List<String> errors, boolean onlyLint) {
        boolean failed() { return !errors.isEmpty(); }
    }

    static int check(List<String> files, boolean lintDuplicates, boolean lintFatal, PrintStream out, PrintStream err) {
        boolean failed = false, hasErrors = false;
        for (String f : files) {
            Result r = checkFile(Path.of(f), lintDuplicates, out);
            if (r.failed()) {
                err.println("  FAILED:");
                for (String e : r.errors()) err.println(e);
                failed = true;
                hasErrors |= !r.onlyLint();
            } else {
                out.println("  SUCCESS: " + r.rules() + " rules found");
            }
            out.println();
        }
        if (failed && hasErrors) return ToolCommand.FAILURE;
        if (failed && lintFatal) return LINT_EXIT;
        return ToolCommand.SUCCESS;
    }

    /** Prints {@code Checking FILE} and checks it. */
    static Result checkFile(Path file, boolean lintDuplicates, PrintStream out) {
        out.println("Checking " + file);
        List<RuleGroupDef> groups;
        try {
            groups = RuleFileLoader.load(file, ParserOptions.DEFAULT);
        } catch (RuleFileException e) {
            return new Result(0, e.errors(), false);
        }
        int n = 0;
        for (RuleGroupDef g : groups) n += g.rules().size();
        if (lintDuplicates) {
            List<Dup> dups = duplicates(groups);
            if (!dups.isEmpty()) {
                StringBuilder sb = new StringBuilder("lint error ").append(dups.size()).append(" duplicate rule(s) found.\n");
                for (Dup d : dups) {
                    sb.append("Metric: ").append(d.metric()).append("\nLabel(s):\n");
                    for (int i = 0; i < d.labels().size(); i++) {
                        sb.append('\t').append(d.labels().name(i)).append(": ").append(d.labels().value(i)).append('\n');
                    }
                }
                sb.append("Might cause inconsistency while recording expressions");
                return new Result(0, List.of(sb.toString()), true);
            }
        }
        return new Result(n, List.of(), false);
    }

    private record Dup(String metric, Labels labels) implements Comparable<Dup> {
        @Override
        public int compareTo(Dup o) {
            int c = metric.compareTo(o.metric);
            return c != 0 ? c : labels.compareTo(o.labels);
        }
    }

    /** promtool's {@code checkDuplicates}: rules with the same name (alert or record) and labels, each reported once. */
    private static List<Dup> duplicates(List<RuleGroupDef> groups) {
        List<Dup> all = new ArrayList<>();
        for (RuleGroupDef g : groups) for (RuleDef r : g.rules()) all.add(new Dup(r.name(), Labels.of(r.labels())));
        List<Dup> out = new ArrayList<>();
        if (all.size() < 2) return out;
        all.sort(null);
        Dup last = all.getFirst();
        for (int i = 1; i < all.size(); i++) {
            if (last.compareTo(all.get(i)) == 0 && (out.isEmpty() || last.compareTo(out.getLast()) != 0)) out.add(all.get(i));
            last = all.get(i);
        }
        return out;
    }
}
