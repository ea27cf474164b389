package io.pyrometer.promql.parser;

import io.pyrometer.promql.ast.AtModifier;
import io.pyrometer.promql.ast.DurationExpr;
import io.pyrometer.promql.ast.DurationExprs;
import io.pyrometer.promql.ast.Expr;
import io.pyrometer.promql.ast.MatrixSelector;
import io.pyrometer.promql.ast.NumberLiteral;
import io.pyrometer.promql.ast.PosRange;
import io.pyrometer.promql.ast.SubqueryExpr;
import io.pyrometer.promql.ast.VectorSelector;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * The suffixes that follow a primary expression and bind tighter than any operator: ranges
 * {@code [5m]}, subqueries {@code [1h:1m]}, {@code offset}, {@code @} and the experimental
 * {@code anchored}/{@code smoothed}; plus the duration expressions they take.
 */
final class Suffixes {
    private static final String RANGE_CONTEXT = "subquery or range selector";
    private static final String DURATION_EXPECTED = "number, duration, step(), or range()";
    private static final String AT_TARGETS =
            "must be preceded by an instant vector selector or range vector selector or a subquery";
    /** Durations beyond this many seconds overflow Prometheus's nanosecond {@code time.Duration}. */
    private static final double MAX_DURATION_SECONDS = 9.223372036854775807e9;

    private final Parser p;
    /** Where the duration being parsed is, for "unexpected ... in <context>" messages. */
    private String context = RANGE_CONTEXT;

    private Suffixes(Parser p) { this.p = p; }

    static Expr parse(Parser p, Expr e) {
        Suffixes s = new Suffixes(p);
        int saved = p.depth();
        while (true) {
            switch (p.peek().type()) {
                case LEFT_BRACKET -> {
                    p.enter(); // a subquery nests the tree one level deeper
                    e = s.rangeOrSubquery(e);
                }
                case OFFSET -> e = s.offset(e);
                case AT -> e = s.at(e);
                case ANCHORED, SMOOTHED -> e = s.extendedRange(e);
                default -> {
                    p.restoreDepth(saved);
                    return e;
                }
            }
        }
    }

    // ---- [range] and [range:step] ------------------------------------------------------------

    private Expr rangeOrSubquery(Expr e) {
        Token lb = p.next();
        context = RANGE_CONTEXT;
        Expr range = durationExpr(0);
        if (p.peek().type() == TokenType.COLON) {
            p.next();
            Expr step = null;
            if (p.peek().type() != TokenType.RIGHT_BRACKET) step = durationExpr(0);
            Token rb = p.expect(TokenType.RIGHT_BRACKET, RANGE_CONTEXT, "\"]\"");
            Duration r = duration(range, false);
            Duration s = step == null ? new Duration(0, null) : duration(step, false);
            return new SubqueryExpr(e, r.ms, r.expr, s.ms, s.expr, 0, null, null, new PosRange(e.pos().start(), rb.end()));
        }
        Token rb = p.expect(TokenType.RIGHT_BRACKET, RANGE_CONTEXT, "\":\" or \"]\"");
        Duration r = duration(range, false);
        PosRange errPos = new PosRange(lb.pos(), rb.end());
        if (!(e instanceof VectorSelector vs)) {
            p.softError(errPos, "ranges only allowed for vector selectors");
            return e;
        }
        if (vs.offsetMs() != 0 || vs.offsetExpr() != null) {
            p.softError(errPos, "no offset modifiers allowed before range");
        } else if (vs.at() != null) {
            p.softError(errPos, "no @ modifiers allowed before range");
        }
        return new MatrixSelector(vs, r.ms, r.expr, false, false, new PosRange(vs.pos().start(), rb.end()));
    }

    /** A duration's value in ms and, when it was an expression rather than a literal, the expression. */
    private record Duration(long ms, DurationExpr expr) {}

