package io.pyrometer.promql.parser;

import io.pyrometer.model.LabelMatcher;
import io.pyrometer.promql.ast.AggOp;
import io.pyrometer.promql.ast.AggregateExpr;
import io.pyrometer.promql.ast.BinaryExpr;
import io.pyrometer.promql.ast.Call;
import io.pyrometer.promql.ast.DurationExpr;
import io.pyrometer.promql.ast.Expr;
import io.pyrometer.promql.ast.Function;
import io.pyrometer.promql.ast.MatrixSelector;
import io.pyrometer.promql.ast.NumberLiteral;
import io.pyrometer.promql.ast.ParenExpr;
import io.pyrometer.promql.ast.PosRange;
import io.pyrometer.promql.ast.StepInvariantExpr;
import io.pyrometer.promql.ast.StringLiteral;
import io.pyrometer.promql.ast.SubqueryExpr;
import io.pyrometer.promql.ast.UnaryExpr;
import io.pyrometer.promql.ast.ValueType;
import io.pyrometer.promql.ast.VectorMatching;
import io.pyrometer.promql.ast.VectorSelector;
import java.util.ArrayList;
import java.util.List;

/**
 * Prometheus's type checking ({@code checkAST} in promql/parser/parse.go), in the same order so
 * the same error is reported first. Also normalises binary expressions: vector matching is kept
 * only between two instant vectors and set operators become many-to-many.
 */
final class Checker {
    private static final List<String> ANCHORED_FUNCTIONS = List.of("changes", "delta", "increase", "rate", "resets");
    private static final List<String> SMOOTHED_FUNCTIONS = List.of("delta", "increase", "rate");

    private final String query;
    private final List<ParseError> errors;

    Checker(String query, List<ParseError> errors) {
        this.query = query;
        this.errors = errors;
    }

    private void error(PosRange pos, String msg) { errors.add(new ParseError(pos, msg)); }

    Expr check(Expr e) {
        return switch (e) {
            case AggregateExpr a -> checkAggregate(a);
            case BinaryExpr b -> checkBinary(b);
            case Call c -> checkCall(c);
            case ParenExpr p -> new ParenExpr(check(p.expr()), p.pos());
            case UnaryExpr u -> {
                Expr inner = check(u.expr());
                ValueType t = inner.type();
                if (t != ValueType.SCALAR && t != ValueType.VECTOR) {
                    error(u.pos(), "unary expression only allowed on expressions of type scalar or instant vector, got "
                            + GoQuote.quote(t.documentedName()));
                }
                yield new UnaryExpr(u.op(), inner, u.pos());
            }
            case SubqueryExpr sq -> {
                Expr inner = check(sq.expr());
                if (inner.type() != ValueType.VECTOR) {
                    error(sq.pos(), "subquery is only allowed on instant vector, got " + goTypeName(inner.type()) + " instead");
                }
                yield new SubqueryExpr(inner, sq.rangeMs(), sq.rangeExpr(), sq.stepMs(), sq.stepExpr(), sq.offsetMs(),
                        sq.offsetExpr(), sq.at(), sq.pos());
            }
            case MatrixSelector ms -> {
                checkSelector(ms.vs(), false);
                yield ms;
            }
            case VectorSelector vs -> {
                checkSelector(vs, false);
                yield vs;
            }
            case StepInvariantExpr s -> new StepInvariantExpr(check(s.expr()));
            case NumberLiteral n -> n;
            case StringLiteral s -> s;
            case DurationExpr d -> d;
        };
    }

    /** Go's {@code ValueType.String()}: "vector", "matrix", ... */
    private static String goTypeName(ValueType t) { return t.apiName(); }

    private Expr expectType(Expr e, ValueType want, String context) {
        Expr checked = check(e);
        ValueType got = checked.type();
        if (got != want) {
            error(e.pos(), "expected type " + want.documentedName() + " in " + context + ", got " + got.documentedName());
        }
        return checked;
    }

    private Expr checkAggregate(AggregateExpr a) {
        Expr inner = expectType(a.expr(), ValueType.VECTOR, "aggregation expression");
        Expr param = a.param();
        AggOp op = a.op();
        if (op == AggOp.TOPK || op == AggOp.BOTTOMK || op == AggOp.QUANTILE || op == AggOp.LIMITK || op == AggOp.LIMIT_RATIO) {
            param = expectType(param, ValueType.SCALAR, "aggregation parameter");
        } else if (op == AggOp.COUNT_VALUES) {
            param = expectType(param, ValueType.STRING, "aggregation parameter");
        }
        return new AggregateExpr(op, inner, param, a.grouping(), a.without(), a.pos());
    }

