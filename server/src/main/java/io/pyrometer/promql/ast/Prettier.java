package io.pyrometer.promql.ast;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The multi-line form {@code /api/v1/format_query} returns (Prometheus's {@code Prettify}): a node
 * whose one-line form is longer than the limit (100 bytes) is split, its children indented by two
 * spaces per level; binary operators stand alone on their line between their operands.
 *
 * <pre>{@code
 * Prettier.prettify(expr);
 * // sum by (job) (
 * //   rate(http_requests_total{...}[5m])
 * // )
 * }</pre>
 */
public final class Prettier {
    public static final int MAX_CHARACTERS_PER_LINE = 100;
    private static final String INDENT = "  ";

    private final int maxCharactersPerLine;

    private Prettier(int maxCharactersPerLine) { this.maxCharactersPerLine = maxCharactersPerLine; }

    public static String prettify(Expr e) { return prettify(e, MAX_CHARACTERS_PER_LINE); }

    /** With another line limit (Prometheus's tests use 10). */
    public static String prettify(Expr e, int maxCharactersPerLine) {
        return new Prettier(maxCharactersPerLine).pretty(e, 0);
    }

    private boolean needsSplit(Expr e) {
        return Printer.print(e).getBytes(StandardCharsets.UTF_8).length > maxCharactersPerLine;
    }

    private static String indent(int level) { return INDENT.repeat(level); }

    private String pretty(Expr e, int level) {
        return switch (e) {
            case AggregateExpr a -> aggregate(a, level);
            case BinaryExpr b -> binary(b, level);
            case Call c -> call(c, level);
            case ParenExpr p -> needsSplit(p) ? indent(level) + "(\n" + pretty(p.expr(), level + 1) + "\n" + indent(level) + ")"
                    : indent(level) + Printer.print(p);
            case SubqueryExpr sq -> needsSplit(sq) ? pretty(sq.expr(), level) + subquerySuffix(sq) : Printer.print(sq);
            case UnaryExpr u -> indent(level) + u.op() + pretty(u.expr(), level).strip();
            case StepInvariantExpr s -> pretty(s.expr(), level);
            case DurationExpr d -> Printer.print(d);
            case VectorSelector vs -> indent(level) + Printer.print(vs);
            case MatrixSelector ms -> indent(level) + Printer.print(ms);
            case NumberLiteral n -> indent(level) + Printer.print(n);
            case StringLiteral s -> indent(level) + Printer.print(s);
        };
    }

    private String aggregate(AggregateExpr a, int level) {
        if (!needsSplit(a)) return indent(level) + Printer.print(a);
        StringBuilder sb = new StringBuilder(indent(level)).append(a.op().text());
        if (a.without()) {
            sb.append(" without (");
            Printer.appendLabelList(sb, a.grouping());
            sb.append(") ");
        } else if (!a.grouping().isEmpty()) {
            sb.append(" by (");
            Printer.appendLabelList(sb, a.grouping());
            sb.append(") ");
        }
        sb.append("(\n");
        if (a.param() != null) sb.append(pretty(a.param(), level + 1)).append(",\n");
        return sb.append(pretty(a.expr(), level + 1)).append('\n').append(indent(level)).append(')').toString();
    }

    private String binary(BinaryExpr b, int level) {
        if (!needsSplit(b)) return indent(level) + Printer.print(b);
        StringBuilder sb = new StringBuilder(pretty(b.lhs(), level + 1)).append('\n').append(indent(level)).append(b.op().text());
        if (b.returnBool()) sb.append(" bool");
        Printer.appendMatching(sb, b.matching());
        return sb.append('\n').append(pretty(b.rhs(), level + 1)).toString();
    }

    private String call(Call c, int level) {
        if (!needsSplit(c)) return indent(level) + Printer.print(c);
        StringBuilder sb = new StringBuilder(indent(level)).append(c.func().name()).append("(\n");
        List<Expr> args = c.args();
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) sb.append(",\n");
            sb.append(pretty(args.get(i), level + 1));
        }
        return sb.append('\n').append(indent(level)).append(')').toString();
    }

    /** {@code [range:step] @ t offset o}: the subquery's one-line form after its inner expression. */
    private static String subquerySuffix(SubqueryExpr sq) {
        String whole = Printer.print(sq);
        return whole.substring(Printer.print(sq.expr()).length());
    }
}
