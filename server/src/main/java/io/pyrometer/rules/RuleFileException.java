package io.pyrometer.rules;

import java.util.List;

/**
 * A rule file that does not load. Each entry of {@link #errors()} is one problem as {@code promtool
 * check rules} prints it, with the file first:
 * {@code rules.yml: 5:11: group "g1", rule 1, "job:up:sum": could not parse expression: 1:17: parse error: ...}.
 */
public final class RuleFileException extends Exception {
    private final List<String> errors;

    public RuleFileException(List<String> errors) {
        super(String.join("; ", errors), null, false, false);
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() { return errors; }
}
