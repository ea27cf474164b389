package io.pyrometer.promql.ast;

import io.pyrometer.model.LabelMatcher;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The canonical single-line form of an expression, as Prometheus's {@code String()} prints it
 * (used by {@code /api/v1/format_query} and in error messages).
 *
 * <pre>{@code
 * Printer.print(expr);   // sum by (job) (rate(http_requests_total{job="api"}[5m] offset 1m))
 * }</pre>
 */
public final class Printer {
    private Printer() {}

    public static String print(Expr e) {
        StringBuilder sb = new StringBuilder();
        append(sb, e);
        return sb.toString();
    }

    public static void append(StringBuilder sb, Expr e) {
        switch (e) {
            case NumberLiteral n -> appendNumberLiteral(sb, n);
            case StringLiteral s -> appendQuoted(sb, s.value());
            case VectorSelector vs -> appendVectorSelector(sb, vs);
            case MatrixSelector ms -> appendMatrixSelector(sb, ms);
            case SubqueryExpr sq -> appendSubquery(sb, sq);
            case AggregateExpr a -> appendAggregate(sb, a);
            case BinaryExpr b -> appendBinary(sb, b);
            case Call c -> appendCall(sb, c);
            case ParenExpr p -> {
                sb.append('(');
                append(sb, p.expr());
                sb.append(')');
            }
            case UnaryExpr u -> {
                sb.append(u.op());
                append(sb, u.expr());
            }
            case StepInvariantExpr s -> append(sb, s.expr());
            case DurationExpr d -> appendDurationExpr(sb, d);
        }
    }

    private static void appendNumberLiteral(StringBuilder sb, NumberLiteral n) {
        if (n.duration() && Double.isFinite(n.value())) {
            long ms = Math.round(n.value() * 1000);
            if (ms < 0) sb.append('-');
            sb.append(formatDuration(Math.abs(ms)));
        } else {
            sb.append(formatNumber(n.value()));
        }
    }

    private static void appendVectorSelector(StringBuilder sb, VectorSelector vs) {
        appendSelectorBody(sb, vs);
        appendAtAndOffset(sb, vs.at(), vs.offsetMs(), vs.offsetExpr());
        if (vs.anchored()) sb.append(" anchored");
        if (vs.smoothed()) sb.append(" smoothed");
    }

    /**
     * The metric name and matchers, without {@code @} and offset: matchers sorted and joined by
     * {@code ,} as Prometheus prints them; a name that is not a legacy metric name goes first inside
     * the braces, quoted.
     */
    private static void appendSelectorBody(StringBuilder sb, VectorSelector vs) {
        String name = vs.name();
        boolean hasName = name != null && !name.isEmpty();
        List<String> parts = new ArrayList<>(vs.matchers().size());
        for (LabelMatcher m : vs.matchers()) {
            if (hasName && m.name().equals("__name__") && m.type() == LabelMatcher.Type.EQ && m.value().equals(name)) {
                continue;
            }
            StringBuilder one = new StringBuilder();
            appendLabelName(one, m.name());
            one.append(m.type().op());
            appendQuoted(one, m.value());
            parts.add(one.toString());
        }
        Collections.sort(parts);
        boolean quotedName = hasName && !isLegacyMetricName(name);
        if (hasName && !quotedName) sb.append(name);
        if (parts.isEmpty() && !quotedName) return;
        sb.append('{');
        if (quotedName) {
            appendQuoted(sb, name);
            if (!parts.isEmpty()) sb.append(',');
        }
        sb.append(String.join(",", parts));
        sb.append('}');
    }

    private static void appendMatrixSelector(StringBuilder sb, MatrixSelector ms) {
        appendSelectorBody(sb, ms.vs());
        sb.append('[');
        appendDuration(sb, ms.rangeMs(), ms.rangeExpr());
        sb.append(']');
        if (ms.anchored()) sb.append(" anchored");
        if (ms.smoothed()) sb.append(" smoothed");
        appendAtAndOffset(sb, ms.vs().at(), ms.vs().offsetMs(), ms.vs().offsetExpr());
    }

    private static void appendSubquery(StringBuilder sb, SubqueryExpr sq) {
        append(sb, sq.expr());
        sb.append('[');
        appendDuration(sb, sq.rangeMs(), sq.rangeExpr());
        sb.append(':');
        if (sq.stepExpr() != null || sq.stepMs() != 0) appendDuration(sb, sq.stepMs(), sq.stepExpr());
        sb.append(']');
        appendAtAndOffset(sb, sq.at(), sq.offsetMs(), sq.offsetExpr());
    }

