package io.pyrometer.promql.parser;

import io.pyrometer.model.LabelMatcher;
import io.pyrometer.promql.ast.AggOp;
import io.pyrometer.promql.ast.AggregateExpr;
import io.pyrometer.promql.ast.BinOp;
import io.pyrometer.promql.ast.BinaryExpr;
import io.pyrometer.promql.ast.Call;
import io.pyrometer.promql.ast.Expr;
import io.pyrometer.promql.ast.Function;
import io.pyrometer.promql.ast.Functions;
import io.pyrometer.promql.ast.NumberLiteral;
import io.pyrometer.promql.ast.ParenExpr;
import io.pyrometer.promql.ast.PosRange;
import io.pyrometer.promql.ast.StringLiteral;
import io.pyrometer.promql.ast.UnaryExpr;
import io.pyrometer.promql.ast.ValueType;
import io.pyrometer.promql.ast.VectorMatching;
import io.pyrometer.promql.ast.VectorSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A hand-written recursive-descent parser for PromQL that accepts what Prometheus 3 accepts and
 * rejects the rest with Prometheus's messages ({@code 1:8: parse error: unexpected end of input}).
 *
 * <pre>{@code
 * Expr e = Parser.parseExpr("sum by (job) (rate(http_requests_total[5m]))", ParserOptions.DEFAULT);
 * List<LabelMatcher> m = Parser.parseMetricSelector("up{job=\"node\"}");
 * }</pre>
 *
 * <p>Binary operators are parsed by precedence climbing; the selector suffixes ({@code [..]},
 * {@code offset}, {@code @}) bind tighter than any operator. Problems that do not stop parsing
 * (a bad regex, an offset on a function call) are collected and the first one is reported, as
 * Prometheus does; type checking ({@link Checker}) runs only on a syntactically valid query.
 */
public final class Parser {
    /**
     * Trees deeper than this (parentheses, calls, operator chains, suffix chains) are rejected, so
     * that no later recursive walk (type checking, printing, evaluation) can exhaust the stack.
     */
    static final int MAX_DEPTH = 1000;

    final String query;
    final ParserOptions opts;
    private final List<Token> tokens;
    private final List<ParseError> errors = new ArrayList<>();
    private int idx;
    private int depth;

    private Parser(String query, ParserOptions opts) {
        this.query = query;
        this.opts = opts;
        List<Token> lexed;
        try {
            lexed = Lexer.lex(query);
        } catch (RuntimeException bug) {
            errors.add(internalError(bug));
            lexed = List.of(new Token(TokenType.EOF, 0, ""));
        }
        this.tokens = lexed;
    }

    /** Parses with the default options (no experimental features). */
    public static Expr parseExpr(String query) { return parseExpr(query, ParserOptions.DEFAULT); }

    /**
     * Parses and type-checks a query.
     *
     * @throws ParseException for any invalid input (and never anything else)
     */
    public static Expr parseExpr(String query, ParserOptions opts) {
        Parser p = new Parser(query, opts);
        if (!p.errors.isEmpty()) throw p.firstError();
        Expr e = p.guarded(() -> {
            if (p.peek().type() == TokenType.EOF) {
                p.errors.add(new ParseError(new PosRange(0, 0), "no expression found in input"));
                throw Abort.INSTANCE;
            }
            Expr parsed = p.expr(0);
            if (p.peek().type() != TokenType.EOF) p.unexpected("", "");
            return parsed;
        });
        if (p.errors.isEmpty()) {
            Checker checker = new Checker(query, p.errors);
            Expr checked = p.guarded(() -> checker.check(e));
            if (p.errors.isEmpty()) return checked;
        }
        throw p.firstError();
    }

    /**
     * Parses a series selector such as {@code up{job="node"}} as used by {@code match[]}. The
     * metric-name matcher, when the name is written before the braces, comes last.
     *
     * @throws ParseException for any invalid input
     */
    public static List<LabelMatcher> parseMetricSelector(String input) {
        Parser p = new Parser(input, ParserOptions.DEFAULT);
        if (!p.errors.isEmpty()) throw p.firstError();
        VectorSelector vs = p.guarded(() -> {
            Token t = p.peek();
            if (t.type() != TokenType.LEFT_BRACE && !p.isMetricIdentifier(t)) p.unexpected("", "");
            VectorSelector s = p.selector(t.type() == TokenType.LEFT_BRACE ? null : t);
            if (p.peek().type() != TokenType.EOF) p.unexpected("", "");
            return s;
        });
        if (p.errors.isEmpty()) return vs.matchers();
        throw p.firstError();
    }

