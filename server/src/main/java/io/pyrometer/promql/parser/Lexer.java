package io.pyrometer.promql.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a query into tokens the way Prometheus's lexer (promql/parser/lex.go) does, including
 * its context: inside {@code {...}} keywords are plain identifiers, inside {@code [...]} only
 * durations, numbers, arithmetic and {@code step()}/{@code range()}/{@code min_of}/{@code max_of}
 * are allowed. Lexing stops at the first error, which becomes an {@link TokenType#ERROR} token
 * whose position is where Prometheus reports it.
 */
final class Lexer {
    private static final int EOF = -1;

    private final String input;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private int start;
    private int parenDepth;
    private boolean braceOpen;
    private boolean bracketOpen;
    private boolean gotColon;
    private boolean gotDuration;
    private boolean done;

    private Lexer(String input) { this.input = input; }

    /** All tokens up to and including EOF or the first ERROR; comments are dropped. */
    static List<Token> lex(String input) {
        Lexer l = new Lexer(input);
        while (!l.done) {
            if (l.braceOpen) l.lexInsideBraces();
            else l.lexStatement();
        }
        return l.tokens;
    }

    // ---- character access -------------------------------------------------------------------

    private int next() {
        if (pos >= input.length()) {
            pos = input.length() + 1; // so backup() returns to the end
            return EOF;
        }
        int cp = input.codePointAt(pos);
        pos += Character.charCount(cp);
        return cp;
    }

    private int peek() {
        if (pos >= input.length()) return EOF;
        return input.codePointAt(pos);
    }

    /** Steps back over the last character read by {@link #next()}. */
    private void backup() {
        if (pos > input.length()) {
            pos = input.length();
            return;
        }
        pos = input.offsetByCodePoints(pos, -1);
    }

    private boolean accept(String valid) {
        int c = next();
        if (c != EOF && valid.indexOf(c) >= 0) return true;
        backup();
        return false;
    }

    private boolean is(String valid) {
        int c = peek();
        return c != EOF && valid.indexOf(c) >= 0;
    }

    private void acceptRun(String valid) {
        while (is(valid)) next();
    }

    private void emit(TokenType t) {
        tokens.add(new Token(t, start, input.substring(start, pos)));
        start = pos;
    }

    private void ignore() { start = pos; }

    private void error(String msg) { error(start, msg); }

    /**
     * Replaces the token just emitted by an error: Prometheus's lexer overwrites the item in that
     * case, so the parser never sees the token (e.g. a ")" without an opening one).
     */
    private void errorInsteadOfLast(String msg) {
        tokens.removeLast();
        error(msg);
    }

    private void error(int at, String msg) {
        tokens.add(new Token(TokenType.ERROR, Math.min(at, input.length()), msg));
        done = true;
    }

    // ---- states -----------------------------------------------------------------------------

    private void lexStatement() {
        if (input.startsWith("#", pos)) {
            lexLineComment();
            return;
        }
        int r = next();
        switch (r) {
            case EOF -> {
                if (parenDepth != 0) error("unclosed left parenthesis");
                else if (bracketOpen) error("unclosed left bracket");
                else {
                    pos = input.length();
                    emit(TokenType.EOF);
                    done = true;
                }
            }
            case ',' -> emit(TokenType.COMMA);
            case ' ', '\t', '\n', '\r' -> skipSpaces();
            case '*' -> emit(TokenType.MUL);
            case '/' -> emit(TokenType.DIV);
            case '%' -> emit(TokenType.MOD);
            case '+' -> emit(TokenType.ADD);
            case '-' -> emit(TokenType.SUB);
            case '^' -> emit(TokenType.POW);
            case '=' -> lexEquals();
            case '!' -> {
                int t = next();
                if (t != '=') error("unexpected character after '!': " + GoQuote.quoteRune(t));
                else emit(TokenType.NEQ);
            }
            case '<' -> emit(accept("=") ? TokenType.LTE : accept("/") ? TokenType.TRIM_UPPER : TokenType.LSS);
            case '>' -> emit(accept("=") ? TokenType.GTE : accept("/") ? TokenType.TRIM_LOWER : TokenType.GTR);
            case '"', '\'' -> lexString(r);
            case '`' -> lexRawString();
            case '(' -> {
                emit(TokenType.LEFT_PAREN);
                parenDepth++;
            }
            case ')' -> {
                emit(TokenType.RIGHT_PAREN);
                if (--parenDepth < 0) errorInsteadOfLast("unexpected right parenthesis ')'");
            }
            case '{' -> {
                emit(TokenType.LEFT_BRACE);
                braceOpen = true;
            }
            case '[' -> {
                if (bracketOpen) {
                    error("unexpected left bracket '['");
                    return;
                }
                gotColon = false;
                gotDuration = false;
                emit(TokenType.LEFT_BRACKET);
                bracketOpen = true;
                lexDurationExpr();
            }
            case ']' -> {
                if (!bracketOpen) {
                    error("unexpected right bracket ']'");
                    return;
                }
                emit(TokenType.RIGHT_BRACKET);
                bracketOpen = false;
            }
            case '@' -> emit(TokenType.AT);
            default -> lexOther(r);
        }
    }

    private void lexEquals() {
        int t = peek();
        if (t == '=') {
            next();
            emit(TokenType.EQLC);
        } else if (t == '~') {
            error("unexpected character after '=': '~'");
        } else {
            emit(TokenType.EQL);
        }
    }

    private void lexOther(int r) {
        if (isDigit(r) || (r == '.' && isDigit(peek()))) {
            backup();
            lexNumberOrDuration();
        } else if (isAlpha(r) || r == ':') {
            if (!bracketOpen) {
                backup();
                lexKeywordOrIdentifier();
            } else if (r == ':') {
                if (gotColon) {
                    error("unexpected colon ':'");
                    return;
                }
                emit(TokenType.COLON);
                gotColon = true;
            } else if (!scanDurationKeyword()) {
                error("unexpected character: " + GoQuote.quoteRune(r) + ", expected ':'");
            }
        } else {
            error("unexpected character: " + GoQuote.quoteRune(r));
        }
    }

    /** Inside {@code [...]} right after {@code [} or an operator: durations and their arithmetic. */
    private void lexDurationExpr() {
        while (!done) {
            int r = next();
            switch (r) {
                case EOF -> {
                    error("unexpected end of input in duration expression");
                    return;
                }
                case ']' -> {
                    emit(TokenType.RIGHT_BRACKET);
                    bracketOpen = false;
                    gotColon = false;
                    return;
                }
                case ':' -> {
                    emit(TokenType.COLON);
                    if (!gotDuration) errorInsteadOfLast("unexpected colon before duration in duration expression");
                    else if (gotColon) errorInsteadOfLast("unexpected repeated colon in duration expression");
                    gotColon = true;
                }
                case '(' -> {
                    emit(TokenType.LEFT_PAREN);
                    parenDepth++;
                }
                case ')' -> {
                    emit(TokenType.RIGHT_PAREN);
                    if (--parenDepth < 0) errorInsteadOfLast("unexpected right parenthesis ')'");
                }
                case ' ', '\t', '\n', '\r' -> skipSpaces();
                case '+' -> emit(TokenType.ADD);
                case '-' -> emit(TokenType.SUB);
                case '*' -> emit(TokenType.MUL);
                case '/' -> emit(TokenType.DIV);
                case '%' -> emit(TokenType.MOD);
                case '^' -> emit(TokenType.POW);
                case ',' -> emit(TokenType.COMMA);
                default -> {
                    if (isDigit(r) || (r == '.' && isDigit(peek()))) {
                        backup();
                        gotDuration = true;
                        lexNumberOrDuration();
                        return; // back to the statement state, as Prometheus does
                    }
                    if (!isAlpha(r) || !scanDurationKeyword()) {
                        error("unexpected character in duration expression: " + GoQuote.quoteRune(r));
                    }
                }
            }
        }
    }

    /** A word inside brackets: {@code step}, {@code range}, {@code min_of}, {@code max_of}. */
    private boolean scanDurationKeyword() {
        while (isAlpha(peek())) next();
        String word = input.substring(start, pos).toLowerCase(Locale.ROOT);
        TokenType t = switch (word) {
            case "step" -> TokenType.STEP;
            case "range" -> TokenType.RANGE;
            case "min_of", "min" -> TokenType.MIN_OF;
            case "max_of", "max" -> TokenType.MAX_OF;
            default -> null;
        };
        if (t == null) return false;
        emit(t);
        gotDuration = true; // so that [step():range()] lexes like [5m:1m]
        return true;
    }

    private void lexInsideBraces() {
        if (input.startsWith("#", pos)) {
            lexLineComment();
            return;
        }
        int r = next();
        switch (r) {
            case EOF -> error("unexpected end of input inside braces");
            case ' ', '\t', '\n', '\r' -> skipSpaces();
            case ',' -> emit(TokenType.COMMA);
            case '"', '\'' -> lexString(r);
            case '`' -> lexRawString();
            case '=' -> emit(accept("~") ? TokenType.EQL_REGEX : TokenType.EQL);
            case '!' -> {
                int nr = next();
                if (nr == '~') emit(TokenType.NEQ_REGEX);
                else if (nr == '=') emit(TokenType.NEQ);
                else error("unexpected character after '!' inside braces: " + GoQuote.quoteRune(nr));
            }
            case '{' -> error("unexpected left brace '{'");
            case '}' -> {
                emit(TokenType.RIGHT_BRACE);
                braceOpen = false;
            }
            default -> {
                if (isAlpha(r)) {
                    while (isAlphaNumeric(peek())) next();
                    emit(TokenType.IDENTIFIER);
                } else {
                    error("unexpected character inside braces: " + GoQuote.quoteRune(r));
                }
            }
        }
    }

    private void lexLineComment() {
        pos++;
        while (pos < input.length() && input.charAt(pos) != '\n' && input.charAt(pos) != '\r') pos++;
        ignore(); // comments never reach the parser
    }

    private void skipSpaces() {
        while (isSpace(peek())) next();
        ignore();
    }

    private void lexKeywordOrIdentifier() {
        while (isAlphaNumeric(peek()) || peek() == ':') next();
        String word = input.substring(start, pos);
        TokenType kw = TokenType.keyword(word);
        if (kw != null) emit(kw);
        else emit(word.indexOf(':') < 0 ? TokenType.IDENTIFIER : TokenType.METRIC_IDENTIFIER);
    }

    // ---- strings ----------------------------------------------------------------------------

    private void lexString(int quote) {
        while (true) {
            int r = next();
            if (r == '\\') {
                if (!lexEscape(quote)) return;
            } else if (r == 0xFFFD || Character.isSurrogate((char) Math.max(r, 0))) {
                error("invalid UTF-8 rune");
                return;
            } else if (r == EOF || r == '\n') {
                error("unterminated quoted string");
                return;
            } else if (r == quote) {
                emit(TokenType.STRING);
                return;
            }
        }
    }

    /** Validates one escape (the backslash is consumed); false after reporting an error. */
    private boolean lexEscape(int quote) {
        int ch = next();
        int n;
        int base;
        int max;
        switch (ch) {
            case 'a', 'b', 'f', 'n', 'r', 't', 'v', '\\' -> { return true; }
            case '0', '1', '2', '3', '4', '5', '6', '7' -> { n = 3; base = 8; max = 255; }
            case 'x' -> { ch = next(); n = 2; base = 16; max = 255; }
            case 'u' -> { ch = next(); n = 4; base = 16; max = 0x10FFFF; }
            case 'U' -> { ch = next(); n = 8; base = 16; max = 0x10FFFF; }
            case EOF -> {
                error("escape sequence not terminated");
                return false;
            }
            default -> {
                if (ch == quote) return true;
                error("unknown escape sequence " + GoQuote.unicode(ch));
                return false;
            }
        }
        long x = 0;
        while (n > 0) {
            int d = ch == EOF ? 16 : Character.digit(ch, 16);
            if (d < 0 || ch > 'f') d = 16;
            if (d >= base) {
                error(ch == EOF ? "escape sequence not terminated" : "illegal character " + GoQuote.unicode(ch) + " in escape sequence");
                return false;
            }
            x = x * base + d;
            if (--n > 0) ch = next();
        }
        if (x > max || (x >= 0xD800 && x < 0xE000)) {
            error("escape sequence is an invalid Unicode code point");
            return false;
        }
        return true;
    }

    private void lexRawString() {
        while (true) {
            int r = next();
            if (r == 0xFFFD || (r >= 0 && Character.isSurrogate((char) r))) {
                error("invalid UTF-8 rune");
                return;
            } else if (r == EOF) {
                error("unterminated raw string");
                return;
            } else if (r == '`') {
                emit(TokenType.STRING);
                return;
            }
        }
    }

    // ---- numbers and durations --------------------------------------------------------------

    private void lexNumberOrDuration() {
        if (scanNumber()) {
            emit(TokenType.NUMBER);
            return;
        }
        if (acceptRemainingDuration()) {
            backup();
            emit(TokenType.DURATION);
            return;
        }
        error("bad number or duration syntax: " + GoQuote.quote(input.substring(start, Math.min(pos, input.length()))));
    }

    private boolean acceptRemainingDuration() {
        if (!accept("smhdwy")) return false;
        accept("s");
        while (accept("0123456789")) {
            acceptRun("0123456789");
            if (!accept("smhdw")) return false;
            accept("s");
        }
        return !isAlphaNumeric(next());
    }

    /** Prometheus's {@code scanNumber}: decimal, hex, exponents, underscores between digits. */
    private boolean scanNumber() {
        int initial = pos;
        String digits = "0123456789";
        if (accept("0") && accept("xX")) {
            accept("_");
            digits = "0123456789abcdefABCDEF";
        }
        accept(".");
        accept(digits);
        boolean dot = false;
        boolean exp = false;
        while (is(digits + "._eE")) {
            if (is(".") && dot) {
                accept(".");
                return false;
            }
            if (is("eE") && exp) {
                accept("eE");
                return false;
            }
            if (accept(".")) {
                dot = true;
                if (accept("_.")) return false;
                if (digits.length() > 10) return false;
                continue;
            }
            if (accept("eE")) {
                exp = true;
                accept("+-");
                if (accept("._eE") || peek() == EOF) return false;
                continue;
            }
            if (accept("_")) {
                if (accept("._eE") || peek() == EOF) return false;
                continue;
            }
            acceptRun(digits);
        }
        if (pos == initial) return false;
        return !isAlphaNumeric(peek());
    }

    static boolean isSpace(int r) { return r == ' ' || r == '\t' || r == '\n' || r == '\r'; }

    static boolean isDigit(int r) { return r >= '0' && r <= '9'; }

    static boolean isAlpha(int r) { return r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'); }

    static boolean isAlphaNumeric(int r) { return isAlpha(r) || isDigit(r); }
}
