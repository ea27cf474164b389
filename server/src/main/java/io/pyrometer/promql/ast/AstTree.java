package io.pyrometer.promql.ast;

import io.pyrometer.model.LabelMatcher;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tree that {@code /api/v1/parse_query} returns for the UI's tree view, as plain maps and
 * lists ready for any JSON writer (Prometheus's {@code translateAST}). Maps are sorted by key,
 * because Go writes map keys sorted: serialising these gives Prometheus's bytes.
 *
 * <pre>{@code
 * Map<String, Object> tree = AstTree.toMap(Parser.parseExpr("sum(up)"));
 * // {expr={...}, grouping=[], op=sum, param=null, type=aggregation, without=false}
 * }</pre>
 */
public final class AstTree {
    private AstTree() {}

    /** The node as maps; a null node gives null. */
    public static Object toMap(Expr e) {
        if (e == null) return null;
        Map<String, Object> m = new TreeMap<>();
        switch (e) {
            case AggregateExpr a -> {
                m.put("type", "aggregation");
                m.put("op", a.op().text());
                m.put("expr", toMap(a.expr()));
                m.put("param", toMap(a.param()));
                m.put("grouping", a.grouping());
                m.put("without", a.without());
            }
            case BinaryExpr b -> {
                m.put("type", "binaryExpr");
                m.put("op", b.op().text());
                m.put("lhs", toMap(b.lhs()));
                m.put("rhs", toMap(b.rhs()));
                m.put("matching", matching(b.matching()));
                m.put("bool", b.returnBool());
            }
            case Call c -> call(m, c);
            case MatrixSelector ms -> {
                selector(m, ms.vs(), "matrixSelector");
                m.put("range", ms.rangeMs());
                m.put("anchored", ms.anchored());
                m.put("smoothed", ms.smoothed());
            }
            case SubqueryExpr sq -> {
                m.put("type", "subquery");
                m.put("expr", toMap(sq.expr()));
                m.put("range", sq.rangeMs());
                m.put("offset", sq.offsetMs());
                m.put("step", sq.stepMs());
                at(m, sq.at());
                m.put("alignEvalTime", false);
            }
            case NumberLiteral n -> {
                m.put("type", "numberLiteral");
                m.put("val", plain(n.value()));
            }
            case ParenExpr p -> {
                m.put("type", "parenExpr");
                m.put("expr", toMap(p.expr()));
            }
            case StringLiteral s -> {
                m.put("type", "stringLiteral");
                m.put("val", s.value());
            }
            case UnaryExpr u -> {
                m.put("type", "unaryExpr");
                m.put("op", String.valueOf(u.op()));
                m.put("expr", toMap(u.expr()));
            }
            case VectorSelector vs -> selector(m, vs, "vectorSelector");
            case StepInvariantExpr s -> {
                return toMap(s.expr());
            }
            case DurationExpr d -> {
                // Prometheus's tree view has no node for these; show the duration expression as written.
                m.put("type", "durationExpr");
                m.put("expr", Printer.print(d));
            }
        }
        return m;
    }

    private static Object matching(VectorMatching vm) {
        if (vm == null) return null;
        Map<String, Object> m = new TreeMap<>();
        m.put("card", vm.card().toString());
        m.put("labels", vm.matchingLabels());
        m.put("on", vm.on());
        m.put("include", vm.include());
        Map<String, Object> fill = new TreeMap<>();
        fill.put("lhs", vm.fill() == null ? null : vm.fill().lhs());
        fill.put("rhs", vm.fill() == null ? null : vm.fill().rhs());
        m.put("fillValues", fill);
        return m;
    }

    private static void call(Map<String, Object> m, Call c) {
        m.put("type", "call");
        Map<String, Object> f = new TreeMap<>();
        f.put("name", c.func().name());
        List<String> argTypes = new ArrayList<>();
        for (ValueType t : c.func().argTypes()) argTypes.add(t.apiName());
        f.put("argTypes", argTypes);
        f.put("variadic", c.func().variadic());
        f.put("returnType", c.func().returnType().apiName());
        m.put("func", f);
        List<Object> args = new ArrayList<>();
        for (Expr a : c.args()) args.add(toMap(a));
        m.put("args", args);
    }

    private static void selector(Map<String, Object> m, VectorSelector vs, String type) {
        m.put("type", type);
        m.put("name", vs.name() == null ? "" : vs.name());
        m.put("offset", vs.offsetMs());
        List<Object> matchers = new ArrayList<>();
        for (LabelMatcher lm : vs.matchers()) {
            Map<String, Object> one = new TreeMap<>();
            one.put("name", lm.name());
            one.put("value", lm.value());
            one.put("type", lm.type().op());
            matchers.add(one);
        }
        m.put("matchers", matchers);
        at(m, vs.at());
        m.put("anchored", vs.anchored());
        m.put("smoothed", vs.smoothed());
    }

    private static void at(Map<String, Object> m, AtModifier at) {
        m.put("timestamp", at != null && at.kind() == AtModifier.Kind.TIMESTAMP ? at.timestampMs() : null);
        m.put("startOrEnd", at == null || at.kind() == AtModifier.Kind.TIMESTAMP ? null
                : at.kind() == AtModifier.Kind.START ? "start" : "end");
    }

    /** Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}: {@code 1000000}, {@code 0.5}, {@code +Inf}. */
    static String plain(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        if (v == 0) return (1 / v < 0) ? "-0" : "0";
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }
}