    private <T> T guarded(Supplier<T> body) {
        try {
            return body.get();
        } catch (Abort a) {
            return null;
        } catch (StackOverflowError e) {
            errors.add(new ParseError(new PosRange(0, 0), "expression nesting too deep (more than " + MAX_DEPTH + " levels)"));
            return null;
        } catch (RuntimeException bug) {
            errors.add(internalError(bug));
            return null;
        }
    }

    /**
     * A bug in this parser still ends as a {@link ParseException}, never as another exception
     * reaching the API; the message asks for a report (the fuzz test fails on it).
     */
    private static ParseError internalError(RuntimeException bug) {
        return new ParseError(new PosRange(0, 0), INTERNAL_ERROR + bug);
    }

    static final String INTERNAL_ERROR = "internal parser error, please report this query: ";

    private ParseException firstError() {
        ParseError e = errors.getFirst();
        return new ParseException(query, e.pos(), e.message());
    }

    // ---- token access ------------------------------------------------------------------------

    Token peek() { return tokens.get(idx); }

    Token peekAt(int k) { return tokens.get(Math.min(idx + k, tokens.size() - 1)); }

    Token next() {
        Token t = tokens.get(idx);
        if (idx < tokens.size() - 1) idx++;
        return t;
    }

    /** Consumes a token of type {@code type} or fails with "unexpected X in context, expected Y". */
    Token expect(TokenType type, String context, String expected) {
        if (peek().type() != type) unexpected(context, expected);
        return next();
    }

    /** Records an error that does not stop parsing. */
    void softError(PosRange pos, String message) { errors.add(new ParseError(pos, message)); }

    /** Reports the current token as unexpected (or the lexer's error) and stops parsing. */
    RuntimeException unexpected(String context, String expected) {
        Token t = peek();
        if (t.type() == TokenType.ERROR) {
            errors.add(new ParseError(new PosRange(t.pos(), query.length()), t.val()));
            throw Abort.INSTANCE;
        }
        StringBuilder msg = new StringBuilder("unexpected ").append(t.desc());
        if (!context.isEmpty()) msg.append(" in ").append(context);
        if (!expected.isEmpty()) msg.append(", expected ").append(expected);
        errors.add(new ParseError(t.range(), msg.toString()));
        throw Abort.INSTANCE;
    }

    /** One level deeper in the tree being built; fails past {@link #MAX_DEPTH}. */
    void enter() {
        if (++depth > MAX_DEPTH) {
            errors.add(new ParseError(peek().range(), "expression nesting too deep (more than " + MAX_DEPTH + " levels)"));
            throw Abort.INSTANCE;
        }
    }

    int depth() { return depth; }

    void restoreDepth(int saved) { depth = saved; }

    // ---- expressions -------------------------------------------------------------------------

    /** Precedence climbing over binary operators of precedence at least {@code minPrec}. */
    Expr expr(int minPrec) {
        int saved = depth;
        enter();
        Expr lhs = unary();
        while (true) {
            BinOp op = binOp(peek().type());
            if (op == null || op.precedence() < minPrec) break;
            enter(); // each operator in a chain nests the tree one level deeper
            next();
            BinaryModifiers m = BinaryModifiers.parse(this);
            Expr rhs = expr(op.rightAssociative() ? op.precedence() : op.precedence() + 1);
            lhs = new BinaryExpr(op, lhs, rhs, m.matching(), m.returnBool());
        }
        restoreDepth(saved);
        return lhs;
    }

    /** Unary {@code -}/{@code +} binds weaker than {@code ^} but tighter than {@code *}. */
    private Expr unary() {
        Token t = peek();
        if (t.type() != TokenType.ADD && t.type() != TokenType.SUB) return Suffixes.parse(this, primary());
        next();
        Expr operand = expr(BinOp.POW.precedence());
        boolean minus = t.type() == TokenType.SUB;
        if (operand instanceof NumberLiteral n) {
            return new NumberLiteral(minus ? -n.value() : n.value(), n.duration(), new PosRange(t.pos(), n.pos().end()));
        }
        return new UnaryExpr(minus ? '-' : '+', operand, new PosRange(t.pos(), operand.pos().end()));
    }

