package io.pyrometer.promql.ast;

import io.pyrometer.model.LabelMatcher;
import java.util.List;

/**
 * An instant-vector selector such as {@code http_requests_total{job="api"} offset 5m @ 1000}.
 *
 * @param name       the metric name written before the braces; null if none (a quoted name inside
 *                   the braces, {@code {"my.metric"}}, is only a {@code __name__} matcher, as in Prometheus)
 * @param matchers   every matcher, including the {@code __name__} one derived from {@code name} (last)
 * @param offsetMs   the offset as written (negative allowed); when {@code offsetExpr} depends on the
 *                   query ({@code step()}, ...) it is 0 until {@link DurationExprs#resolve} fills it
 * @param offsetExpr the offset duration expression when one was written (experimental), else null
 * @param at         the {@code @} modifier, or null
 * @param anchored   the experimental {@code anchored} modifier on an instant selector
 *                   (on a range selector it is {@link MatrixSelector#anchored()})
 * @param smoothed   the experimental {@code smoothed} modifier on an instant selector ({@code metric smoothed})
 */
public record VectorSelector(String name, List<LabelMatcher> matchers, long offsetMs, DurationExpr offsetExpr,
                             AtModifier at, boolean anchored, boolean smoothed, PosRange pos) implements Expr {
    public VectorSelector {
        matchers = List.copyOf(matchers);
    }

    public VectorSelector(String name, List<LabelMatcher> matchers, long offsetMs, DurationExpr offsetExpr,
                          AtModifier at, PosRange pos) {
        this(name, matchers, offsetMs, offsetExpr, at, false, false, pos);
    }

    public VectorSelector(String name, List<LabelMatcher> matchers) {
        this(name, matchers, 0, null, null, false, false, PosRange.NONE);
    }

    public VectorSelector withOffset(long newOffsetMs, DurationExpr newOffsetExpr) {
        return new VectorSelector(name, matchers, newOffsetMs, newOffsetExpr, at, anchored, smoothed, pos);
    }

    public VectorSelector withAt(AtModifier newAt) {
        return new VectorSelector(name, matchers, offsetMs, offsetExpr, newAt, anchored, smoothed, pos);
    }

    public VectorSelector withPos(PosRange newPos) {
        return new VectorSelector(name, matchers, offsetMs, offsetExpr, at, anchored, smoothed, newPos);
    }

    @Override public ValueType type() { return ValueType.VECTOR; }
    @Override public String toString() { return Printer.print(this); }
}