    private static void appendDuration(StringBuilder sb, long ms, DurationExpr expr) {
        if (expr != null) {
            appendDurationExpr(sb, expr);
        } else {
            if (ms < 0) sb.append('-');
            sb.append(formatDuration(Math.abs(ms)));
        }
    }

    private static void appendAtAndOffset(StringBuilder sb, AtModifier at, long offsetMs, DurationExpr offsetExpr) {
        if (at != null) {
            switch (at.kind()) {
                case START -> sb.append(" @ start()");
                case END -> sb.append(" @ end()");
                case TIMESTAMP -> sb.append(" @ ").append(String.format(Locale.ROOT, "%.3f", at.timestampMs() / 1000.0));
            }
        }
        if (offsetExpr != null) {
            sb.append(" offset ");
            appendDurationExpr(sb, offsetExpr);
        } else if (offsetMs > 0) {
            sb.append(" offset ").append(formatDuration(offsetMs));
        } else if (offsetMs < 0) {
            sb.append(" offset -").append(formatDuration(-offsetMs));
        }
    }

    private static void appendAggregate(StringBuilder sb, AggregateExpr a) {
        sb.append(a.op().text());
        if (a.without()) {
            sb.append(" without (");
            appendLabelList(sb, a.grouping());
            sb.append(") ");
        } else if (!a.grouping().isEmpty()) {
            sb.append(" by (");
            appendLabelList(sb, a.grouping());
            sb.append(") ");
        }
        sb.append('(');
        if (a.param() != null) {
            append(sb, a.param());
            sb.append(", ");
        }
        append(sb, a.expr());
        sb.append(')');
    }

    private static void appendBinary(StringBuilder sb, BinaryExpr b) {
        append(sb, b.lhs());
        sb.append(' ').append(b.op().text());
        if (b.returnBool()) sb.append(" bool");
        appendMatching(sb, b.matching());
        sb.append(' ');
        append(sb, b.rhs());
    }

    /** The {@code on/ignoring}, {@code group_x} and {@code fill} part of a binary expression. */
    static void appendMatching(StringBuilder sb, VectorMatching vm) {
        if (vm == null) return;
        boolean grouped = vm.card() == VectorMatching.Card.MANY_TO_ONE || vm.card() == VectorMatching.Card.ONE_TO_MANY;
        if (!vm.matchingLabels().isEmpty() || vm.on() || grouped) {
            sb.append(vm.on() ? " on (" : " ignoring (");
            appendLabelList(sb, vm.matchingLabels());
            sb.append(')');
            if (grouped) {
                sb.append(vm.card() == VectorMatching.Card.MANY_TO_ONE ? " group_left (" : " group_right (");
                appendLabelList(sb, vm.include());
                sb.append(')');
            }
        }
        VectorMatching.FillValues fill = vm.fill();
        if (fill == null) return;
        if (fill.lhs() != null && fill.rhs() != null && fill.lhs().equals(fill.rhs())) {
            sb.append(" fill(").append(formatNumber(fill.lhs())).append(')');
            return;
        }
        if (fill.lhs() != null) sb.append(" fill_left(").append(formatNumber(fill.lhs())).append(')');
        if (fill.rhs() != null) sb.append(" fill_right(").append(formatNumber(fill.rhs())).append(')');
    }