    private Expr primary() {
        Token t = peek();
        return switch (t.type()) {
            case NUMBER -> {
                next();
                yield new NumberLiteral(number(t), false, t.range());
            }
            case DURATION -> {
                next();
                yield new NumberLiteral(durationSeconds(t), true, t.range());
            }
            case STRING -> {
                next();
                yield new StringLiteral(unquote(t), t.range());
            }
            case LEFT_PAREN -> {
                next();
                Expr inner = expr(0);
                Token close = expect(TokenType.RIGHT_PAREN, "", "");
                yield new ParenExpr(inner, new PosRange(t.pos(), close.end()));
            }
            case LEFT_BRACE -> selector(null);
            case IDENTIFIER -> {
                if (peekAt(1).type() != TokenType.LEFT_PAREN) yield selector(t);
                yield Suffixes.isScalarDurationCall(t) ? Suffixes.scalarDurationCall(this) : call();
            }
            case STEP, START, END -> peekAt(1).type() == TokenType.LEFT_PAREN ? Suffixes.scalarDurationCall(this) : selector(t);
            default -> {
                if (t.type().isAggregator() && isAggregationStart(peekAt(1).type())) yield aggregate();
                if (isMetricIdentifier(t)) yield selector(t);
                throw unexpected("", "");
            }
        };
    }

    private static boolean isAggregationStart(TokenType next) {
        return next == TokenType.LEFT_PAREN || next == TokenType.BY || next == TokenType.WITHOUT;
    }

    /** Tokens Prometheus accepts as a metric name (its {@code metric_identifier} rule). */
    boolean isMetricIdentifier(Token t) {
        return switch (t.type()) {
            case IDENTIFIER, METRIC_IDENTIFIER, LAND, LOR, LUNLESS, BY, WITHOUT, OFFSET, START, END, STEP,
                 ANCHORED, SMOOTHED -> true;
            default -> t.type().isAggregator();
        };
    }

    /** Tokens Prometheus accepts as a label name in groupings (its {@code maybe_label} rule). */
    static boolean isMaybeLabel(Token t) {
        return switch (t.type()) {
            case IDENTIFIER, METRIC_IDENTIFIER, LAND, LOR, LUNLESS, ATAN2 -> true;
            default -> t.type().isAggregator() || (t.type().isKeyword() && t.type() != TokenType.RANGE
                    && t.type() != TokenType.MIN_OF && t.type() != TokenType.MAX_OF);
        };
    }

    static BinOp binOp(TokenType t) {
        return switch (t) {
            case ADD -> BinOp.ADD;
            case SUB -> BinOp.SUB;
            case MUL -> BinOp.MUL;
            case DIV -> BinOp.DIV;
            case MOD -> BinOp.MOD;
            case POW -> BinOp.POW;
            case ATAN2 -> BinOp.ATAN2;
            case EQLC -> BinOp.EQLC;
            case NEQ -> BinOp.NEQ;
            case GTR -> BinOp.GTR;
            case LSS -> BinOp.LSS;
            case GTE -> BinOp.GTE;
            case LTE -> BinOp.LTE;
            case LAND -> BinOp.LAND;
            case LOR -> BinOp.LOR;
            case LUNLESS -> BinOp.LUNLESS;
            case TRIM_UPPER -> BinOp.TRIM_UPPER;
            case TRIM_LOWER -> BinOp.TRIM_LOWER;
            default -> null;
        };
    }

    // ---- selectors ---------------------------------------------------------------------------

    /** {@code name}, {@code name{...}} or {@code {...}}; {@code nameTok} is null for the last. */
    VectorSelector selector(Token nameTok) {
        String name = null;
        int start = peek().pos();
        int end = peek().end();
        if (nameTok != null) {
            next();
            name = nameTok.val();
        }
        List<LabelMatcher> matchers = new ArrayList<>();
        if (peek().type() == TokenType.LEFT_BRACE) {
            labelMatchers(matchers); // a quoted name inside the braces is only a matcher, as in Prometheus
            end = tokens.get(idx - 1).end();
        }
        if (nameTok != null) matchers.add(LabelMatcher.eq("__name__", name));
        return new VectorSelector(name, matchers, 0, null, null, new PosRange(start, end));
    }

