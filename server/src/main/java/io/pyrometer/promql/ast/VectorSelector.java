package io.pyrometer.promql.ast;

import io.pyrometer.model.LabelMatcher;
import java.util.List;

/**
 * An instant-vector selector such as {@code http_requests_total{job="api"} offset 5m @ 1000}.
 *
 * @param name       the metric name written before the braces (or in them as a bare quoted string); null if none
 * @param matchers   every matcher, including the {@code __name__} one derived from {@code name}
 * @param offsetMs   the offset as written (negative allowed); when {@code offsetExpr} depends on
 *                   {@code step()}/{@code range()} it is 0 until {@link DurationExprs#resolve} fills it
 * @param offsetExpr the offset duration expression when one was written (experimental), else null
 * @param at         the {@code @} modifier, or null
 */
public record VectorSelector(String name, List<LabelMatcher> matchers, long offsetMs, DurationExpr offsetExpr,
                             AtModifier at, PosRange pos) implements Expr {
    public VectorSelector {
        matchers = List.copyOf(matchers);
    }

    public VectorSelector(String name, List<LabelMatcher> matchers) {
        this(name, matchers, 0, null, null, PosRange.NONE);
    }

    public VectorSelector withOffset(long newOffsetMs, DurationExpr newOffsetExpr) {
        return new VectorSelector(name, matchers, newOffsetMs, newOffsetExpr, at, pos);
    }

    public VectorSelector withAt(AtModifier newAt) {
        return new VectorSelector(name, matchers, offsetMs, offsetExpr, newAt, pos);
    }

    @Override public ValueType type() { return ValueType.VECTOR; }
    @Override public String toString() { return Printer.print(this); }
}