    private static void appendCall(StringBuilder sb, Call c) {
        sb.append(c.func().name()).append('(');
        List<Expr> args = c.args();
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) sb.append(", ");
            append(sb, args.get(i));
        }
        sb.append(')');
    }

    private static void appendDurationExpr(StringBuilder sb, DurationExpr d) {
        if (d.wrapped()) sb.append('(');
        switch (d.op()) {
            case STEP -> sb.append("step()");
            case RANGE -> sb.append("range()");
            case START -> sb.append("start()");
            case END -> sb.append("end()");
            case MIN_OF, MAX_OF -> {
                sb.append(d.op().text()).append('(');
                append(sb, d.lhs());
                sb.append(", ");
                append(sb, d.rhs());
                sb.append(')');
            }
            default -> {
                if (d.lhs() == null) {
                    if (d.op() == DurationExpr.Op.SUB) sb.append('-'); // unary plus prints as nothing
                } else {
                    append(sb, d.lhs());
                    sb.append(' ').append(d.op().text()).append(' ');
                }
                append(sb, d.rhs());
            }
        }
        if (d.wrapped()) sb.append(')');
    }

    static void appendLabelList(StringBuilder sb, List<String> labels) {
        for (int i = 0; i < labels.size(); i++) {
            if (i > 0) sb.append(", ");
            appendLabelName(sb, labels.get(i));
        }
    }

    private static void appendLabelName(StringBuilder sb, String name) {
        if (isLegacyLabelName(name)) sb.append(name);
        else appendQuoted(sb, name);
    }

    /**
     * A float as Go's {@code fmt.Sprint} prints it (shortest {@code %g}): {@code 1}, {@code 0.5},
     * {@code 100000}, {@code 1e+06}, {@code 1.5e-07}, {@code +Inf}, {@code NaN}.
     */
    public static String formatNumber(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (v == Double.POSITIVE_INFINITY) return "+Inf";
        if (v == Double.NEGATIVE_INFINITY) return "-Inf";
        if (v == 0) return (1 / v < 0) ? "-0" : "0";
        BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int exp = digits.length() - 1 - d.scale(); // decimal exponent of the first digit
        StringBuilder sb = new StringBuilder();
        if (v < 0) sb.append('-');
        if (exp < -4 || exp >= 6) {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) sb.append('.').append(digits, 1, digits.length());
            sb.append('e').append(exp < 0 ? '-' : '+');
            int ae = Math.abs(exp);
            if (ae < 10) sb.append('0');
            sb.append(ae);
        } else {
            sb.append(d.toPlainString());
        }
        return sb.toString();
    }

    /**
     * A non-negative duration as Prometheus's {@code model.Duration.String()}: {@code 1h30m},
     * {@code 90d}, {@code 0s}; years and weeks only when they divide the duration exactly.
     */
    public static String formatDuration(long ms) {
        if (ms == 0) return "0s";
        StringBuilder r = new StringBuilder();
        long rest = ms;
        long year = 1000L * 60 * 60 * 24 * 365;
        long week = 1000L * 60 * 60 * 24 * 7;
        if (rest % year == 0) {
            r.append(rest / year).append('y');
            return r.toString();
        }
        if (rest % week == 0) {
            r.append(rest / week).append('w');
            return r.toString();
        }
        rest = unit(r, rest, 1000L * 60 * 60 * 24, "d");
        rest = unit(r, rest, 1000L * 60 * 60, "h");
        rest = unit(r, rest, 1000L * 60, "m");
        rest = unit(r, rest, 1000L, "s");
        unit(r, rest, 1, "ms");
        return r.toString();
    }

    private static long unit(StringBuilder r, long ms, long mult, String name) {
        long v = ms / mult;
        if (v > 0) {
            r.append(v).append(name);
            return ms - v * mult;
        }
        return ms;
    }

    /** Go's {@code strconv.Quote}: double quotes, escapes for control and non-printable characters. */
    public static void appendQuoted(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case 7 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 11 -> sb.append("\\v");
                default -> appendCodePoint(sb, cp);
            }
        }
        sb.append('"');
    }

    private static void appendCodePoint(StringBuilder sb, int cp) {
        if (cp < 0x20 || cp == 0x7f) {
            sb.append(String.format("\\x%02x", cp));
        } else if (cp >= 0xDC80 && cp <= 0xDCFF) {
            sb.append(String.format("\\x%02x", cp & 0xFF)); // an invalid byte kept by the parser (surrogate escape)
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            sb.append("\\ufffd"); // any other lone surrogate is not valid UTF-8
        } else if (cp < 0x80 || isPrintable(cp)) {
            sb.appendCodePoint(cp);
        } else if (cp < 0x10000) {
            sb.append(String.format("\\u%04x", cp));
        } else {
            sb.append(String.format("\\U%08x", cp));
        }
    }

    private static boolean isPrintable(int cp) {
        if (cp == ' ') return true;
        int t = Character.getType(cp);
        return switch (t) {
            case Character.UNASSIGNED, Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE,
                 Character.SURROGATE, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
                 Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }

    /** {@code [a-zA-Z_:][a-zA-Z0-9_:]*}. */
    public static boolean isLegacyMetricName(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
            if (!ok) return false;
        }
        return true;
    }

    /** {@code [a-zA-Z_][a-zA-Z0-9_]*}. */
    public static boolean isLegacyLabelName(String s) {
        return io.pyrometer.model.relabel.RelabelConfig.isValidLabelName(s);
    }
}