    /** Parses {@code {a="b", "c"=~"d", "metric.name"}} into {@code out}. */
    private void labelMatchers(List<LabelMatcher> out) {
        next(); // {
        while (true) {
            Token t = peek();
            if (t.type() == TokenType.RIGHT_BRACE) {
                next();
                return;
            }
            if (t.type() == TokenType.IDENTIFIER || t.type() == TokenType.STRING) {
                next();
                String label = t.type() == TokenType.STRING ? unquote(t) : t.val();
                LabelMatcher.Type type = matchType(peek().type());
                if (type == null && t.type() == TokenType.STRING) {
                    out.add(LabelMatcher.eq("__name__", label));
                } else if (type == null) {
                    throw unexpected("label matching", "label matching operator");
                } else {
                    next();
                    Token value = expect(TokenType.STRING, "label matching", "string");
                    LabelMatcher m = newMatcher(type, label, unquote(value), new PosRange(t.pos(), value.end()));
                    if (m != null) out.add(m);
                }
            } else {
                throw unexpected("label matching", "identifier or \"}\"");
            }
            Token sep = peek();
            if (sep.type() == TokenType.COMMA) {
                next();
            } else if (sep.type() != TokenType.RIGHT_BRACE) {
                throw unexpected("label matching", "\",\" or \"}\"");
            }
        }
    }

    private static LabelMatcher.Type matchType(TokenType t) {
        return switch (t) {
            case EQL -> LabelMatcher.Type.EQ;
            case NEQ -> LabelMatcher.Type.NEQ;
            case EQL_REGEX -> LabelMatcher.Type.RE;
            case NEQ_REGEX -> LabelMatcher.Type.NRE;
            default -> null;
        };
    }

    private LabelMatcher newMatcher(LabelMatcher.Type type, String name, String value, PosRange pos) {
        try {
            return LabelMatcher.of(type, name, value);
        } catch (IllegalArgumentException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            softError(pos, cause.getMessage());
            return null;
        } catch (RuntimeException e) {
            softError(pos, "error parsing regexp: " + e.getMessage());
            return null;
        }
    }

    // ---- calls and aggregations --------------------------------------------------------------

    private Expr call() {
        Token nameTok = next();
        List<Expr> args = new ArrayList<>();
        Token close = callArgs(args);
        Function f = Functions.get(nameTok.val());
        if (f == null) {
            softError(nameTok.range(), "unknown function with name " + GoQuote.quote(nameTok.val()));
            f = new Function(nameTok.val(), List.of(), -1, ValueType.VECTOR, false);
        } else if (f.experimental() && !opts.enableExperimental()) {
            softError(nameTok.range(), "function " + GoQuote.quote(f.name()) + " is not enabled");
        }
        return new Call(f, args, new PosRange(nameTok.pos(), close.end()));
    }

    /** {@code ( [expr {, expr}] )}; returns the closing parenthesis. */
    private Token callArgs(List<Expr> args) {
        expect(TokenType.LEFT_PAREN, "", "");
        if (peek().type() == TokenType.RIGHT_PAREN) return next();
        while (true) {
            args.add(expr(0));
            Token t = peek();
            if (t.type() == TokenType.RIGHT_PAREN) return next();
            if (t.type() != TokenType.COMMA) throw unexpected("", "");
            next();
            if (peek().type() == TokenType.RIGHT_PAREN) {
                softError(t.range(), "trailing commas not allowed in function call args");
                return next();
            }
        }
    }

    private Expr aggregate() {
        Token opTok = next();
        AggOp op = AggOp.byName(opTok.val());
        List<String> grouping = List.of();
        boolean without = false;
        boolean modifier = false;
        if (peek().type() == TokenType.BY || peek().type() == TokenType.WITHOUT) {
            without = next().type() == TokenType.WITHOUT;
            grouping = groupingLabels();
            modifier = true;
        }
        if (peek().type() != TokenType.LEFT_PAREN) throw unexpected("aggregation", "");
        List<Expr> args = new ArrayList<>();
        Token close = callArgs(args);
        if (!modifier && (peek().type() == TokenType.BY || peek().type() == TokenType.WITHOUT)) {
            without = next().type() == TokenType.WITHOUT;
            grouping = groupingLabels();
            close = tokens.get(idx - 1);
        }
        PosRange pos = new PosRange(opTok.pos(), close.end());
        return newAggregate(op, args, grouping, without, pos);
    }

