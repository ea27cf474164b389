package io.pyrometer.promql.ast;

import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates experimental duration expressions. Constant ones are evaluated by the parser; those
 * using {@code step()} or {@code range()} are left for the engine, which calls
 * {@link #resolve(Expr, long, long)} once per query before evaluating.
 */
public final class DurationExprs {
    private DurationExprs() {}

    /** Whether {@code e} uses {@code step()} or {@code range()} anywhere. */
    public static boolean dependsOnQuery(Expr e) {
        if (!(e instanceof DurationExpr d)) return false;
        if (d.op() == DurationExpr.Op.STEP || d.op() == DurationExpr.Op.RANGE) return true;
        return (d.lhs() != null && dependsOnQuery(d.lhs())) || (d.rhs() != null && dependsOnQuery(d.rhs()));
    }

    /**
     * The value in seconds.
     *
     * @throws IllegalArgumentException on division or modulo by zero
     */
    public static double evalSeconds(Expr e, long stepMs, long rangeMs) {
        return switch (e) {
            case NumberLiteral n -> n.value();
            case ParenExpr p -> evalSeconds(p.expr(), stepMs, rangeMs);
            case DurationExpr d -> evalOp(d, stepMs, rangeMs);
            default -> throw new IllegalArgumentException("unexpected node in duration expression: " + e);
        };
    }

    private static double evalOp(DurationExpr d, long stepMs, long rangeMs) {
        switch (d.op()) {
            case STEP -> { return stepMs / 1000.0; }
            case RANGE -> { return rangeMs / 1000.0; }
            default -> { }
        }
        double r = evalSeconds(d.rhs(), stepMs, rangeMs);
        if (d.lhs() == null) return d.op() == DurationExpr.Op.SUB ? -r : r;
        double l = evalSeconds(d.lhs(), stepMs, rangeMs);
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
            case STEP, RANGE -> throw new AssertionError();
        };
    }

    /**
     * The value in milliseconds, checked as Prometheus checks it.
     *
     * @param allowNegative true for offsets; ranges and steps must be positive
     * @throws IllegalArgumentException with Prometheus's message when out of range
     */
    public static long evalMs(Expr e, long stepMs, long rangeMs, boolean allowNegative) {
        double seconds = evalSeconds(e, stepMs, rangeMs);
        if (Double.isNaN(seconds) || Math.abs(seconds) >= 9.223372036854776e9) {
            throw new IllegalArgumentException("duration out of range");
        }
        long ms = Math.round(seconds * 1000);
        if (ms <= 0 && !allowNegative) throw new IllegalArgumentException("duration must be greater than 0");
        return ms;
    }

    /**
     * A copy of {@code e} in which every duration expression that uses {@code step()} or
     * {@code range()} has been evaluated into its {@code rangeMs}/{@code stepMs}/{@code offsetMs}.
     * Returns {@code e} itself when nothing needed resolving.
     */
    public static Expr resolve(Expr e, long stepMs, long rangeMs) {
        return switch (e) {
            case VectorSelector vs -> resolveSelector(vs, stepMs, rangeMs);
            case MatrixSelector ms -> {
                VectorSelector vs = resolveSelector(ms.vs(), stepMs, rangeMs);
                long r = dependsOnQuery(ms.rangeExpr()) ? evalMs(ms.rangeExpr(), stepMs, rangeMs, false) : ms.rangeMs();
                yield vs == ms.vs() && r == ms.rangeMs() ? ms
                        : new MatrixSelector(vs, r, ms.rangeExpr(), ms.anchored(), ms.smoothed(), ms.pos());
            }
            case SubqueryExpr sq -> resolveSubquery(sq, stepMs, rangeMs);
            case AggregateExpr a -> {
                Expr x = resolve(a.expr(), stepMs, rangeMs);
                Expr p = a.param() == null ? null : resolve(a.param(), stepMs, rangeMs);
                yield x == a.expr() && p == a.param() ? a : new AggregateExpr(a.op(), x, p, a.grouping(), a.without(), a.pos());
            }
            case BinaryExpr b -> {
                Expr l = resolve(b.lhs(), stepMs, rangeMs);
                Expr r = resolve(b.rhs(), stepMs, rangeMs);
                yield l == b.lhs() && r == b.rhs() ? b : new BinaryExpr(b.op(), l, r, b.matching(), b.returnBool());
            }
            case Call c -> {
                List<Expr> args = new ArrayList<>(c.args().size());
                boolean changed = false;
                for (Expr a : c.args()) {
                    Expr r = resolve(a, stepMs, rangeMs);
                    changed |= r != a;
                    args.add(r);
                }
                yield changed ? new Call(c.func(), args, c.pos()) : c;
            }
            case ParenExpr p -> {
                Expr x = resolve(p.expr(), stepMs, rangeMs);
                yield x == p.expr() ? p : new ParenExpr(x, p.pos());
            }
            case UnaryExpr u -> {
                Expr x = resolve(u.expr(), stepMs, rangeMs);
                yield x == u.expr() ? u : new UnaryExpr(u.op(), x, u.pos());
            }
            case StepInvariantExpr s -> {
                Expr x = resolve(s.expr(), stepMs, rangeMs);
                yield x == s.expr() ? s : new StepInvariantExpr(x);
            }
            case NumberLiteral n -> n;
            case StringLiteral s -> s;
            case DurationExpr d -> d;
        };
    }

    private static VectorSelector resolveSelector(VectorSelector vs, long stepMs, long rangeMs) {
        if (!dependsOnQuery(vs.offsetExpr())) return vs;
        return vs.withOffset(evalMs(vs.offsetExpr(), stepMs, rangeMs, true), vs.offsetExpr());
    }

    private static SubqueryExpr resolveSubquery(SubqueryExpr sq, long stepMs, long rangeMs) {
        Expr inner = resolve(sq.expr(), stepMs, rangeMs);
        long r = dependsOnQuery(sq.rangeExpr()) ? evalMs(sq.rangeExpr(), stepMs, rangeMs, false) : sq.rangeMs();
        long s = dependsOnQuery(sq.stepExpr()) ? evalMs(sq.stepExpr(), stepMs, rangeMs, false) : sq.stepMs();
        long o = dependsOnQuery(sq.offsetExpr()) ? evalMs(sq.offsetExpr(), stepMs, rangeMs, true) : sq.offsetMs();
        if (inner == sq.expr() && r == sq.rangeMs() && s == sq.stepMs() && o == sq.offsetMs()) return sq;
        return new SubqueryExpr(inner, r, sq.rangeExpr(), s, sq.stepExpr(), o, sq.offsetExpr(), sq.at(), sq.pos());
    }
}
