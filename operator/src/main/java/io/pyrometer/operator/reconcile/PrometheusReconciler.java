package io.pyrometer.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.pyrometer.operator.crd.monitoring.v1.PodMonitor;
import io.pyrometer.operator.crd.monitoring.v1.PrometheusRule;
import io.pyrometer.operator.crd.monitoring.v1.ServiceMonitor;
import io.pyrometer.operator.crd.v1alpha1.AlertRoute;
import io.pyrometer.operator.crd.v1alpha1.Prometheus;
import io.pyrometer.operator.desired.Settings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The java-operator-sdk controller for {@code pyrometer.io/v1alpha1} Prometheus. The work is
 * {@link PrometheusApplier}'s; this class wires the triggers: the Prometheus itself, its
 * StatefulSets (by owner reference, for readiness), and every ServiceMonitor, PodMonitor,
 * PrometheusRule, AlertRoute and Namespace change, which re-reconciles every Prometheus (any of
 * them may select it; selection is cheap next to an apply, and unchanged applies are no-ops).
 */
@ControllerConfiguration(name = "prometheus")
public class PrometheusReconciler implements Reconciler<Prometheus>, Cleaner<Prometheus> {
    private final Settings settings;

    public PrometheusReconciler(Settings settings) { this.settings = settings; }

    @Override
    public UpdateControl<Prometheus> reconcile(Prometheus p, Context<Prometheus> ctx) {
        var result = new PrometheusApplier(ctx.getClient(), settings, Clock.systemUTC()).reconcile(p);
        UpdateControl<Prometheus> c = UpdateControl.noUpdate();
        return result.requeue() ? c.rescheduleAfter(Duration.ofSeconds(30)) : c;
    }

    @Override
    public DeleteControl cleanup(Prometheus p, Context<Prometheus> ctx) {
        new PrometheusApplier(ctx.getClient(), settings, Clock.systemUTC()).cleanup(p);
        return DeleteControl.defaultDelete();
    }

    @Override
    public List<EventSource<?, Prometheus>> prepareEventSources(EventSourceContext<Prometheus> context) {
        List<EventSource<?, Prometheus>> out = new ArrayList<>();
        out.add(new InformerEventSource<>(InformerEventSourceConfiguration.from(StatefulSet.class, Prometheus.class)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(Prometheus.class, false)).build(), context));
        for (Class<? extends HasMetadata> c : List.of(ServiceMonitor.class, PodMonitor.class, PrometheusRule.class,
                AlertRoute.class, Namespace.class)) {
            out.add(allPrimaries(c, context));
        }
        return out;
    }

    private static <R extends HasMetadata> InformerEventSource<R, Prometheus> allPrimaries(Class<R> type,
            EventSourceContext<Prometheus> context) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, Prometheus.class)
                .withName(type.getSimpleName())
                .withWatchAllNamespaces()
                .withSecondaryToPrimaryMapper(r -> context.getPrimaryCache().list()
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(), context);
    }

    static Set<ResourceID> none() { return Set.of(); }
}