    private Expr newAggregate(AggOp op, List<Expr> args, List<String> grouping, boolean without, PosRange pos) {
        Expr dummy = new NumberLiteral(0, false, pos);
        if (args.isEmpty()) {
            softError(pos, "no arguments for aggregate expression provided");
            return new AggregateExpr(op, dummy, null, grouping, without, pos);
        }
        int desired = 1;
        Expr param = null;
        if (op.hasParam()) {
            if (op.experimental() && !opts.enableExperimental()) {
                softError(pos, op.text() + "() is experimental and must be enabled with --enable-feature=promql-experimental-functions");
                return new AggregateExpr(op, dummy, null, grouping, without, pos);
            }
            desired = 2;
            param = args.getFirst();
        }
        if (args.size() != desired) {
            softError(pos, "wrong number of arguments for aggregate expression provided, expected " + desired + ", got " + args.size());
            return new AggregateExpr(op, dummy, param, grouping, without, pos);
        }
        return new AggregateExpr(op, args.get(desired - 1), param, grouping, without, pos);
    }

    /** {@code ( [label {, label} [,]] )} after {@code by}, {@code on}, {@code group_left}, ... */
    List<String> groupingLabels() {
        if (peek().type() != TokenType.LEFT_PAREN) throw unexpected("grouping opts", "\"(\"");
        next();
        List<String> labels = new ArrayList<>();
        while (true) {
            Token t = peek();
            if (t.type() == TokenType.RIGHT_PAREN) {
                next();
                return labels;
            }
            if (isMaybeLabel(t)) {
                next();
                labels.add(t.val());
            } else if (t.type() == TokenType.STRING) {
                next();
                String label = unquote(t);
                if (!isValidLabelName(label)) {
                    softError(t.range(), "invalid label name for grouping: " + GoQuote.quote(label));
                }
                labels.add(label);
            } else {
                throw unexpected("grouping opts", "label");
            }
            Token sep = peek();
            if (sep.type() == TokenType.COMMA) {
                next();
            } else if (sep.type() != TokenType.RIGHT_PAREN) {
                throw unexpected("grouping opts", "\",\" or \")\"");
            }
        }
    }

    /** Prometheus 3 accepts any non-empty, valid UTF-8 label name. */
    static boolean isValidLabelName(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                if (!Character.isHighSurrogate(s.charAt(i)) || i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }

    // ---- literals ----------------------------------------------------------------------------

    double number(Token t) {
        try {
            return Literals.parseNumber(t.val());
        } catch (IllegalArgumentException e) {
            softError(t.range(), "error parsing number: " + e.getMessage());
            return 0;
        }
    }

    /** A duration token in seconds. */
    double durationSeconds(Token t) {
        try {
            return Literals.parseDurationMs(t.val()) / 1000.0;
        } catch (IllegalArgumentException e) {
            softError(t.range(), e.getMessage());
            return 0;
        }
    }

    String unquote(Token t) {
        try {
            return GoQuote.unquote(t.val());
        } catch (IllegalArgumentException e) {
            softError(t.range(), "error unquoting string " + GoQuote.quote(t.val()) + ": " + e.getMessage());
            return "";
        }
    }

    /** Thrown after recording a syntax error, to unwind to the entry point. */
    static final class Abort extends RuntimeException {
        static final Abort INSTANCE = new Abort();

        private Abort() { super(null, null, false, false); }
    }

    /** Reads the modifiers after a binary operator: {@code bool}, {@code on/ignoring}, {@code group_x}, {@code fill}. */
    record BinaryModifiers(VectorMatching matching, boolean returnBool) {
        static BinaryModifiers parse(Parser p) {
            boolean returnBool = false;
            if (p.peek().type() == TokenType.BOOL) {
                p.next();
                returnBool = true;
            }
            boolean on = false;
            List<String> labels = List.of();
            List<String> include = List.of();
            VectorMatching.Card card = VectorMatching.Card.ONE_TO_ONE;
            TokenType t = p.peek().type();
            if (t == TokenType.ON || t == TokenType.IGNORING) {
                p.next();
                on = t == TokenType.ON;
                labels = p.groupingLabels();
                TokenType g = p.peek().type();
                if (g == TokenType.GROUP_LEFT || g == TokenType.GROUP_RIGHT) {
                    p.next();
                    card = g == TokenType.GROUP_LEFT ? VectorMatching.Card.MANY_TO_ONE : VectorMatching.Card.ONE_TO_MANY;
                    if (p.peek().type() == TokenType.LEFT_PAREN) include = p.groupingLabels();
                }
            }
            VectorMatching.FillValues fill = FillModifier.parse(p);
            return new BinaryModifiers(new VectorMatching(card, labels, on, include, fill), returnBool);
        }
    }
}
