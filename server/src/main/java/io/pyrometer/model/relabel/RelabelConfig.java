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
     * Validates and builds a step; null arguments take Prometheus's defaults.
     *
     * @throws IllegalArgumentException with Prometheus's wording when the combination is invalid
     */
    public static RelabelConfig of(List<String> sourceLabels, String separator, String regex, Long modulus,
                                   String targetLabel, String replacement, Action action) {
        Action a = action == null ? Action.REPLACE : action;
        String sep = separator == null ? DEFAULT_SEPARATOR : separator;
        String re = regex == null ? DEFAULT_REGEX : regex;
        String repl = replacement == null ? DEFAULT_REPLACEMENT : replacement;
        List<String> src = sourceLabels == null ? List.of() : List.copyOf(sourceLabels);
        String target = targetLabel == null ? "" : targetLabel;
        long mod = modulus == null ? 0 : modulus;
        Pattern p = LabelMatcher.compileAnchored(re);

        if (a == Action.HASHMOD && mod == 0) {
            throw new IllegalArgumentException("relabel configuration for hashmod requires non-zero modulus");
        }
        boolean needsTarget = a == Action.REPLACE || a == Action.HASHMOD || a == Action.LOWERCASE
                || a == Action.UPPERCASE || a == Action.KEEPEQUAL || a == Action.DROPEQUAL;
        if (needsTarget && target.isEmpty()) {
            throw new IllegalArgumentException("relabel configuration for " + a.yamlName() + " action requires 'target_label' value");
        }
        if ((a == Action.REPLACE || a == Action.LOWERCASE || a == Action.UPPERCASE) && !isValidTargetTemplate(target)) {
            throw new IllegalArgumentException("\"" + target + "\" is invalid 'target_label' for " + a.yamlName() + " action");
        }
        if ((a == Action.LOWERCASE || a == Action.UPPERCASE || a == Action.KEEPEQUAL || a == Action.DROPEQUAL)
                && replacement != null && !replacement.equals(DEFAULT_REPLACEMENT)) {
            throw new IllegalArgumentException("'replacement' can not be set for " + a.yamlName() + " action");
        }
        if (a == Action.LABELMAP && !isValidTargetTemplate(repl)) {
            throw new IllegalArgumentException("\"" + repl + "\" is invalid 'replacement' for " + a.yamlName() + " action");
        }
        if (a == Action.HASHMOD && !isValidLabelName(target)) {
            throw new IllegalArgumentException("\"" + target + "\" is invalid 'target_label' for " + a.yamlName() + " action");
        }
        if ((a == Action.KEEPEQUAL || a == Action.DROPEQUAL) && (regex != null && !regex.equals(DEFAULT_REGEX))) {
            throw new IllegalArgumentException(a.yamlName() + " action requires only 'source_labels' and `target_label`, and no other fields");
        }
        if (a == Action.LABELDROP || a == Action.LABELKEEP) {
            if (!src.isEmpty() || !target.isEmpty() || mod != 0 || separator != null && !separator.equals(DEFAULT_SEPARATOR)
                    || replacement != null && !replacement.equals(DEFAULT_REPLACEMENT)) {
                throw new IllegalArgumentException(a.yamlName() + " action requires only 'regex', and no other fields");
            }
        }
        return new RelabelConfig(src, sep, re, mod, target, repl, a, p);
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

    /** A target label that may contain {@code $1}/{@code ${1}}/{@code ${name}} references. */
    static boolean isValidTargetTemplate(String s) {
        if (s.isEmpty()) return false;
        // strip references, then what remains must be a valid label name fragment
        StringBuilder rest = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '$') {
                int j = i + 1;
                if (j < s.length() && s.charAt(j) == '{') {
                    int end = s.indexOf('}', j);
                    if (end < 0) return false;
                    i = end;
                } else {
                    while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) j++;
                    i = j - 1;
                }
                rest.append('x');
            } else {
                rest.append(c);
            }
        }
        return isValidLabelName(rest.toString());
    }
}
