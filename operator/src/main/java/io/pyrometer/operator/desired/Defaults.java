package io.pyrometer.operator.desired;

import io.pyrometer.operator.crd.v1alpha1.PrometheusSpec;

/**
 * The spec with every default filled in: a pure function, never written back to the resource
 * (the operator does not write a user's spec). Defaults follow prometheus-operator's where it
 * has one (retention 24h, scrape and evaluation interval 30s, one shard, one replica).
 */
public record Defaults(String version, String image, int shards, int replicas, String retention, String retentionSize,
        String scrapeInterval, String evaluationInterval, boolean paused, int routerReplicas) {

    public static Defaults of(PrometheusSpec s, Settings settings) {
        PrometheusSpec spec = s == null ? new PrometheusSpec() : s;
        String version = blank(spec.version) ? settings.defaultVersion() : spec.version;
        String image = blank(spec.image) ? settings.defaultImage() + ":" + version : spec.image;
        return new Defaults(version, image,
                spec.shards == null || spec.shards < 1 ? 1 : spec.shards,
                spec.replicas == null || spec.replicas < 0 ? 1 : spec.replicas,
                blank(spec.retention) ? "24h" : spec.retention,
                blank(spec.retentionSize) ? null : spec.retentionSize,
                blank(spec.scrapeInterval) ? "30s" : spec.scrapeInterval,
                blank(spec.evaluationInterval) ? "30s" : spec.evaluationInterval,
                spec.paused != null && spec.paused,
                spec.router == null || spec.router.replicas == null ? 0 : spec.router.replicas);
    }

    private static boolean blank(String s) { return s == null || s.isBlank(); }
}
