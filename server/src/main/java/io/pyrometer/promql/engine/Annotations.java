package io.pyrometer.promql.engine;

import io.pyrometer.model.Labels;
import io.pyrometer.promql.ast.PosRange;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Warnings and infos collected while evaluating one query, deduplicated and formatted as
 * Prometheus's API does: {@code PromQL info: <text> (<line>:<column>)}.
 */
final class Annotations {
    private final String query;
    private final Set<String> warnings = new LinkedHashSet<>();
    private final Set<String> infos = new LinkedHashSet<>();

    Annotations(String query) { this.query = query; }

    void warn(String text, PosRange pos) { warnings.add("PromQL warning: " + text + position(pos)); }

    void info(String text, PosRange pos) { infos.add("PromQL info: " + text + position(pos)); }

    List<String> warnings() { return new ArrayList<>(warnings); }

    List<String> infos() { return new ArrayList<>(infos); }

    private String position(PosRange pos) {
        if (query == null || pos == null || pos.start() < 0 || pos.start() > query.length()) return "";
        int line = 1, lastBreak = -1;
        for (int i = 0; i < pos.start(); i++) {
            if (query.charAt(i) == '\n') {
                line++;
                lastBreak = i;
            }
        }
        return " (" + line + ":" + (pos.start() - lastBreak) + ")";
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder();
        Labels.appendQuoted(sb, s);
        return sb.toString();
    }

    // The texts, named as Prometheus's util/annotations constructors.

    void possibleNonCounter(String metric, PosRange pos) {
        info("metric might not be a counter, name does not end in _total/_sum/_count/_bucket: " + quote(metric), pos);
    }

    void invalidQuantile(double q, PosRange pos) {
        warn("quantile value should be between 0 and 1, got " + GoFormat.g(q), pos);
    }

    void invalidRatio(double r, double to, PosRange pos) {
        warn("ratio value should be between -1 and 1, got " + GoFormat.g(r) + ", capping to " + GoFormat.g(to), pos);
    }

    void badBucketLabel(String metric, String le, PosRange pos) {
        String t = "bucket label \"le\" is missing or has a malformed value of " + quote(le);
        warn(metric.isEmpty() ? t : t + " for metric name " + quote(metric), pos);
    }

    void forcedMonotonicity(String metric, PosRange pos) {
        String t = "input to histogram_quantile needed to be fixed for monotonicity "
                + "(see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile)";
        info(metric.isEmpty() ? t : t + " for metric name " + quote(metric), pos);
    }

    void sortInRangeQuery(PosRange pos) {
        warn("sort is ineffective for range queries since results are always ordered by labels", pos);
    }
}
