package io.pyrometer.rules;

import io.pyrometer.promql.engine.Value;
import java.util.List;

/**
 * Evaluates a rule's expression at one instant (Prometheus's {@code rules.QueryFunc}): a scalar
 * result becomes one sample without labels; any other non-vector result is an error.
 */
@FunctionalInterface
public interface QueryFunction {
    List<Value.Sample> query(String expr, long timestampMs) throws Exception;
}
