package io.pyrometer.promql.engine;

import com.google.re2j.Matcher;

/** Go's {@code regexp.Expand} template syntax, for {@code label_replace}. */
final class GoRegex {
    private GoRegex() {}

    /**
     * Expands {@code $1}, {@code ${1}}, {@code $name}, {@code ${name}} and {@code $$} against a
     * successful match. As in Go, {@code $name} takes the longest run of letters, digits and
     * underscores, and unknown groups expand to nothing.
     */
    static String expand(String template, Matcher m) {
        StringBuilder sb = new StringBuilder();
        int i = 0, n = template.length();
        while (i < n) {
            char ch = template.charAt(i);
            if (ch != '$' || i + 1 >= n) {
                sb.append(ch);
                i++;
                continue;
            }
            char next = template.charAt(i + 1);
            if (next == '$') {
                sb.append('$');
                i += 2;
                continue;
            }
            String name;
            int end;
            if (next == '{') {
                int close = template.indexOf('}', i + 2);
                if (close < 0 || !isName(template, i + 2, close)) {
                    sb.append(ch);
                    i++;
                    continue;
                }
                name = template.substring(i + 2, close);
                end = close + 1;
            } else {
                int j = i + 1;
                while (j < n && isNameChar(template.charAt(j))) j++;
                if (j == i + 1) {
                    sb.append(ch);
                    i++;
                    continue;
                }
                name = template.substring(i + 1, j);
                end = j;
            }
            sb.append(group(m, name));
            i = end;
        }
        return sb.toString();
    }

    private static String group(Matcher m, String name) {
        String g = null;
        if (name.chars().allMatch(Character::isDigit)) {
            try {
                int idx = Integer.parseInt(name);
                if (idx <= m.groupCount()) g = m.group(idx);
            } catch (NumberFormatException e) {
                g = null;
            }
        } else {
            try {
                g = m.group(name);
            } catch (IllegalArgumentException e) {
                g = null;
            }
        }
        return g == null ? "" : g;
    }

    private static boolean isName(String s, int from, int to) {
        if (from >= to) return false;
        for (int i = from; i < to; i++) if (!isNameChar(s.charAt(i))) return false;
        return true;
    }

    private static boolean isNameChar(char c) { return Character.isLetterOrDigit(c) || c == '_'; }
}
