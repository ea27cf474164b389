package io.pyrometer.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Go's {@code text/template/parse/lex.go}: splits a template text into items (text, delimiters,
 * action tokens). Trim markers ({@code {{- } and { -}}}) are applied here, so the parser never
 * sees them. Unlike Go's goroutine lexer this one runs to the end (or the first error) eagerly;
 * the item stream is the same.
 */
final class Lexer {
    enum Type {
        ERROR, BOOL, CHAR, CHAR_CONSTANT, COMMENT, COMPLEX, ASSIGN, DECLARE, EOF, FIELD, IDENTIFIER,
        LEFT_DELIM, LEFT_PAREN, NUMBER, PIPE, RAW_STRING, RIGHT_DELIM, RIGHT_PAREN, SPACE, STRING, TEXT,
        VARIABLE,
        // keywords, after KEYWORD (Go's itemKeyword)
        KEYWORD, BLOCK, BREAK, CONTINUE, DOT, DEFINE, ELSE, END, IF, NIL, RANGE, TEMPLATE, WITH;

        boolean isKeyword() { return ordinal() > KEYWORD.ordinal(); }
    }

    /** One lexed item; {@code pos} is a char offset into the text, {@code line} 1-based. */
    record Item(Type type, int pos, String val, int line) {
        @Override
        public String toString() {
            if (type == Type.EOF) return "EOF";
            if (type == Type.ERROR) return val;
            if (type.isKeyword()) return "<" + val + ">";
            if (val.codePointCount(0, val.length()) > 10) {
                int end = val.offsetByCodePoints(0, 10);
                return GoFmt.quote(val.substring(0, end)) + "...";
            }
            return GoFmt.quote(val);
        }
    }

    private static final Map<String, Type> KEY = Map.ofEntries(
            Map.entry(".", Type.DOT), Map.entry("block", Type.BLOCK), Map.entry("break", Type.BREAK),
            Map.entry("continue", Type.CONTINUE), Map.entry("define", Type.DEFINE), Map.entry("else", Type.ELSE),
            Map.entry("end", Type.END), Map.entry("if", Type.IF), Map.entry("range", Type.RANGE),
            Map.entry("nil", Type.NIL), Map.entry("template", Type.TEMPLATE), Map.entry("with", Type.WITH));

    private static final String LEFT_DELIM = "{{";
    private static final String RIGHT_DELIM = "}}";
    private static final String LEFT_COMMENT = "/*";
    private static final String RIGHT_COMMENT = "*/";
    private static final int EOF = -1;

    private final String input;
    private final boolean breakOk;
    private final boolean continueOk;
    private final List<Item> items = new ArrayList<>();
    private int pos;
    private int start;
    private int width;
    private int parenDepth;
    private boolean done;

    private Lexer(String input, boolean breakOk, boolean continueOk) {
        this.input = input;
        this.breakOk = breakOk;
        this.continueOk = continueOk;
    }

    /** Lexes the whole input; the last item is EOF or ERROR. */
    static List<Item> lex(String input, boolean breakOk, boolean continueOk) {
        Lexer l = new Lexer(input, breakOk, continueOk);
        l.run();
        return l.items;
    }

    private enum State { TEXT, LEFT_DELIM, COMMENT, RIGHT_DELIM, INSIDE }

    private void run() {
        State s = State.TEXT;
        while (!done) {
            s = switch (s) {
                case TEXT -> lexText();
                case LEFT_DELIM -> lexLeftDelim();
                case COMMENT -> lexComment();
                case RIGHT_DELIM -> lexRightDelim();
                case INSIDE -> lexInsideAction();
            };
        }
    }

    private int lineAt(int p) {
        int line = 1;
        // Items are emitted in order, so count incrementally from the previous item.
        int from = 0;
        if (!items.isEmpty()) {
            Item last = items.get(items.size() - 1);
            if (last.pos <= p) {
                from = last.pos;
                line = last.line;
            }
        }
        for (int i = from; i < p && i < input.length(); i++) if (input.charAt(i) == '\n') line++;
        return line;
    }

    private void emit(Type t) {
        items.add(new Item(t, start, input.substring(start, pos), lineAt(start)));
        start = pos;
    }

    private State errorf(String msg) {
        items.add(new Item(Type.ERROR, start, msg, lineAt(start)));
        done = true;
        return State.TEXT;
    }

    private int next() {
        if (pos >= input.length()) {
            width = 0;
            return EOF;
        }
        int r = input.codePointAt(pos);
        width = Character.charCount(r);
        pos += width;
        return r;
    }

    private int peek() {
        int r = next();
        backup();
        return r;
    }

    private void backup() { pos -= width; }

    private void ignore() { start = pos; }

    private boolean accept(String valid) {
        int r = next();
        if (r != EOF && valid.indexOf(r) >= 0) return true;
        backup();
        return false;
    }

