package io.pyrometer.alerting.config;

import io.pyrometer.model.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Alertmanager's matcher syntax ({@code pkg/labels/parse.go}, the parser of 0.25 that
 * {@code amtool} and the config use): {@code name op value} where the value may be double-quoted
 * with OpenMetrics escapes ({@code \"}, {@code \n}, {@code \\}), and lists separated by commas
 * outside quotes, optionally in braces. Pyrometer also accepts a double-quoted label name
 * ({@code "service name"="x"}), as Alertmanager 0.27's UTF-8 parser does.
 */
public final class Matchers {
    private Matchers() {}

    private static final Pattern RE = Pattern.compile("^\\s*([a-zA-Z_:][a-zA-Z0-9_:]*|\"(?:[^\"\\\\]|\\\\.)*\")\\s*(=~|=|!=|!~)\\s*((?s).*?)\\s*$");
    private static final Pattern LABEL_NAME = Pattern.compile("^[a-zA-Z_][a-zA-Z0-9_]*$");

    public static boolean isValidLabelName(String s) { return LABEL_NAME.matcher(s).matches(); }

    /** Every matcher must hold; the empty list matches everything. */
    public static boolean matches(List<Matcher> ms, Labels labels) {
        for (Matcher m : ms) if (!m.matches(labels)) return false;
        return true;
    }

    /** {@code {a="b",c=~"d"}}: Alertmanager's {@code Matchers.String()}. */
    public static String toString(List<Matcher> ms) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < ms.size(); i++) {
            if (i > 0) sb.append(',');
            sb.append(ms.get(i));
        }
        return sb.append('}').toString();
    }

    /** Parses {@code {a="b", c!~"d.*"}} or {@code a=b,c!~d.*}. */
    public static List<Matcher> parseList(String s) {
        if (s.startsWith("{")) s = s.substring(1);
        if (s.endsWith("}")) s = s.substring(0, s.length() - 1);
        List<String> tokens = new ArrayList<>();
        StringBuilder token = new StringBuilder();
        boolean inside = false, escaped = false;
        for (int i = 0; i < s.length(); i++) {
            char r = s.charAt(i);
            switch (r) {
                case ',' -> {
                    if (!inside) {
                        tokens.add(token.toString());
                        token.setLength(0);
                        continue;
                    }
                }
                case '"' -> {
                    if (!escaped) inside = !inside;
                    else escaped = false;
                }
                case '\\' -> escaped = !escaped;
                default -> escaped = false;
            }
            token.append(r);
        }
        if (!token.toString().isBlank()) tokens.add(token.toString().strip());
        List<Matcher> out = new ArrayList<>();
        for (String t : tokens) out.add(parse(t));
        return out;
    }

    /** Parses one matcher; @throws IllegalArgumentException with Alertmanager's message */
    public static Matcher parse(String s) {
        java.util.regex.Matcher m = RE.matcher(s);
        if (!m.matches()) throw new IllegalArgumentException("bad matcher format: " + s);
        String name = m.group(1);
        if (name.startsWith("\"")) name = unescape(name.substring(1, name.length() - 1));
        String raw = m.group(3);
        boolean expectTrailingQuote = false;
        if (raw.startsWith("\"")) {
            raw = raw.substring(1);
            expectTrailingQuote = true;
        }
        StringBuilder value = new StringBuilder();
        boolean escaped = false;
        for (int i = 0; i < raw.length(); i++) {
            char r = raw.charAt(i);
            if (escaped) {
                escaped = false;
                switch (r) {
                    case 'n' -> value.append('\n');
                    case '"', '\\' -> value.append(r);
                    default -> value.append('\\').append(r);
                }
                continue;
            }
            switch (r) {
                case '\\' -> {
                    if (i < raw.length() - 1) escaped = true;
                    else value.append('\\');
                }
                case '"' -> {
                    if (!expectTrailingQuote || i < raw.length() - 1) {
                        throw new IllegalArgumentException("matcher value contains unescaped double quote: " + m.group(3));
                    }
                    expectTrailingQuote = false;
                }
                default -> value.append(r);
            }
        }
        if (expectTrailingQuote) throw new IllegalArgumentException("matcher value contains unescaped double quote: " + m.group(3));
        Matcher.Type type = switch (m.group(2)) {
            case "=" -> Matcher.Type.EQ;
            case "!=" -> Matcher.Type.NEQ;
            case "=~" -> Matcher.Type.RE;
            default -> Matcher.Type.NRE;
        };
        return Matcher.of(type, name, value.toString());
    }

    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                sb.append(n == 'n' ? '\n' : n);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
