package io.pyrometer.cli;

import io.pyrometer.model.LabelMatcher;
import java.util.List;

/** Parses series selectors for API parameters; delegates to the PromQL parser. */
final class Selectors {
    private Selectors() {}

    static List<LabelMatcher> parse(String selector) {
        try {
            return io.pyrometer.promql.parser.Parser.parseMetricSelector(selector);
        } catch (io.pyrometer.promql.parser.ParseException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
