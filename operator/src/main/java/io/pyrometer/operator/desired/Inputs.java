package io.pyrometer.operator.desired;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.pyrometer.operator.crd.monitoring.v1.PodMonitor;
import io.pyrometer.operator.crd.monitoring.v1.PrometheusRule;
import io.pyrometer.operator.crd.monitoring.v1.ServiceMonitor;
import io.pyrometer.operator.crd.v1alpha1.AlertRoute;
import java.util.List;

/**
 * Everything besides the Prometheus itself that its desired state depends on: read from the
 * informer caches when reconciling, from manifest files when rendering.
 *
 * @param secrets only those referenced by the spec (additionalScrapeConfigs)
 */
public record Inputs(List<Namespace> namespaces, List<ServiceMonitor> serviceMonitors, List<PodMonitor> podMonitors,
        List<PrometheusRule> rules, List<AlertRoute> alertRoutes, List<Secret> secrets) {
    public static final Inputs EMPTY = new Inputs(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

    public Inputs {
        namespaces = List.copyOf(namespaces);
        serviceMonitors = List.copyOf(serviceMonitors);
        podMonitors = List.copyOf(podMonitors);
        rules = List.copyOf(rules);
        alertRoutes = List.copyOf(alertRoutes);
        secrets = List.copyOf(secrets);
    }
}
