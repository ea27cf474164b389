package io.pyrometer.promql.engine;

import java.util.List;

/**
 * What a query returns: the value plus the annotations Prometheus 3 attaches to the response
 * ({@code warnings} and {@code infos}, each already formatted as {@code PromQL warning: ... (1:5)}).
 */
public record QueryResult(Value value, List<String> warnings, List<String> infos, Stats stats) {

    /** Query statistics: samples loaded in total and at the peak, as in Prometheus's {@code stats=all}. */
    public record Stats(long totalSamples, long peakSamples) {}
}
