package io.pyrometer.promql.conformance;

import io.pyrometer.model.Labels;
import io.pyrometer.model.Values;
import java.util.ArrayList;
import java.util.List;

/**
 * A series line of the promqltest format: a metric literal with {@code =} matchers followed by a
 * value sequence ({@code 1 _ 3 stale 0+10x5 _x3}). Native-histogram items ({@code {{...}}}) are
 * recognised and flagged, not decoded: the storage under test holds floats only.
 */
record SeriesDesc(Labels labels, List<Item> items, boolean hasHistograms) {

    /** One slot of a sequence: omitted ({@code _}), a float, or a histogram literal we cannot hold. */
    record Item(boolean omitted, double value, boolean histogram) {
        static final Item OMITTED = new Item(true, 0, false);
        static final Item HISTOGRAM = new Item(false, 0, true);
    }

    static SeriesDesc parse(String line) {
        Cursor c = new Cursor(line.trim());
        Labels labels = parseMetric(c);
        List<Item> items = new ArrayList<>();
        boolean hist = false;
        while (true) {
            c.skipSpace();
            if (c.eof()) break;
            if (c.s.startsWith("{{", c.i)) {
                hist = true;
                int end = c.s.indexOf("}}", c.i);
                if (end < 0) throw new IllegalArgumentException("unterminated histogram literal: " + line);
                c.i = end + 2;
                if (c.s.startsWith("+{{", c.i) || c.s.startsWith("-{{", c.i)) {
                    int e2 = c.s.indexOf("}}", c.i);
                    if (e2 < 0) throw new IllegalArgumentException("unterminated histogram literal: " + line);
                    c.i = e2 + 2;
                }
                int repeat = 0;
                if (c.peek('x')) {
                    c.i++;
                    int st = c.i;
                    while (!c.eof() && Character.isDigit(c.ch())) c.i++;
                    repeat = Integer.parseInt(c.s.substring(st, c.i));
                }
                for (int k = 0; k <= repeat; k++) items.add(Item.HISTOGRAM);
                continue;
            }
            parseItem(c.token(), items);
        }
        return new SeriesDesc(labels, items, hist);
    }

    private static void parseItem(String tok, List<Item> out) {
        if (tok.equals("_")) {
            out.add(Item.OMITTED);
            return;
        }
        if (tok.startsWith("_x")) {
            int n = Integer.parseInt(tok.substring(2));
            for (int k = 0; k < n; k++) out.add(Item.OMITTED);
            return;
        }
        if (tok.equalsIgnoreCase("stale")) {
            out.add(new Item(false, Values.STALE_NAN, false));
            return;
        }
        int x = tok.lastIndexOf('x');
        if (x > 0 && isDigits(tok, x + 1)) {
            int n = Integer.parseInt(tok.substring(x + 1));
            String head = tok.substring(0, x);
            int op = findOp(head);
            double a, b = 0;
            if (op > 0) {
                a = parseNumber(head.substring(0, op));
                b = parseNumber(head.substring(op + 1));
                if (head.charAt(op) == '-') b = -b;
            } else {
                a = parseNumber(head);
            }
            double v = a;
            for (int k = 0; k <= n; k++) {
                out.add(new Item(false, v, false));
                v += b; // repeated addition, as Go's parser does
            }
            return;
        }
        out.add(new Item(false, parseNumber(tok), false));
    }

    private static boolean isDigits(String s, int from) {
        if (from >= s.length()) return false;
        for (int i = from; i < s.length(); i++) if (!Character.isDigit(s.charAt(i))) return false;
        return true;
    }

    /** Index of the binary +/- between a and b (not a sign and not inside an exponent). */
    private static int findOp(String s) {
        for (int i = 1; i < s.length(); i++) {
            char ch = s.charAt(i);
            if ((ch == '+' || ch == '-') && s.charAt(i - 1) != 'e' && s.charAt(i - 1) != 'E') return i;
        }
        return -1;
    }

