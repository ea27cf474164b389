package io.pyrometer.promql.conformance;

import io.pyrometer.promql.ast.AggregateExpr;
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
import java.util.List;

/** Small AST helpers for the runner. */
final class AstWalk {
    private AstWalk() {}

    static void selectors(Expr e, List<VectorSelector> out) {
        switch (e) {
            case VectorSelector vs -> out.add(vs);
            case MatrixSelector ms -> out.add(ms.vs());
            case SubqueryExpr sq -> selectors(sq.expr(), out);
            case AggregateExpr a -> {
                selectors(a.expr(), out);
                if (a.param() != null) selectors(a.param(), out);
            }
            case BinaryExpr b -> {
                selectors(b.lhs(), out);
                selectors(b.rhs(), out);
            }
            case Call c -> c.args().forEach(a -> selectors(a, out));
            case ParenExpr p -> selectors(p.expr(), out);
            case UnaryExpr u -> selectors(u.expr(), out);
            case StepInvariantExpr s -> selectors(s.expr(), out);
            case NumberLiteral n -> { }
            case StringLiteral s -> { }
            case DurationExpr d -> { }
        }
    }
}