    /**
     * Turns a parsed duration into milliseconds: literals directly, expressions (experimental)
     * by evaluating them now unless they use {@code step()} or {@code range()}.
     */
    private Duration duration(Expr d, boolean allowNegative) {
        if (d instanceof NumberLiteral n) {
            return new Duration(literalMs(n, allowNegative), null);
        }
        DurationExpr de = (DurationExpr) d;
        if (!p.opts.enableExperimental()) {
            p.softError(d.pos(), "experimental duration expression is not enabled");
            return new Duration(0, de);
        }
        if (!checkDivisors(de)) return new Duration(0, de);
        if (DurationExprs.dependsOnQuery(de)) return new Duration(0, de);
        try {
            return new Duration(DurationExprs.evalMs(de, 0, 0, allowNegative), de);
        } catch (IllegalArgumentException e) {
            p.softError(d.pos(), e.getMessage());
            return new Duration(0, de);
        }
    }

    /** Reports a division or modulo by a constant zero, at the operator as Prometheus does. */
    private boolean checkDivisors(Expr e) {
        if (!(e instanceof DurationExpr d)) return true;
        boolean ok = (d.lhs() == null || checkDivisors(d.lhs())) && (d.rhs() == null || checkDivisors(d.rhs()));
        if (!ok || (d.op() != DurationExpr.Op.DIV && d.op() != DurationExpr.Op.MOD)) return ok;
        if (DurationExprs.dependsOnQuery(d.rhs()) || DurationExprs.evalSeconds(d.rhs(), 0, 0) != 0) return true;
        int opStart = d.lhs().pos().end();
        while (opStart < p.query.length() && Lexer.isSpace(p.query.charAt(opStart))) opStart++;
        p.softError(new PosRange(opStart, opStart + 1), d.op() == DurationExpr.Op.DIV ? "division by zero" : "modulo by zero");
        return false;
    }

    private long literalMs(NumberLiteral n, boolean allowNegative) {
        double v = n.value();
        if (Double.isNaN(v) || Math.abs(v) >= MAX_DURATION_SECONDS) {
            p.softError(n.pos(), "duration out of range");
            return 0;
        }
        long ms = Math.round(v * 1000);
        if (!allowNegative && ms <= 0) p.softError(n.pos(), "duration must be greater than 0");
        return ms;
    }

    // ---- offset ------------------------------------------------------------------------------

    private Expr offset(Expr e) {
        p.next();
        Expr d = offsetOperand();
        Duration off = duration(d, true);
        int end = d.pos().end();
        switch (e) {
            case VectorSelector vs -> {
                if (hasOffset(vs)) return multipleOffsets(e);
                return withPos(vs.withOffset(off.ms, off.expr), end);
            }
            case MatrixSelector ms -> {
                if (hasOffset(ms.vs())) return multipleOffsets(e);
                VectorSelector vs = ms.vs().withOffset(off.ms, off.expr);
                return new MatrixSelector(vs, ms.rangeMs(), ms.rangeExpr(), ms.anchored(), ms.smoothed(),
                        new PosRange(ms.pos().start(), end));
            }
            case SubqueryExpr sq -> {
                if (sq.offsetMs() != 0 || sq.offsetExpr() != null) return multipleOffsets(e);
                SubqueryExpr r = sq.withOffset(off.ms, off.expr);
                return new SubqueryExpr(r.expr(), r.rangeMs(), r.rangeExpr(), r.stepMs(), r.stepExpr(), r.offsetMs(),
                        r.offsetExpr(), r.at(), new PosRange(sq.pos().start(), end));
            }
            default -> {
                p.softError(e.pos(), "offset modifier " + AT_TARGETS);
                return e;
            }
        }
    }

    private static boolean hasOffset(VectorSelector vs) { return vs.offsetMs() != 0 || vs.offsetExpr() != null; }

    private Expr multipleOffsets(Expr e) {
        p.softError(e.pos(), "offset may not be set multiple times");
        return e;
    }

    private static VectorSelector withPos(VectorSelector vs, int end) {
        return vs.withPos(new PosRange(vs.pos().start(), end));
    }

