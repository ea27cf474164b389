package io.pyrometer.model.relabel;

import com.google.re2j.Pattern;
import io.pyrometer.model.LabelMatcher;
import java.util.List;
import java.util.Locale;

/**
 * One relabeling step, as written under {@code relabel_configs} / {@code metric_relabel_configs}.
 * Defaults are Prometheus's: separator {@code ;}, regex {@code (.*)}, replacement {@code $1},
 * action {@code replace}. Construct with {@link #of}, which validates like Prometheus does.
 */
public record RelabelConfig(
        List<String> sourceLabels,
        String separator,
        String regex,
        long modulus,
        String targetLabel,
        String replacement,
        Action action,
        Pattern pattern) {

    public static final String DEFAULT_SEPARATOR = ";";
    public static final String DEFAULT_REGEX = "(.*)";
    public static final String DEFAULT_REPLACEMENT = "$1";

    public enum Action {
        REPLACE, KEEP, DROP, KEEPEQUAL, DROPEQUAL, HASHMOD, LABELMAP, LABELDROP, LABELKEEP, LOWERCASE, UPPERCASE;

        /** The YAML spelling ({@code replace}, {@code labelmap}, ...). */
        public String yamlName() { return name().toLowerCase(Locale.ROOT); }

        /** Parses the YAML spelling, case-insensitively as Prometheus does; null if unknown. */
        public static Action parse(String s) {
            for (Action a : values()) if (a.yamlName().equalsIgnoreCase(s)) return a;
            return null;
        }
    }

    /**
     * How label names are validated, as Prometheus 3's {@code metric_name_validation_scheme}:
     * {@code UTF8} (the default) accepts any non-empty UTF-8 name, {@code LEGACY} only
     * {@code [a-zA-Z_][a-zA-Z0-9_]*} (with {@code $1}/{@code ${name}} references in templates).
     */
    public enum NameValidation { UTF8, LEGACY }

    /** Legacy target template: Prometheus's {@code relabelTargetLegacy}. */
    private static final Pattern LEGACY_TARGET =
            Pattern.compile("^(?:(?:[a-zA-Z_]|\\$(?:\\{\\w+\\}|\\w+))+\\w*)+$");

    /**
     * Validates with Prometheus 3's default (UTF-8 label names) and builds a step; null arguments
     * take Prometheus's defaults.
     *
     * @throws IllegalArgumentException with Prometheus's wording when the combination is invalid
     */
    public static RelabelConfig of(List<String> sourceLabels, String separator, String regex, Long modulus,
                                   String targetLabel, String replacement, Action action) {
        return of(sourceLabels, separator, regex, modulus, targetLabel, replacement, action, NameValidation.UTF8);
    }

    /**
     * Validates under the given name validation scheme (in Prometheus's order of checks, so the
     * first error reported is the same) and builds a step; null arguments take the defaults.
     *
     * @throws IllegalArgumentException with Prometheus's wording when the combination is invalid
     */
    public static RelabelConfig of(List<String> sourceLabels, String separator, String regex, Long modulus,
                                   String targetLabel, String replacement, Action action, NameValidation scheme) {
        Action a = action == null ? Action.REPLACE : action;
        String sep = separator == null ? DEFAULT_SEPARATOR : separator;
        String re = regex == null ? DEFAULT_REGEX : regex;
        String repl = replacement == null ? DEFAULT_REPLACEMENT : replacement;
        List<String> src = sourceLabels == null ? List.of() : List.copyOf(sourceLabels);
        String target = targetLabel == null ? "" : targetLabel;
        long mod = modulus == null ? 0 : modulus;
        Pattern p = LabelMatcher.compileAnchored(re);
        boolean legacy = scheme == NameValidation.LEGACY;
        String name = a.yamlName();

        if (a == Action.HASHMOD && mod == 0) {
            throw new IllegalArgumentException("relabel configuration for hashmod requires non-zero modulus");
        }
        boolean needsTarget = a == Action.REPLACE || a == Action.HASHMOD || a == Action.LOWERCASE
                || a == Action.UPPERCASE || a == Action.KEEPEQUAL || a == Action.DROPEQUAL;
        if (needsTarget && target.isEmpty()) {
            throw new IllegalArgumentException("relabel configuration for " + name + " action requires 'target_label' value");
        }
        if (a == Action.REPLACE && !isValidTargetTemplate(target, legacy)) {
            throw invalid(target, "target_label", name);
        }
        boolean plainTarget = a == Action.LOWERCASE || a == Action.UPPERCASE || a == Action.KEEPEQUAL || a == Action.DROPEQUAL;
        if (plainTarget && !isValidName(target, legacy)) {
            throw invalid(target, "target_label", name);
        }
        if (plainTarget && replacement != null && !replacement.equals(DEFAULT_REPLACEMENT)) {
            throw new IllegalArgumentException("'replacement' can not be set for " + name + " action");
        }
        if (a == Action.LABELMAP && !isValidTargetTemplate(repl, legacy)) {
            throw invalid(repl, "replacement", name);
        }
        if (a == Action.HASHMOD && !isValidName(target, legacy)) {
            throw invalid(target, "target_label", name);
        }
        if ((a == Action.KEEPEQUAL || a == Action.DROPEQUAL)
                && (regex != null && !regex.equals(DEFAULT_REGEX) || mod != 0 || !sep.equals(DEFAULT_SEPARATOR))) {
            throw new IllegalArgumentException(name + " action requires only 'source_labels' and `target_label`, and no other fields");
        }
        if ((a == Action.LABELDROP || a == Action.LABELKEEP)
                && (!src.isEmpty() || !target.isEmpty() || mod != 0 || !sep.equals(DEFAULT_SEPARATOR) || !repl.equals(DEFAULT_REPLACEMENT))) {
            throw new IllegalArgumentException(name + " action requires only 'regex', and no other fields");
        }
        return new RelabelConfig(src, sep, re, mod, target, repl, a, p);
    }

    private static IllegalArgumentException invalid(String value, String field, String action) {
        StringBuilder sb = new StringBuilder();
        io.pyrometer.model.Labels.appendQuoted(sb, value);
        return new IllegalArgumentException(sb + " is invalid '" + field + "' for " + action + " action");
    }

    /** Label names: {@code [a-zA-Z_][a-zA-Z0-9_]*} (the legacy charset relabeling targets use). */
    public static boolean isValidLabelName(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
            if (!ok) return false;
        }
        return true;
    }

    /** A UTF-8 label name (Prometheus 3 default): non-empty, no unpaired surrogate. */
    public static boolean isValidUtf8LabelName(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) return false;
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    static boolean isValidName(String s, boolean legacy) {
        return legacy ? isValidLabelName(s) : isValidUtf8LabelName(s);
    }

    /**
     * A target label (or labelmap replacement) that may contain {@code $1}/{@code ${1}}/{@code ${name}}
     * references: under the legacy scheme it must match Prometheus's {@code relabelTargetLegacy};
     * under UTF-8 anything non-empty goes.
     */
    static boolean isValidTargetTemplate(String s, boolean legacy) {
        if (!legacy) return isValidUtf8LabelName(s);
        return s.indexOf('$') < 0 ? isValidLabelName(s) : LEGACY_TARGET.matches(s);
    }
}