    /** Go's ParseFloat plus the lexer's {@code Inf}/{@code NaN} words, case-insensitive. */
    static double parseNumber(String s) {
        String t = s.trim();
        String l = t.toLowerCase();
        switch (l) {
            case "inf", "+inf" -> { return Double.POSITIVE_INFINITY; }
            case "-inf" -> { return Double.NEGATIVE_INFINITY; }
            case "nan", "+nan", "-nan" -> { return Double.NaN; }
            default -> { }
        }
        if (l.startsWith("0x") || l.startsWith("-0x") || l.startsWith("+0x")) {
            boolean neg = l.startsWith("-");
            long v = Long.parseLong(l.substring(l.indexOf('x') + 1), 16);
            return neg ? -v : v;
        }
        if (!l.isEmpty() && (Character.isLetter(l.charAt(l.length() - 1)) && l.charAt(l.length() - 1) != 'e')) {
            throw new NumberFormatException("not a number: " + s);
        }
        if (l.endsWith("d") || l.endsWith("f")) throw new NumberFormatException("not a number: " + s);
        return Double.parseDouble(t);
    }

    private static Labels parseMetric(Cursor c) {
        Labels.Builder b = Labels.builder();
        if (!c.peek('{')) {
            int start = c.i;
            while (!c.eof() && (Character.isLetterOrDigit(c.ch()) || c.ch() == '_' || c.ch() == ':')) c.i++;
            b.set(Labels.METRIC_NAME, c.s.substring(start, c.i));
        }
        if (c.peek('{') && !c.s.startsWith("{{", c.i)) {
            c.i++;
            while (true) {
                c.skipSpace();
                if (c.peek('}')) {
                    c.i++;
                    break;
                }
                String name;
                if (c.peek('"') || c.peek('\'') || c.peek('`')) name = c.quoted();
                else {
                    int start = c.i;
                    while (!c.eof() && (Character.isLetterOrDigit(c.ch()) || c.ch() == '_')) c.i++;
                    name = c.s.substring(start, c.i);
                }
                c.skipSpace();
                if (c.peek(',') || c.peek('}')) { // bare quoted metric name
                    b.set(Labels.METRIC_NAME, name);
                } else {
                    c.expect('=');
                    c.skipSpace();
                    b.set(name, c.quoted());
                }
                c.skipSpace();
                if (c.peek(',')) c.i++;
            }
        }
        return b.build();
    }

    static final class Cursor {
        final String s;
        int i;

        Cursor(String s) { this.s = s; }

        boolean eof() { return i >= s.length(); }
        char ch() { return s.charAt(i); }
        boolean peek(char ch) { return i < s.length() && s.charAt(i) == ch; }

        void skipSpace() { while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++; }

        void expect(char ch) {
            if (!peek(ch)) throw new IllegalArgumentException("expected '" + ch + "' at " + i + " in: " + s);
            i++;
        }

        String token() {
            int start = i;
            while (i < s.length() && s.charAt(i) != ' ' && s.charAt(i) != '\t') i++;
            return s.substring(start, i);
        }

        String quoted() {
            char q = ch();
            i++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (eof()) throw new IllegalArgumentException("unterminated string in: " + s);
                char ch = s.charAt(i++);
                if (ch == q) break;
                if (ch == '\\' && q != '`') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> sb.append('\n');
                        case 't' -> sb.append('\t');
                        case 'r' -> sb.append('\r');
                        case '\\' -> sb.append('\\');
                        case '"' -> sb.append('"');
                        case '\'' -> sb.append('\'');
                        case 'x' -> {
                            sb.append((char) Integer.parseInt(s.substring(i, i + 2), 16));
                            i += 2;
                        }
                        case 'u' -> {
                            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> sb.append('\\').append(e);
                    }
                } else sb.append(ch);
            }
            return sb.toString();
        }
    }
}
