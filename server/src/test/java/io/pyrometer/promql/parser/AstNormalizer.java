package io.pyrometer.promql.parser;

import io.pyrometer.model.LabelMatcher;
import io.pyrometer.promql.ast.AggregateExpr;
import io.pyrometer.promql.ast.BinaryExpr;
import io.pyrometer.promql.ast.Call;
import io.pyrometer.promql.ast.DurationExpr;
import io.pyrometer.promql.ast.Expr;
import io.pyrometer.promql.ast.MatrixSelector;
import io.pyrometer.promql.ast.NumberLiteral;
import io.pyrometer.promql.ast.ParenExpr;
import io.pyrometer.promql.ast.PosRange;
import io.pyrometer.promql.ast.StepInvariantExpr;
import io.pyrometer.promql.ast.StringLiteral;
import io.pyrometer.promql.ast.SubqueryExpr;
import io.pyrometer.promql.ast.UnaryExpr;
import io.pyrometer.promql.ast.VectorSelector;
import java.util.Comparator;
import java.util.List;

/**
 * Rebuilds a tree without positions and with matchers in a fixed order, so that trees parsed from
 * different spellings of the same query compare equal.
 */
final class AstNormalizer {
    private static final PosRange P = PosRange.NONE;

    private AstNormalizer() {}

    static Expr strip(Expr e) {
        return switch (e) {
            case NumberLiteral n -> new NumberLiteral(n.value(), n.duration(), P);
            case StringLiteral s -> new StringLiteral(s.value(), P);
            case VectorSelector vs -> selector(vs);
            case MatrixSelector ms -> new MatrixSelector(selector(ms.vs()), ms.rangeMs(), dur(ms.rangeExpr()),
                    ms.anchored(), ms.smoothed(), P);
            case SubqueryExpr sq -> new SubqueryExpr(strip(sq.expr()), sq.rangeMs(), dur(sq.rangeExpr()), sq.stepMs(),
                    dur(sq.stepExpr()), sq.offsetMs(), dur(sq.offsetExpr()), sq.at(), P);
            case AggregateExpr a -> new AggregateExpr(a.op(), strip(a.expr()), a.param() == null ? null : strip(a.param()),
                    a.grouping(), a.without(), P);
            case BinaryExpr b -> new BinaryExpr(b.op(), strip(b.lhs()), strip(b.rhs()), b.matching(), b.returnBool());
            case Call c -> new Call(c.func(), c.args().stream().map(AstNormalizer::strip).toList(), P);
            case ParenExpr p -> new ParenExpr(strip(p.expr()), P);
            case UnaryExpr u -> new UnaryExpr(u.op(), strip(u.expr()), P);
            case StepInvariantExpr s -> new StepInvariantExpr(strip(s.expr()));
            case DurationExpr d -> dur(d);
        };
    }

    private static VectorSelector selector(VectorSelector vs) {
        List<LabelMatcher> sorted = vs.matchers().stream()
                .sorted(Comparator.comparing(LabelMatcher::toString)).toList();
        return new VectorSelector(vs.name(), sorted, vs.offsetMs(), dur(vs.offsetExpr()), vs.at(), vs.anchored(),
                vs.smoothed(), P);
    }

    private static DurationExpr dur(DurationExpr d) {
        if (d == null) return null;
        return new DurationExpr(d.op(), d.lhs() == null ? null : strip(d.lhs()), d.rhs() == null ? null : strip(d.rhs()),
                d.wrapped(), P);
    }
}
