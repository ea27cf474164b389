package io.pyrometer.template;

import java.util.List;
import java.util.Map;

/** Runs a PromQL instant query for the {@code query} template function (Prometheus's QueryFunc). */
@FunctionalInterface
public interface QueryFunc {
    /** One element of an instant vector (or a scalar, with no labels) as templates see it. */
    record Sample(Map<String, String> labels, double value) {}

    /** Evaluates {@code expr} at the expander's time; throwing fails the template with the message. */
    List<Sample> query(String expr, long timestampMs) throws Exception;
}