    private void acceptRun(String valid) {
        while (true) {
            int r = next();
            if (r == EOF || valid.indexOf(r) < 0) break;
        }
        backup();
    }

    static boolean isSpace(int r) { return r == ' ' || r == '\t' || r == '\r' || r == '\n'; }

    static boolean isAlphaNumeric(int r) {
        return r == '_' || Character.isLetter(r) || Character.isDigit(r);
    }

    private static boolean hasLeftTrimMarker(String s, int at) {
        return s.length() >= at + 2 && s.charAt(at) == '-' && isSpace(s.charAt(at + 1));
    }

    private static boolean hasRightTrimMarker(String s, int at) {
        return s.length() >= at + 2 && isSpace(s.charAt(at)) && s.charAt(at + 1) == '-';
    }

    private State lexText() {
        width = 0;
        int x = input.indexOf(LEFT_DELIM, pos);
        if (x >= 0) {
            pos = x;
            int trim = 0;
            if (hasLeftTrimMarker(input, pos + LEFT_DELIM.length())) {
                String before = input.substring(start, pos);
                trim = before.length() - stripRight(before).length();
            }
            pos -= trim;
            if (pos > start) emit(Type.TEXT);
            pos += trim;
            ignore();
            return State.LEFT_DELIM;
        }
        pos = input.length();
        if (pos > start) emit(Type.TEXT);
        emit(Type.EOF);
        done = true;
        return State.TEXT;
    }

    private static String stripRight(String s) {
        int e = s.length();
        while (e > 0 && isSpace(s.charAt(e - 1))) e--;
        return s.substring(0, e);
    }

    private int leftTrimLength(int from) {
        int i = from;
        while (i < input.length() && isSpace(input.charAt(i))) i++;
        return i - from;
    }

    private State lexLeftDelim() {
        pos += LEFT_DELIM.length();
        boolean trim = hasLeftTrimMarker(input, pos);
        int after = trim ? 2 : 0;
        if (input.startsWith(LEFT_COMMENT, pos + after)) {
            pos += after;
            ignore();
            return State.COMMENT;
        }
        emit(Type.LEFT_DELIM);
        pos += after;
        ignore();
        parenDepth = 0;
        return State.INSIDE;
    }

    private State lexComment() {
        pos += LEFT_COMMENT.length();
        int i = input.indexOf(RIGHT_COMMENT, pos);
        if (i < 0) return errorf("unclosed comment");
        pos = i + RIGHT_COMMENT.length();
        boolean[] trim = new boolean[1];
        if (!atRightDelim(trim)) return errorf("comment ends before closing delimiter");
        if (trim[0]) pos += 2;
        pos += RIGHT_DELIM.length();
        if (trim[0]) pos += leftTrimLength(pos);
        ignore();
        return State.TEXT;
    }

    private boolean atRightDelim(boolean[] trim) {
        if (input.startsWith(RIGHT_DELIM, pos)) {
            trim[0] = false;
            return true;
        }
        if (hasRightTrimMarker(input, pos) && input.startsWith(RIGHT_DELIM, pos + 2)) {
            trim[0] = true;
            return true;
        }
        return false;
    }

    private State lexRightDelim() {
        boolean[] trim = new boolean[1];
        atRightDelim(trim);
        if (trim[0]) {
            pos += 2;
            ignore();
        }
        pos += RIGHT_DELIM.length();
        emit(Type.RIGHT_DELIM);
        if (trim[0]) {
            pos += leftTrimLength(pos);
            ignore();
        }
        return State.TEXT;
    }

    private State lexInsideAction() {
        boolean[] trim = new boolean[1];
        if (atRightDelim(trim)) {
            if (parenDepth == 0) return State.RIGHT_DELIM;
            return errorf("unclosed left paren");
        }
        int r = next();
        if (r == EOF) return errorf("unclosed action");
        if (isSpace(r)) {
            backup();
            return lexSpace();
        }
        switch (r) {
            case '=' -> emit(Type.ASSIGN);
            case ':' -> {
                if (next() != '=') return errorf("expected :=");
                emit(Type.DECLARE);
            }
            case '|' -> emit(Type.PIPE);
            case '"' -> { return lexQuote(); }
            case '`' -> { return lexRawQuote(); }
            case '$' -> { return lexVariable(); }
            case '\'' -> { return lexChar(); }
            case '(' -> {
                emit(Type.LEFT_PAREN);
                parenDepth++;
            }
            case ')' -> {
                parenDepth--;
                if (parenDepth < 0) return errorf("unexpected right paren");
                emit(Type.RIGHT_PAREN);
            }
            default -> {
                if (r == '.') {
                    if (pos < input.length()) {
                        char c = input.charAt(pos);
                        if (c < '0' || c > '9') return lexFieldOrVariable(Type.FIELD);
                    }
                    backup();
                    return lexNumber();
                }
                if (r == '+' || r == '-' || (r >= '0' && r <= '9')) {
                    backup();
                    return lexNumber();
                }
                if (isAlphaNumeric(r)) {
                    backup();
                    return lexIdentifier();
                }
                if (r <= 0x7f && r >= 0x20 && r != 0x7f) {
                    emit(Type.CHAR);
                } else {
                    return errorf("unrecognized character in action: " + GoFmt.unicodeNotation(r));
                }
            }
        }
        return State.INSIDE;
    }

