package io.pyrometer.promql.ast;

import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates experimental duration expressions. Constant ones are evaluated by the parser; those
 * using {@code step()}, {@code range()}, {@code start()} or {@code end()} are left for the engine,
 * which calls {@link #resolve(Expr, QueryTimes)} once per query before evaluating:
 *
 * <pre>{@code
 * Expr ready = DurationExprs.resolve(parsed, new DurationExprs.QueryTimes(startMs, endMs, stepMs));
 * }</pre>
 */
public final class DurationExprs {
    private DurationExprs() {}

    /** The query's boundaries: {@code range()} is {@code end - start}; an instant query has start == end. */
    public record QueryTimes(long startMs, long endMs, long stepMs) {
        public long rangeMs() { return endMs - startMs; }
    }

    /** Whether {@code e} uses {@code step()}, {@code range()}, {@code start()} or {@code end()} anywhere. */
    public static boolean dependsOnQuery(Expr e) {
        if (!(e instanceof DurationExpr d)) return false;
        switch (d.op()) {
            case STEP, RANGE, START, END -> { return true; }
            default -> { }
        }
        return (d.lhs() != null && dependsOnQuery(d.lhs())) || (d.rhs() != null && dependsOnQuery(d.rhs()));
    }

    /** As {@link #evalSeconds(Expr, QueryTimes)} for a query starting at 0. */
    public static double evalSeconds(Expr e, long stepMs, long rangeMs) {
        return evalSeconds(e, new QueryTimes(0, rangeMs, stepMs));
    }

    /**
     * The value in seconds.
     *
     * @throws IllegalArgumentException on division or modulo by zero
     */
    public static double evalSeconds(Expr e, QueryTimes q) {
        return switch (e) {
            case NumberLiteral n -> n.value();
            case ParenExpr p -> evalSeconds(p.expr(), q);
            case DurationExpr d -> evalOp(d, q);
            default -> throw new IllegalArgumentException("unexpected node in duration expression: " + e);
        };
    }

    private static double evalOp(DurationExpr d, QueryTimes q) {
        switch (d.op()) {
            case STEP -> { return q.stepMs() / 1000.0; }
            case RANGE -> { return q.rangeMs() / 1000.0; }
            case START -> { return q.startMs() / 1000.0; }
            case END -> { return q.endMs() / 1000.0; }
            default -> { }
        }
        double r = evalSeconds(d.rhs(), q);
        if (d.lhs() == null) return d.op() == DurationExpr.Op.SUB ? -r : r;
        double l = evalSeconds(d.lhs(), q);
        return switch (d.op()) {
            case ADD -> l + r;
            case SUB -> l - r;
            case MUL -> l * r;
            case DIV -> {
                if (r == 0) throw new IllegalArgumentException("division by zero");
                yield l / r;
            }
            case MOD -> {
                if (r == 0) throw new IllegalArgumentException("modulo by zero");
                yield l % r;
            }
            case POW -> Math.pow(l, r);
            case MIN_OF -> Math.min(l, r);
            case MAX_OF -> Math.max(l, r);
            case STEP, RANGE, START, END -> throw new AssertionError();
        };
    }

    /** As {@link #evalMs(Expr, QueryTimes, boolean)} for a query starting at 0. */
    public static long evalMs(Expr e, long stepMs, long rangeMs, boolean allowNegative) {
        return evalMs(e, new QueryTimes(0, rangeMs, stepMs), allowNegative);
    }

    /**
     * The value in milliseconds, checked as Prometheus checks it.
     *
     * @param allowNegative true for offsets; ranges and steps must be positive
     * @throws IllegalArgumentException with Prometheus's message when out of range
     */
    public static long evalMs(Expr e, QueryTimes q, boolean allowNegative) {
        double seconds = evalSeconds(e, q);
        if (Double.isNaN(seconds) || Math.abs(seconds) >= 9.223372036854776e9) {
            throw new IllegalArgumentException("duration out of range");
        }
        long ms = Math.round(seconds * 1000);
        if (ms <= 0 && !allowNegative) throw new IllegalArgumentException("duration must be greater than 0");
        return ms;
    }

    /** As {@link #resolve(Expr, QueryTimes)} for a query starting at 0. */
    public static Expr resolve(Expr e, long stepMs, long rangeMs) {
        return resolve(e, new QueryTimes(0, rangeMs, stepMs));
    }

    /**
     * A copy of {@code e} in which every duration expression that depends on the query has been
     * evaluated: into the {@code rangeMs}/{@code stepMs}/{@code offsetMs} of selectors and subqueries,
     * and, where one stands as an expression ({@code vector(step())}, {@code end() - start()}), into a
     * {@link NumberLiteral} of seconds. Returns {@code e} itself when nothing needed resolving.
     *
     * @throws IllegalArgumentException with Prometheus's message when a duration is invalid
     */
    public static Expr resolve(Expr e, QueryTimes q) {
        return switch (e) {
            case VectorSelector vs -> resolveSelector(vs, q);
            case MatrixSelector ms -> {
                VectorSelector vs = resolveSelector(ms.vs(), q);
                long r = dependsOnQuery(ms.rangeExpr()) ? evalMs(ms.rangeExpr(), q, false) : ms.rangeMs();
                yield vs == ms.vs() && r == ms.rangeMs() ? ms
                        : new MatrixSelector(vs, r, ms.rangeExpr(), ms.anchored(), ms.smoothed(), ms.pos());
            }
            case SubqueryExpr sq -> resolveSubquery(sq, q);
            case AggregateExpr a -> {
                Expr x = resolve(a.expr(), q);
                Expr p = a.param() == null ? null : resolve(a.param(), q);
                yield x == a.expr() && p == a.param() ? a : new AggregateExpr(a.op(), x, p, a.grouping(), a.without(), a.pos());
            }
            case BinaryExpr b -> {
                Expr l = resolve(b.lhs(), q);
                Expr r = resolve(b.rhs(), q);
                yield l == b.lhs() && r == b.rhs() ? b : new BinaryExpr(b.op(), l, r, b.matching(), b.returnBool());
            }
            case Call c -> resolveCall(c, q);
            case ParenExpr p -> {
                Expr x = resolve(p.expr(), q);
                yield x == p.expr() ? p : new ParenExpr(x, p.pos());
            }
            case UnaryExpr u -> {
                Expr x = resolve(u.expr(), q);
                yield x == u.expr() ? u : new UnaryExpr(u.op(), x, u.pos());
            }
            case StepInvariantExpr s -> {
                Expr x = resolve(s.expr(), q);
                yield x == s.expr() ? s : new StepInvariantExpr(x);
            }
            case NumberLiteral n -> n;
            case StringLiteral s -> s;
            case DurationExpr d -> new NumberLiteral(evalSeconds(d, q), false, d.pos());
        };
    }

    private static Expr resolveCall(Call c, QueryTimes q) {
        List<Expr> args = new ArrayList<>(c.args().size());
        boolean changed = false;
        for (Expr a : c.args()) {
            Expr r = resolve(a, q);
            changed |= r != a;
            args.add(r);
        }
        return changed ? new Call(c.func(), args, c.pos()) : c;
    }

    private static VectorSelector resolveSelector(VectorSelector vs, QueryTimes q) {
        if (!dependsOnQuery(vs.offsetExpr())) return vs;
        return vs.withOffset(evalMs(vs.offsetExpr(), q, true), vs.offsetExpr());
    }

    private static SubqueryExpr resolveSubquery(SubqueryExpr sq, QueryTimes q) {
        Expr inner = resolve(sq.expr(), q);
        long r = dependsOnQuery(sq.rangeExpr()) ? evalMs(sq.rangeExpr(), q, false) : sq.rangeMs();
        long s = dependsOnQuery(sq.stepExpr()) ? evalMs(sq.stepExpr(), q, false) : sq.stepMs();
        long o = dependsOnQuery(sq.offsetExpr()) ? evalMs(sq.offsetExpr(), q, true) : sq.offsetMs();
        if (inner == sq.expr() && r == sq.rangeMs() && s == sq.stepMs() && o == sq.offsetMs()) return sq;
        return new SubqueryExpr(inner, r, sq.rangeExpr(), s, sq.stepExpr(), o, sq.offsetExpr(), sq.at(), sq.pos());
    }
}