    /** After {@code offset}: a signed literal, or (experimental) a parenthesised or function duration. */
    private Expr offsetOperand() {
        context = "offset";
        Token sign = p.peek();
        boolean signed = sign.type() == TokenType.ADD || sign.type() == TokenType.SUB;
        Token t = signed ? p.peekAt(1) : sign;
        boolean atom = switch (t.type()) {
            case NUMBER, DURATION, LEFT_PAREN, STEP, RANGE, MIN_OF, MAX_OF -> true;
            case IDENTIFIER, MIN, MAX -> isDurationFunction(t) && p.peekAt(signed ? 2 : 1).type() == TokenType.LEFT_PAREN;
            default -> false;
        };
        if (!atom) {
            if (signed) p.next();
            p.unexpected("offset", DURATION_EXPECTED);
        }
        if (signed) p.next();
        Expr operand = durationPrimary();
        return signed ? negate(sign, operand) : operand;
    }

    // ---- @ -----------------------------------------------------------------------------------

    private Expr at(Expr e) {
        p.next();
        AtModifier at;
        int end;
        Token t = p.peek();
        if (t.type() == TokenType.START || t.type() == TokenType.END) {
            p.next();
            p.expect(TokenType.LEFT_PAREN, "@", "\"(\"");
            end = p.expect(TokenType.RIGHT_PAREN, "@", "\")\"").end();
            at = t.type() == TokenType.START ? AtModifier.START : AtModifier.END;
        } else {
            boolean neg = false;
            if (t.type() == TokenType.ADD || t.type() == TokenType.SUB) {
                neg = t.type() == TokenType.SUB;
                TokenType n = p.peekAt(1).type();
                if (n == TokenType.NUMBER || n == TokenType.DURATION) p.next();
            }
            Token num = p.peek();
            if (num.type() != TokenType.NUMBER && num.type() != TokenType.DURATION) p.unexpected("@", "timestamp");
            p.next();
            double ts = num.type() == TokenType.NUMBER ? p.number(num) : p.durationSeconds(num);
            if (neg) ts = -ts;
            end = num.end();
            at = AtModifier.at(timestampMs(e, ts));
        }
        return applyAt(e, at, end);
    }

    private long timestampMs(Expr e, double ts) {
        double ms = ts * 1000;
        if (Double.isNaN(ts) || Double.isInfinite(ts) || ts >= 9.223372036854775807e18 || ts <= -9.223372036854775807e18
                || Math.abs(ms) >= 9.223372036854775807e18) {
            p.softError(e.pos(), "timestamp out of bounds for @ modifier: " + goFloatF(ts));
            return 0;
        }
        return Math.round(ms);
    }

    /** Go's {@code %f}: six decimals, {@code +Inf}, {@code -Inf}, {@code NaN}. */
    private static String goFloatF(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        return new BigDecimal(v).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
    }

    private Expr applyAt(Expr e, AtModifier at, int end) {
        switch (e) {
            case VectorSelector vs -> {
                if (vs.at() != null) return multipleAts(e);
                return withPos(vs.withAt(at), end);
            }
            case MatrixSelector ms -> {
                if (ms.vs().at() != null) return multipleAts(e);
                return new MatrixSelector(ms.vs().withAt(at), ms.rangeMs(), ms.rangeExpr(), ms.anchored(), ms.smoothed(),
                        new PosRange(ms.pos().start(), end));
            }
            case SubqueryExpr sq -> {
                if (sq.at() != null) return multipleAts(e);
                SubqueryExpr r = sq.withAt(at);
                return new SubqueryExpr(r.expr(), r.rangeMs(), r.rangeExpr(), r.stepMs(), r.stepExpr(), r.offsetMs(),
                        r.offsetExpr(), r.at(), new PosRange(sq.pos().start(), end));
            }
            default -> {
                p.softError(e.pos(), "@ modifier " + AT_TARGETS);
                return e;
            }
        }
    }