    private State lexSpace() {
        int numSpaces = 0;
        while (isSpace(peek())) {
            next();
            numSpaces++;
        }
        // A space followed by "-}}" is a trim marker, not a space item.
        if (hasRightTrimMarker(input, pos - 1) && input.startsWith(RIGHT_DELIM, pos + 1)) {
            pos--;
            if (numSpaces == 1) return State.RIGHT_DELIM;
        }
        emit(Type.SPACE);
        return State.INSIDE;
    }

    private State lexIdentifier() {
        while (true) {
            int r = next();
            if (isAlphaNumeric(r)) continue;
            backup();
            String word = input.substring(start, pos);
            if (!atTerminator()) return errorf("bad character " + GoFmt.unicodeNotation(r));
            Type kw = KEY.get(word);
            if (kw != null && kw.isKeyword()) {
                if ((kw == Type.BREAK && !breakOk) || (kw == Type.CONTINUE && !continueOk)) emit(Type.IDENTIFIER);
                else emit(kw);
            } else if (word.charAt(0) == '.') {
                emit(Type.FIELD);
            } else if (word.equals("true") || word.equals("false")) {
                emit(Type.BOOL);
            } else {
                emit(Type.IDENTIFIER);
            }
            return State.INSIDE;
        }
    }

    private State lexVariable() {
        if (atTerminator()) {
            emit(Type.VARIABLE);
            return State.INSIDE;
        }
        return lexFieldOrVariable(Type.VARIABLE);
    }

    private State lexFieldOrVariable(Type typ) {
        if (atTerminator()) {
            emit(typ == Type.VARIABLE ? Type.VARIABLE : Type.DOT);
            return State.INSIDE;
        }
        int r;
        while (true) {
            r = next();
            if (!isAlphaNumeric(r)) {
                backup();
                break;
            }
        }
        if (!atTerminator()) return errorf("bad character " + GoFmt.unicodeNotation(r));
        emit(typ);
        return State.INSIDE;
    }

    private boolean atTerminator() {
        int r = peek();
        if (isSpace(r)) return true;
        switch (r) {
            case EOF, '.', ',', '|', ':', ')', '(' -> { return true; }
            default -> { return r == RIGHT_DELIM.charAt(0); }
        }
    }

    private State lexChar() {
        while (true) {
            int r = next();
            if (r == '\\') {
                int n = next();
                if (n != EOF && n != '\n') continue;
                return errorf("unterminated character constant");
            }
            if (r == EOF || r == '\n') return errorf("unterminated character constant");
            if (r == '\'') break;
        }
        emit(Type.CHAR_CONSTANT);
        return State.INSIDE;
    }

    private State lexNumber() {
        if (!scanNumber()) return errorf("bad number syntax: " + GoFmt.quote(input.substring(start, pos)));
        int sign = peek();
        if (sign == '+' || sign == '-') {
            if (!scanNumber() || input.charAt(pos - 1) != 'i') {
                return errorf("bad number syntax: " + GoFmt.quote(input.substring(start, pos)));
            }
            emit(Type.COMPLEX);
        } else {
            emit(Type.NUMBER);
        }
        return State.INSIDE;
    }

    private boolean scanNumber() {
        accept("+-");
        String digits = "0123456789_";
        if (accept("0")) {
            if (accept("xX")) digits = "0123456789abcdefABCDEF_";
            else if (accept("oO")) digits = "01234567_";
            else if (accept("bB")) digits = "01_";
        }
        acceptRun(digits);
        if (accept(".")) acceptRun(digits);
        if (digits.length() == 10 + 1 && accept("eE")) {
            accept("+-");
            acceptRun("0123456789_");
        }
        if (digits.length() == 16 + 6 + 1 && accept("pP")) {
            accept("+-");
            acceptRun("0123456789_");
        }
        accept("i");
        if (isAlphaNumeric(peek())) {
            next();
            return false;
        }
        return true;
    }

    private State lexQuote() {
        while (true) {
            int r = next();
            if (r == '\\') {
                int n = next();
                if (n != EOF && n != '\n') continue;
                return errorf("unterminated quoted string");
            }
            if (r == EOF || r == '\n') return errorf("unterminated quoted string");
            if (r == '"') break;
        }
        emit(Type.STRING);
        return State.INSIDE;
    }

    private State lexRawQuote() {
        while (true) {
            int r = next();
            if (r == EOF) return errorf("unterminated raw quoted string");
            if (r == '`') break;
        }
        emit(Type.RAW_STRING);
        return State.INSIDE;
    }
}