    private Expr checkBinary(BinaryExpr b) {
        Expr lhs = check(b.lhs());
        Expr rhs = check(b.rhs());
        ValueType lt = lhs.type();
        ValueType rt = rhs.type();
        VectorMatching vm = b.matching();
        if (b.returnBool() && !b.op().isComparison()) error(opRange(b), "bool modifier can only be used on comparison operators");
        if (b.op().isComparison() && !b.returnBool() && lt == ValueType.SCALAR && rt == ValueType.SCALAR) {
            error(opRange(b), "comparisons between scalars must use BOOL modifier");
        }
        if (b.op().isSetOperator() && vm.card() == VectorMatching.Card.ONE_TO_ONE) {
            vm = new VectorMatching(VectorMatching.Card.MANY_TO_MANY, vm.matchingLabels(), vm.on(), vm.include(), vm.fill());
        }
        if (vm.on()) {
            for (String l : vm.matchingLabels()) {
                if (vm.include().contains(l)) {
                    error(opRange(b), "label " + GoQuote.quote(l) + " must not occur in ON and GROUP clause at once");
                }
            }
        }
        if (lt != ValueType.SCALAR && lt != ValueType.VECTOR) {
            error(lhs.pos(), "binary expression must contain only scalar and instant vector types");
        }
        if (rt != ValueType.SCALAR && rt != ValueType.VECTOR) {
            error(rhs.pos(), "binary expression must contain only scalar and instant vector types");
        }
        PosRange pos = b.pos();
        if (lt != ValueType.VECTOR || rt != ValueType.VECTOR) {
            if (!vm.matchingLabels().isEmpty()) error(pos, "vector matching only allowed between instant vectors");
            if (vm.fill() != null) error(pos, "fill modifiers only allowed between instant vectors");
            vm = null;
        } else if (b.op().isSetOperator()) {
            if (vm.card() == VectorMatching.Card.ONE_TO_MANY || vm.card() == VectorMatching.Card.MANY_TO_ONE) {
                error(pos, "no grouping allowed for " + GoQuote.quote(b.op().text()) + " operation");
            }
            if (vm.card() != VectorMatching.Card.MANY_TO_MANY) error(pos, "set operations must always be many-to-many");
            if (vm.fill() != null) error(pos, "fill modifiers not allowed for set operations");
        }
        if ((lt == ValueType.SCALAR || rt == ValueType.SCALAR) && b.op().isSetOperator()) {
            error(pos, "set operator " + GoQuote.quote(b.op().text()) + " not allowed in binary scalar expression");
        }
        return new BinaryExpr(b.op(), lhs, rhs, vm, b.returnBool());
    }

    /** The operator between the operands, without surrounding whitespace. */
    private PosRange opRange(BinaryExpr b) {
        int start = b.lhs().pos().end();
        int end = b.rhs().pos().start() - 1;
        if (start < 0 || end >= query.length() || start > end) return new PosRange(Math.max(start, 0), Math.max(start, 0));
        while (start < end && Lexer.isSpace(query.charAt(start))) start++;
        while (end > start && Lexer.isSpace(query.charAt(end))) end--;
        return new PosRange(start, end + 1);
    }

    private Expr checkCall(Call c) {
        Function f = c.func();
        int n = c.args().size();
        String name = GoQuote.quote(f.name());
        if (f.variadic() == 0) {
            if (n != f.argTypes().size()) {
                error(c.pos(), "expected " + f.argTypes().size() + " argument(s) in call to " + name + ", got " + n);
            }
        } else if (n < f.minArgs()) {
            error(c.pos(), "expected at least " + f.minArgs() + " argument(s) in call to " + name + ", got " + n);
        } else if (f.variadic() > 0 && n > f.maxArgs()) {
            error(c.pos(), "expected at most " + f.maxArgs() + " argument(s) in call to " + name + ", got " + n);
        }
        boolean info = f.name().equals("info");
        if (info && n > 1) {
            Expr a = c.args().get(1);
            if (!(a instanceof VectorSelector vs)) {
                error(a.pos(), "expected label selectors only");
            } else if (vs.name() != null) {
                error(a.pos(), "expected label selectors only, got vector selector instead");
            }
        }
        List<Expr> args = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Expr arg = c.args().get(i);
            int ti = i;
            if (i >= f.argTypes().size()) {
                if (f.variadic() == 0) {
                    args.addAll(c.args().subList(i, n));
                    break;
                }
                ti = f.argTypes().size() - 1;
            }
            if (info && i == 1 && arg instanceof VectorSelector vs) {
                checkSelector(vs, true);
                args.add(arg);
                continue;
            }
            args.add(expectType(arg, f.argTypes().get(ti), "call to function " + name));
            checkExtendedRange(f, arg);
        }
        return new Call(f, args, c.pos());
    }

    private void checkExtendedRange(Function f, Expr arg) {
        if (!(arg instanceof MatrixSelector ms)) return;
        if (ms.anchored() && !ANCHORED_FUNCTIONS.contains(f.name())) {
            error(ms.pos(), "anchored modifier can only be used with: " + String.join(", ", ANCHORED_FUNCTIONS)
                    + " - not with " + f.name());
        }
        if (ms.smoothed() && !SMOOTHED_FUNCTIONS.contains(f.name())) {
            error(ms.pos(), "smoothed modifier can only be used with: " + String.join(", ", SMOOTHED_FUNCTIONS)
                    + " - not with " + f.name());
        }
    }

    /**
     * A metric name may be given once; without one, some matcher must reject the empty string
     * (so that a typo cannot select every series). {@code info()}'s second argument is exempt.
     */
    private void checkSelector(VectorSelector vs, boolean bypassEmptyCheck) {
        if (vs.name() != null) {
            String first = null;
            for (LabelMatcher m : vs.matchers()) {
                if (!m.name().equals("__name__")) continue;
                if (first == null) {
                    first = m.value();
                } else {
                    String other = m.value().equals(vs.name()) ? first : m.value();
                    error(vs.pos(), "metric name must not be set twice: " + GoQuote.quote(vs.name()) + " or " + GoQuote.quote(other));
                    return;
                }
            }
            return;
        }
        if (bypassEmptyCheck) return;
        for (LabelMatcher m : vs.matchers()) {
            if (!m.matchesEmpty()) return;
        }
        error(vs.pos(), "vector selector must contain at least one non-empty matcher");
    }
}