    private Expr multipleAts(Expr e) {
        p.softError(e.pos(), "@ <timestamp> may not be set multiple times");
        return e;
    }

    // ---- anchored / smoothed -----------------------------------------------------------------

    /** {@code anchored} / {@code smoothed} after a range selector, or after an instant selector. */
    private Expr extendedRange(Expr e) {
        Token t = p.next();
        boolean isAnchored = t.type() == TokenType.ANCHORED;
        String name = isAnchored ? "anchored" : "smoothed";
        if (!p.opts.enableExperimental()) {
            p.softError(t.range(), name + " modifier is experimental and not enabled");
            return e;
        }
        switch (e) {
            case MatrixSelector ms -> {
                if (ms.anchored() || ms.smoothed()) return bothModifiers(t, e);
                return new MatrixSelector(ms.vs(), ms.rangeMs(), ms.rangeExpr(), isAnchored, !isAnchored,
                        new PosRange(ms.pos().start(), t.end()));
            }
            case VectorSelector vs -> {
                if (vs.anchored() || vs.smoothed()) return bothModifiers(t, e);
                return new VectorSelector(vs.name(), vs.matchers(), vs.offsetMs(), vs.offsetExpr(), vs.at(), isAnchored,
                        !isAnchored, new PosRange(vs.pos().start(), t.end()));
            }
            default -> {
                p.softError(e.pos(), name + " modifier must be preceded by an instant vector selector or range vector selector");
                return e;
            }
        }
    }

    private Expr bothModifiers(Token t, Expr e) {
        p.softError(t.range(), "anchored and smoothed modifiers cannot be used together");
        return e;
    }

    // ---- duration expressions ----------------------------------------------------------------

    /** Whether {@code t} (followed by "(") is {@code range(}, {@code min_of(} or {@code max_of(} in an expression. */
    static boolean isScalarDurationCall(Token t) {
        DurationExpr.Op op = durationFunction(t);
        return op == DurationExpr.Op.RANGE || op == DurationExpr.Op.MIN_OF || op == DurationExpr.Op.MAX_OF;
    }

    /**
     * {@code step()}, {@code range()}, {@code start()}, {@code end()}, {@code min_of(a, b)} and
     * {@code max_of(a, b)} standing as scalar expressions (experimental): {@code vector(step())}.
     */
    static Expr scalarDurationCall(Parser p) {
        Suffixes s = new Suffixes(p);
        s.context = "duration expression";
        Token t = p.peek();
        Expr e;
        if (t.type() == TokenType.START || t.type() == TokenType.END) {
            p.next();
            p.expect(TokenType.LEFT_PAREN, s.context, "\"(\"");
            Token close = p.expect(TokenType.RIGHT_PAREN, s.context, "\")\"");
            DurationExpr.Op op = t.type() == TokenType.START ? DurationExpr.Op.START : DurationExpr.Op.END;
            e = new DurationExpr(op, null, null, false, new PosRange(t.pos(), close.end()));
        } else {
            e = s.durationCall(durationFunction(t));
        }
        if (!p.opts.enableExperimental()) p.softError(e.pos(), "experimental duration expression is not enabled");
        else s.checkDivisors(e);
        return e;
    }

    private static boolean isDurationFunction(Token t) { return durationFunction(t) != null; }

    /** Arithmetic on durations with PromQL's precedences; {@code ^} is right-associative. */
    private Expr durationExpr(int minPrec) {
        int saved = p.depth();
        p.enter();
        Expr lhs;
        Token t = p.peek();
        if (t.type() == TokenType.ADD || t.type() == TokenType.SUB) {
            p.next();
            lhs = negate(t, durationExpr(6));
        } else {
            lhs = durationPrimary();
        }
        while (true) {
            DurationExpr.Op op = durationOp(p.peek().type());
            int prec = op == null ? -1 : precedence(op);
            if (op == null || prec < minPrec) {
                p.restoreDepth(saved);
                return lhs;
            }
            p.enter();
            p.next();
            Expr rhs = durationExpr(op == DurationExpr.Op.POW ? prec : prec + 1);
            lhs = new DurationExpr(op, lhs, rhs, false, PosRange.merge(lhs.pos(), rhs.pos()));
        }
    }

