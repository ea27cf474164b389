package io.pyrometer.config;

import java.util.regex.Pattern;

/**
 * Syntax checks for Kubernetes label and field selectors, as {@code k8s.io/apimachinery}'s
 * {@code labels.Parse} and {@code fields.ParseSelector} make them when Prometheus loads a
 * {@code kubernetes_sd_configs} selector. The strings themselves are sent to the API server unchanged.
 */
public final class KubernetesSelectors {
    private KubernetesSelectors() {}

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

    /** Checks a field selector ({@code metadata.name=x,spec.nodeName!=y}); null when valid, else the error. */
    public static String checkField(String selector) {
        int start = 0;
        for (int i = 0; i <= selector.length(); i++) {
            if (i < selector.length() && selector.charAt(i) == '\\') {
                i++;
                continue;
            }
            if (i == selector.length() || selector.charAt(i) == ',') {
                String term = selector.substring(start, i);
                start = i + 1;
                if (term.isEmpty()) continue;
                String err = checkFieldTerm(term);
                if (err != null) return err;
            }
        }
        return null;
    }

    private static String checkFieldTerm(String term) {
        for (int i = 0; i < term.length(); i++) {
            char c = term.charAt(i);
            if (c == '\\') {
                i++;
                continue;
            }
            int opLen = term.startsWith("!=", i) || term.startsWith("==", i) ? 2 : c == '=' ? 1 : 0;
            if (opLen == 0) continue;
            String value = term.substring(i + opLen);
            for (int j = 0; j < value.length(); j++) {
                if (value.charAt(j) != '\\') continue;
                if (j + 1 >= value.length() || "\\,=".indexOf(value.charAt(j + 1)) < 0) {
                    return "invalid field selector " + quote(term) + ": invalid escape sequence in value; escape only \\, , and = with \\";
                }
                j++;
            }
            return null;
        }
        return "invalid selector: '" + term + "'; can't understand '" + term + "' (write key=value, key==value or key!=value)";
    }

    /**
     * Checks a label selector ({@code app=x,tier in (a,b),!canary}); null when valid, else the error.
     * Grammar of {@code labels.Parse}: requirements separated by commas, each {@code key},
     * {@code !key}, {@code key (=|==|!=) value}, {@code key (in|notin) (v1,v2)} or {@code key (>|<) integer}.
     */
    public static String checkLabel(String selector) {
        Lexer lx = new Lexer(selector);
        String tok = lx.next();
        if (tok == null) return null;
        while (true) {
            boolean not = tok.equals("!");
            if (not) tok = lx.next();
            if (tok == null || isOperator(tok)) {
                return labelError(selector, "found '" + (tok == null ? "" : tok) + "', expected: identifier");
            }
            String keyErr = checkKey(tok);
            if (keyErr != null) return labelError(selector, keyErr);
            String op = lx.next();
            if (op == null) return null;
            if (op.equals(",")) {
                tok = lx.next();
                if (tok == null) return labelError(selector, "found '', expected: !, identifier");
                continue;
            }
            if (not) return labelError(selector, "found '" + op + "', expected: ',' or 'end of string'");
            switch (op) {
                case "=", "==", "!=" -> {
                    String v = lx.peekValue();
                    if (v != null) {
                        String err = checkValue(v);
                        if (err != null) return labelError(selector, err);
                        lx.next();
                    }
                }
                case ">", "<" -> {
                    String v = lx.next();
                    if (v == null || !v.matches("-?[0-9]+")) {
                        return labelError(selector, "for 'Gt', 'Lt' operators, the value must be an integer");
                    }
                }
                case "in", "notin" -> {
                    if (!"(".equals(lx.next())) return labelError(selector, "found '" + lx.last() + "', expected: '('");
                    int values = 0;
                    while (true) {
                        String v = lx.next();
                        if (v == null) return labelError(selector, "found '', expected: ',' or ')'");
                        if (v.equals(")")) {
                            if (values == 0) return labelError(selector, "for 'in', 'notin' operators, values set can't be empty");
                            break;
                        }
                        values++;
                        if (v.equals(",")) continue;
                        if (isOperator(v)) return labelError(selector, "found '" + v + "', expected: ',', ')' or identifier");
                        String err = checkValue(v);
                        if (err != null) return labelError(selector, err);
                    }
                }
                default -> {
                    return labelError(selector, "found '" + op + "', expected: in, notin, =, ==, !=, gt, lt");
                }
            }
            String sep = lx.next();
            if (sep == null) return null;
            if (!sep.equals(",")) return labelError(selector, "found '" + sep + "', expected: ',' or 'end of string'");
            tok = lx.next();
            if (tok == null) return labelError(selector, "found '', expected: !, identifier");
        }
    }

    private static boolean isOperator(String t) {
        return switch (t) {
            case "!", "=", "==", "!=", "(", ")", ",", ">", "<" -> true;
            default -> false;
        };
    }

    /** A qualified name: an optional DNS subdomain prefix and '/', then a name of at most 63 characters. */
    private static String checkKey(String key) {
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
                return "invalid label key " + quote(key) + ": the prefix must be a DNS subdomain";
            }
        }
        if (name.isEmpty() || name.length() > 63 || !NAME.matcher(name).matches()) {
            return "invalid label key " + quote(key) + ": a name must be at most 63 characters of [-A-Za-z0-9_.],"
                    + " starting and ending with an alphanumeric character";
        }
        return null;
    }

    private static String checkValue(String v) {
        if (v.length() > 63 || !VALUE.matcher(v).matches()) {
            return "invalid label value " + quote(v) + ": a value must be empty or at most 63 characters of [-A-Za-z0-9_.],"
                    + " starting and ending with an alphanumeric character";
        }
        return null;
    }

    private static String labelError(String selector, String detail) {
        return "unable to parse label selector " + quote(selector) + ": " + detail;
    }

    private static String quote(String s) {
        return DiscoveryDecoder.quote(s);
    }

    /** Tokens of {@code labels.Parse}'s lexer: operators, parentheses, commas and identifiers. */
    private static final class Lexer {
        private final String s;
        private int pos;
        private String last;

        Lexer(String s) { this.s = s; }

        String last() { return last == null ? "" : last; }

        /** The next token, or null at the end. */
        String next() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
            if (pos >= s.length()) return last = null;
            char c = s.charAt(pos);
            String two = pos + 1 < s.length() ? s.substring(pos, pos + 2) : "";
            if (two.equals("==") || two.equals("!=")) {
                pos += 2;
                return last = two;
            }
            if ("!=(),<>".indexOf(c) >= 0) {
                pos++;
                return last = String.valueOf(c);
            }
            int start = pos;
            while (pos < s.length() && !Character.isWhitespace(s.charAt(pos)) && "!=(),<>".indexOf(s.charAt(pos)) < 0) pos++;
            return last = s.substring(start, pos);
        }

        /** The next token when it is a value (an identifier), without consuming it; null otherwise. */
        String peekValue() {
            int save = pos;
            String saveLast = last;
            String t = next();
            pos = save;
            last = saveLast;
            return t == null || isOperator(t) ? null : t;
        }
    }
}
