package io.pyrometer.model;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * A label matcher ({@code =}, {@code !=}, {@code =~}, {@code !~}). Regexes use RE2 syntax
 * (re2j), are fully anchored and let {@code .} match newlines, as in Prometheus 3.
 * An absent label matches as the empty string.
 */
public final class LabelMatcher {
    public enum Type {
        EQ("="), NEQ("!="), RE("=~"), NRE("!~");

        private final String op;

        Type(String op) { this.op = op; }

        public String op() { return op; }

        public boolean isRegex() { return this == RE || this == NRE; }

        public boolean isNegative() { return this == NEQ || this == NRE; }
    }

    private final Type type;
    private final String name;
    private final String value;
    private final Pattern pattern; // null unless a regex type

    private LabelMatcher(Type type, String name, String value, Pattern pattern) {
        this.type = type;
        this.name = name;
        this.value = value;
        this.pattern = pattern;
    }

    /**
     * Creates a matcher.
     *
     * @throws IllegalArgumentException naming the regex and RE2's complaint when it does not compile
     */
    public static LabelMatcher of(Type type, String name, String value) {
        Pattern p = null;
        if (type.isRegex()) p = compileAnchored(value);
        return new LabelMatcher(type, name, value, p);
    }

    public static LabelMatcher eq(String name, String value) { return of(Type.EQ, name, value); }

    /**
     * Compiles an RE2 regex fully anchored with {@code .} matching newlines: what Prometheus does
     * for label matchers and relabeling.
     */
    public static Pattern compileAnchored(String regex) {
        try {
            return Pattern.compile("^(?s:" + regex + ")$");
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid regular expression [regex=" + regex + ", error=" + e.getDescription() + "]", e);
        }
    }

    public Type type() { return type; }
    public String name() { return name; }
    public String value() { return value; }

    /** The compiled pattern for regex matchers, else null. */
    public Pattern pattern() { return pattern; }

    public boolean matches(String v) {
        return switch (type) {
            case EQ -> value.equals(v);
            case NEQ -> !value.equals(v);
            case RE -> pattern.matches(v);
            case NRE -> !pattern.matches(v);
        };
    }

    /** Whether this matcher accepts the empty string (i.e. series lacking the label). */
    public boolean matchesEmpty() { return matches(""); }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelMatcher m && m.type == type && m.name.equals(name) && m.value.equals(value);
    }

    @Override
    public int hashCode() { return (type.hashCode() * 31 + name.hashCode()) * 31 + value.hashCode(); }

    /** {@code name="value"} with Go-style quoting. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append(type.op);
        Labels.appendQuoted(sb, value);
        return sb.toString();
    }
}