    private static DurationExpr.Op durationOp(TokenType t) {
        return switch (t) {
            case ADD -> DurationExpr.Op.ADD;
            case SUB -> DurationExpr.Op.SUB;
            case MUL -> DurationExpr.Op.MUL;
            case DIV -> DurationExpr.Op.DIV;
            case MOD -> DurationExpr.Op.MOD;
            case POW -> DurationExpr.Op.POW;
            default -> null;
        };
    }

    private static int precedence(DurationExpr.Op op) {
        return switch (op) {
            case ADD, SUB -> 4;
            case MUL, DIV, MOD -> 5;
            default -> 6;
        };
    }

    private static Expr negate(Token sign, Expr operand) {
        PosRange pos = new PosRange(sign.pos(), operand.pos().end());
        if (operand instanceof NumberLiteral n) {
            double v = sign.type() == TokenType.SUB ? -n.value() : n.value();
            return new NumberLiteral(v, n.duration(), pos);
        }
        if (sign.type() == TokenType.ADD) return operand; // unary plus changes nothing and prints as nothing
        return new DurationExpr(DurationExpr.Op.SUB, null, operand, false, pos);
    }

    private Expr durationPrimary() {
        Token t = p.peek();
        switch (t.type()) {
            case NUMBER -> {
                p.next();
                return new NumberLiteral(p.number(t), false, t.range());
            }
            case DURATION -> {
                p.next();
                return new NumberLiteral(p.durationSeconds(t), true, t.range());
            }
            case LEFT_PAREN -> {
                p.next();
                Expr inner = durationExpr(0);
                Token close = p.expect(TokenType.RIGHT_PAREN, context, "\")\"");
                PosRange pos = new PosRange(t.pos(), close.end());
                if (inner instanceof DurationExpr d) return new DurationExpr(d.op(), d.lhs(), d.rhs(), true, pos);
                return new DurationExpr(DurationExpr.Op.ADD, null, inner, true, pos);
            }
            default -> {
                DurationExpr.Op fn = durationFunction(t);
                if (fn == null) p.unexpected(context, DURATION_EXPECTED);
                return durationCall(fn);
            }
        }
    }

    /** {@code step}, {@code range}, {@code min_of}/{@code min}, {@code max_of}/{@code max}, any case. */
    private static DurationExpr.Op durationFunction(Token t) {
        if (t.type() != TokenType.IDENTIFIER && !t.type().isKeyword() && t.type() != TokenType.MIN && t.type() != TokenType.MAX) {
            return null;
        }
        return switch (t.val().toLowerCase(Locale.ROOT)) {
            case "step" -> DurationExpr.Op.STEP;
            case "range" -> DurationExpr.Op.RANGE;
            case "min_of", "min" -> DurationExpr.Op.MIN_OF;
            case "max_of", "max" -> DurationExpr.Op.MAX_OF;
            default -> null;
        };
    }

    /** {@code step()}, {@code range()}, {@code min_of(a, b)}, {@code max_of(a, b)}. */
    private Expr durationCall(DurationExpr.Op fn) {
        Token name = p.next();
        p.expect(TokenType.LEFT_PAREN, context, DURATION_EXPECTED);
        Expr lhs = null;
        Expr rhs = null;
        if (fn == DurationExpr.Op.MIN_OF || fn == DurationExpr.Op.MAX_OF) {
            lhs = durationExpr(0);
            p.expect(TokenType.COMMA, context, "\",\"");
            rhs = durationExpr(0);
        }
        Token close = p.expect(TokenType.RIGHT_PAREN, context, "\")\"");
        return new DurationExpr(fn, lhs, rhs, false, new PosRange(name.pos(), close.end()));
    }
}
