package io.pyrometer.promql.conformance;

import io.pyrometer.promql.ast.AggregateExpr;
import io.pyrometer.promql.ast.AtModifier;
import io.pyrometer.promql.ast.BinaryExpr;
import io.pyrometer.promql.ast.Call;
import io.pyrometer.promql.ast.DurationExpr;
import io.pyrometer.promql.ast.Expr;
import io.pyrometer.promql.ast.MatrixSelector;
import io.pyrometer.promql.ast.NumberLiteral;
import io.pyrometer.promql.ast.ParenExpr;
import io.pyrometer.promql.ast.StepInvariantExpr;
import io.pyrometer.promql.ast.StringLiteral;
import io.pyrometer.promql.ast.SubqueryExpr;
import io.pyrometer.promql.ast.UnaryExpr;
import io.pyrometer.promql.ast.VectorSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code @}-modifier variants Prometheus's runner adds to every instant eval
 * ({@code atModifierTestCases} in promqltest/test.go): {@code @ T} on every selector and subquery
 * lacking one (not inside a subquery that has one), evaluated at {@code -10T, 0, T/5, T, 10T}
 * ({@code -1000, 0, 1000} when T is 0). Skipped when a time-dependent function is called.
 */
final class AtModifierCases {
    record Case(Expr expr, long evalMs) {}

    private static final Set<String> UNSAFE = Set.of("days_in_month", "day_of_month", "day_of_week", "day_of_year",
            "hour", "minute", "month", "year", "predict_linear", "time", "timestamp");

    private AtModifierCases() {}

    static List<Case> of(Expr expr, long evalMs) {
        boolean[] unsafe = {false};
        Expr withAt = rewrite(expr, AtModifier.at(evalMs), unsafe);
        if (unsafe[0]) return List.of();
        long[] times = evalMs == 0 ? new long[] {-1000, 0, 1000} : new long[] {-10 * evalMs, 0, evalMs / 5, evalMs, 10 * evalMs};
        List<Case> out = new ArrayList<>();
        for (long t : times) out.add(new Case(withAt, t));
        return out;
    }

    private static Expr rewrite(Expr e, AtModifier at, boolean[] unsafe) {
        return switch (e) {
            case VectorSelector vs -> vs.at() == null ? vs.withAt(at) : vs;
            case MatrixSelector ms -> ms.vs().at() == null
                    ? new MatrixSelector(ms.vs().withAt(at), ms.rangeMs(), ms.rangeExpr(), ms.anchored(), ms.smoothed(), ms.pos())
                    : ms;
            // The subquery gets the @; what is inside it is left alone (and not inspected), as in Go.
            case SubqueryExpr sq -> sq.at() != null ? sq : sq.withAt(at);
            case AggregateExpr a -> new AggregateExpr(a.op(), rewrite(a.expr(), at, unsafe),
                    a.param() == null ? null : rewrite(a.param(), at, unsafe), a.grouping(), a.without(), a.pos());
            case BinaryExpr b -> new BinaryExpr(b.op(), rewrite(b.lhs(), at, unsafe), rewrite(b.rhs(), at, unsafe),
                    b.matching(), b.returnBool());
            case Call c -> {
                if (UNSAFE.contains(c.func().name())) unsafe[0] = true;
                List<Expr> args = new ArrayList<>();
                for (Expr a : c.args()) args.add(rewrite(a, at, unsafe));
                yield new Call(c.func(), args, c.pos());
            }
            case ParenExpr p -> new ParenExpr(rewrite(p.expr(), at, unsafe), p.pos());
            case UnaryExpr u -> new UnaryExpr(u.op(), rewrite(u.expr(), at, unsafe), u.pos());
            case StepInvariantExpr s -> new StepInvariantExpr(rewrite(s.expr(), at, unsafe));
            case NumberLiteral n -> n;
            case StringLiteral s -> s;
            case DurationExpr d -> d;
        };
    }
}
