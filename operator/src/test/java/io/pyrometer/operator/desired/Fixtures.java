package io.pyrometer.operator.desired;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.pyrometer.operator.cli.Manifests;
import io.pyrometer.operator.crd.monitoring.v1.PodMonitor;
import io.pyrometer.operator.crd.monitoring.v1.PrometheusRule;
import io.pyrometer.operator.crd.monitoring.v1.ServiceMonitor;
import io.pyrometer.operator.crd.v1alpha1.Prometheus;
import java.util.ArrayList;
import java.util.List;

/** Manifests written inline for tests. */
public final class Fixtures {
    private Fixtures() {}

    public static List<HasMetadata> parse(String yaml) {
        try {
            return Manifests.parse(yaml, "test.yaml");
        } catch (Manifests.ManifestException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    public static Prometheus prometheus(String yaml) {
        return (Prometheus) parse(yaml).getFirst();
    }

    public static Inputs inputs(String yaml) {
        List<HasMetadata> all = parse(yaml);
        List<io.fabric8.kubernetes.api.model.Namespace> ns = new ArrayList<>();
        List<ServiceMonitor> sms = new ArrayList<>();
        List<PodMonitor> pms = new ArrayList<>();
        List<PrometheusRule> rules = new ArrayList<>();
        List<io.fabric8.kubernetes.api.model.Secret> secrets = new ArrayList<>();
        for (HasMetadata r : all) {
            switch (r) {
                case io.fabric8.kubernetes.api.model.Namespace n -> ns.add(n);
                case ServiceMonitor m -> sms.add(m);
                case PodMonitor m -> pms.add(m);
                case PrometheusRule m -> rules.add(m);
                case io.fabric8.kubernetes.api.model.Secret s -> secrets.add(s);
                default -> { }
            }
        }
        return new Inputs(ns, sms, pms, rules, List.of(), secrets);
    }
}
