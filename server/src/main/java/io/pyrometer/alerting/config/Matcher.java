package io.pyrometer.alerting.config;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.pyrometer.model.Labels;
import java.util.Comparator;

/**
 * One Alertmanager label matcher ({@code pkg/labels.Matcher}): {@code =}, {@code !=}, {@code =~},
 * {@code !~}. Regexes are Go RE2 anchored as {@code ^(?:re)$} (no {@code (?s)}, unlike Prometheus's
 * selectors); an absent label matches as the empty string.
 */
public record Matcher(Type type, String name, String value, Pattern regex) {
    public enum Type {
        EQ("="), NEQ("!="), RE("=~"), NRE("!~");

        private final String op;

        Type(String op) { this.op = op; }

        public String op() { return op; }
    }

    /** Alertmanager's sort order for matcher sets (name, value, type): route keys depend on it. */
    public static final Comparator<Matcher> ORDER = Comparator.comparing(Matcher::name, Labels::compareUtf8)
            .thenComparing(Matcher::value, Labels::compareUtf8).thenComparing(Matcher::type);

    /** @throws IllegalArgumentException with Go's wording when a regex does not compile */
    public static Matcher of(Type type, String name, String value) {
        Pattern p = null;
        if (type == Type.RE || type == Type.NRE) {
            try {
                p = Pattern.compile("^(?:" + value + ")$");
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("error parsing regexp: " + e.getDescription() + ": `" + e.getPattern() + "`");
            }
        }
        return new Matcher(type, name, value, p);
    }

    public boolean matches(String v) {
        if (v == null) v = "";
        return switch (type) {
            case EQ -> value.equals(v);
            case NEQ -> !value.equals(v);
            case RE -> regex.matches(v);
            case NRE -> !regex.matches(v);
        };
    }

    public boolean matches(Labels labels) { return matches(labels.get(name)); }

    public boolean isRegex() { return type == Type.RE || type == Type.NRE; }

    public boolean isEqual() { return type == Type.EQ || type == Type.RE; }

    /** {@code name="value"} with OpenMetrics escaping, as Alertmanager prints matchers in route keys. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append(type.op()).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '"' -> sb.append("\\\"");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Matcher m && m.type == type && m.name.equals(name) && m.value.equals(value);
    }

    @Override
    public int hashCode() { return (type.hashCode() * 31 + name.hashCode()) * 31 + value.hashCode(); }
}
