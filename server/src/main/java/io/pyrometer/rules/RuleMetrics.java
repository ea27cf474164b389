package io.pyrometer.rules;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The rule manager's self-metrics under Prometheus's names ({@code rules/group.go}
 * {@code NewGroupMetrics}); per-group series carry {@code rule_group="<file>;<group>"}.
 */
public final class RuleMetrics {
    final Summary evalDuration;
    final Summary iterationDuration;
    final Counter iterationsMissed;
    final Counter iterationsScheduled;
    final Counter evalTotal;
    final Counter evalFailures;
    final Gauge groupInterval;
    final Gauge groupLastEvalTime;
    final Gauge groupLastDuration;
    final Gauge groupLastRuleDurationSum;
    final Gauge groupLastRestoreDuration;
    final Gauge groupRules;
    final Gauge groupSamples;

    public RuleMetrics(PrometheusRegistry r) {
        evalDuration = Summary.builder().name("prometheus_rule_evaluation_duration_seconds")
                .help("The duration for a rule to execute.").quantile(0.5, 0.05).quantile(0.9, 0.01).quantile(0.99, 0.001).register(r);
        iterationDuration = Summary.builder().name("prometheus_rule_group_duration_seconds")
                .help("The duration of rule group evaluations.").quantile(0.01, 0.001).quantile(0.05, 0.005)
                .quantile(0.5, 0.05).quantile(0.9, 0.01).quantile(0.99, 0.001).register(r);
        iterationsMissed = counter(r, "prometheus_rule_group_iterations_missed_total",
                "The total number of rule group evaluations missed due to slow rule group evaluation.");
        iterationsScheduled = counter(r, "prometheus_rule_group_iterations_total",
                "The total number of scheduled rule group evaluations, whether executed or missed.");
        evalTotal = counter(r, "prometheus_rule_evaluations_total", "The total number of rule evaluations.");
        evalFailures = counter(r, "prometheus_rule_evaluation_failures_total", "The total number of rule evaluation failures.");
        groupInterval = gauge(r, "prometheus_rule_group_interval_seconds", "The interval of a rule group.");
        groupLastEvalTime = gauge(r, "prometheus_rule_group_last_evaluation_timestamp_seconds",
                "The timestamp of the last rule group evaluation in seconds.");
        groupLastDuration = gauge(r, "prometheus_rule_group_last_duration_seconds", "The duration of the last rule group evaluation.");
        groupLastRuleDurationSum = gauge(r, "prometheus_rule_group_last_rule_duration_sum_seconds",
                "The sum of time in seconds it took to evaluate each rule in the group regardless of concurrency.");
        groupLastRestoreDuration = gauge(r, "prometheus_rule_group_last_restore_duration_seconds",
                "The duration of the last alert rules alerts restoration using the `ALERTS_FOR_STATE` series.");
        groupRules = gauge(r, "prometheus_rule_group_rules", "The number of rules.");
        groupSamples = gauge(r, "prometheus_rule_group_last_evaluation_samples",
                "The number of samples returned during the last rule group evaluation.");
    }

    /** Drops the per-group series of a removed group, as Prometheus does on reload. */
    void remove(String groupKey) {
        iterationsMissed.remove(groupKey);
        iterationsScheduled.remove(groupKey);
        evalTotal.remove(groupKey);
        evalFailures.remove(groupKey);
        groupInterval.remove(groupKey);
        groupLastEvalTime.remove(groupKey);
        groupLastDuration.remove(groupKey);
        groupLastRuleDurationSum.remove(groupKey);
        groupLastRestoreDuration.remove(groupKey);
        groupRules.remove(groupKey);
        groupSamples.remove(groupKey);
    }

    private static Counter counter(PrometheusRegistry r, String name, String help) {
        return Counter.builder().name(name).help(help).labelNames("rule_group").register(r);
    }

    private static Gauge gauge(PrometheusRegistry r, String name, String help) {
        return Gauge.builder().name(name).help(help).labelNames("rule_group").register(r);
    }
}
