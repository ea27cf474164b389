package io.pyrometer.operator.reconcile;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.CustomResource;
import io.pyrometer.operator.crd.Condition;
import io.pyrometer.operator.crd.monitoring.v1.ConfigResourceStatus;
import io.pyrometer.operator.crd.monitoring.v1.PodMonitor;
import io.pyrometer.operator.crd.monitoring.v1.PrometheusRule;
import io.pyrometer.operator.crd.monitoring.v1.ServiceMonitor;
import io.pyrometer.operator.crd.v1alpha1.AlertRoute;
import io.pyrometer.operator.crd.v1alpha1.Prometheus;
import io.pyrometer.operator.crd.v1alpha1.PrometheusStatus;
import io.pyrometer.operator.desired.Defaults;
import io.pyrometer.operator.desired.Desired;
import io.pyrometer.operator.desired.Inputs;
import io.pyrometer.operator.desired.Names;
import io.pyrometer.operator.desired.PrometheusDesired;
import io.pyrometer.operator.desired.Settings;
import io.pyrometer.operator.desired.Verdict;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.logging.Logger;

/**
 * One reconciliation of a Prometheus against a cluster: read the inputs, compute
 * {@link PrometheusDesired#desired}, server-side apply every object (field manager
 * {@value #FIELD_MANAGER}, conflicts forced: the operator owns these objects), recreate a
 * StatefulSet whose immutable fields changed (its PVCs stay: the claim retention policy is
 * Retain), delete what is no longer desired (retired shards' StatefulSets, not their PVCs), write
 * {@code status.bindings} on the selected resources, record Warning Events for rejected rules and
 * patch {@code status} when it changed. The user's spec is never written.
 *
 * <p>Used by {@link PrometheusReconciler} (java-operator-sdk) and directly by tests against the
 * fabric8 mock API server.
 */
public final class PrometheusApplier {
    public static final String FIELD_MANAGER = "pyrometer-operator";
    private static final Logger LOG = Logger.getLogger(PrometheusApplier.class.getName());

    private final KubernetesClient client;
    private final Settings settings;
    private final PrometheusDesired desired;
    private final Clock clock;

    public PrometheusApplier(KubernetesClient client, Settings settings, Clock clock) {
        this.client = client;
        this.settings = settings;
        this.desired = new PrometheusDesired(settings);
        this.clock = clock;
    }

    /** What one reconciliation did. {@code requeue}: something is still settling (a StatefulSet being recreated). */
    public record Result(Desired desired, PrometheusStatus status, boolean requeue) {}

    public Result reconcile(Prometheus p) {
        String ns = p.getMetadata().getNamespace();
        String name = p.getMetadata().getName();
        Inputs in = readInputs(p);
        Desired d = desired.desired(p, in);
        Defaults defs = Defaults.of(p.getSpec(), settings);
        String applyError = null;
        boolean requeue = false;
        if (!defs.paused()) {
            try {
                requeue = apply(p, d);
                prune(p, d);
            } catch (KubernetesClientException e) {
                applyError = "applying the desired objects failed: " + e.getMessage()
                        + " (check the operator's RBAC and the API server; retrying)";
                requeue = true;
                LOG.warning(() -> "msg=\"apply failed\" prometheus=" + ns + "/" + name + " err=\"" + e.getMessage() + "\"");
            }
        }
        writeBindings(p, d, in);
        List<StatefulSet> observed = client.apps().statefulSets().inNamespace(ns).withLabels(Names.selector(name)).list().getItems();
        PrometheusStatus status = StatusAggregator.compute(p, defs, d, observed, applyError, clock);
        if (!StatusAggregator.same(p.getStatus(), status)) {
            Prometheus copy = new Prometheus();
            copy.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(ns).build());
            copy.setStatus(status);
            client.resources(Prometheus.class).inNamespace(ns).resource(copy).patchStatus();
        }
        return new Result(d, status, requeue || !"True".equals(status.conditions.get(1).status));
    }

    /** Removes what garbage collection cannot: cluster-scoped RBAC and bindings in other namespaces, our status bindings. */
    public void cleanup(Prometheus p) {
        String owner = Names.ownerValue(p.getMetadata().getNamespace(), p.getMetadata().getName());
        client.rbac().clusterRoleBindings().withLabel(Names.OWNER_LABEL, owner).delete();
        client.rbac().clusterRoles().withLabel(Names.OWNER_LABEL, owner).delete();
        client.rbac().roleBindings().inAnyNamespace().withLabel(Names.OWNER_LABEL, owner).delete();
        Inputs in = readInputs(p);
        List<CustomResource<?, ConfigResourceStatus>> all = new ArrayList<>();
        all.addAll(in.serviceMonitors());
        all.addAll(in.podMonitors());
        all.addAll(in.rules());
        for (CustomResource<?, ConfigResourceStatus> r : all) {
            if (Bindings.hasBinding(r, r.getStatus(), p)) patchBinding(r, Bindings.withBinding(r.getStatus(), p, null, clock));
        }
    }

    Inputs readInputs(Prometheus p) {
        List<Secret> secrets = new ArrayList<>();
        var ref = p.getSpec() == null ? null : p.getSpec().additionalScrapeConfigs;
        if (ref != null && ref.getName() != null) {
            Secret s = client.secrets().inNamespace(p.getMetadata().getNamespace()).withName(ref.getName()).get();
            if (s != null) secrets.add(s);
        }
        return new Inputs(client.namespaces().list().getItems(),
                client.resources(ServiceMonitor.class).inAnyNamespace().list().getItems(),
                client.resources(PodMonitor.class).inAnyNamespace().list().getItems(),
                client.resources(PrometheusRule.class).inAnyNamespace().list().getItems(),
                client.resources(AlertRoute.class).inAnyNamespace().list().getItems(),
                secrets);
    }

    /** Applies every desired object; returns true when a StatefulSet had to be deleted for recreation. */
    private boolean apply(Prometheus p, Desired d) {
        boolean recreating = false;
        for (HasMetadata o : d.objects()) {
            if (o instanceof StatefulSet sts) {
                StatefulSet existing = client.apps().statefulSets().inNamespace(sts.getMetadata().getNamespace())
                        .withName(sts.getMetadata().getName()).get();
                if (existing != null && immutableFieldsDiffer(existing, sts)) {
                    LOG.info(() -> "msg=\"recreating StatefulSet: immutable fields changed, PVCs kept\" statefulset="
                            + sts.getMetadata().getNamespace() + "/" + sts.getMetadata().getName());
                    // Background: the StatefulSet goes at once, garbage collection then deletes its pods and the new
                    // StatefulSet recreates them on the same PVCs (Foreground would block the re-create until all pods are gone).
                    client.resource(existing).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
                    recreating = true;
                    try {
                        serverSideApply(sts);
                    } catch (KubernetesClientException e) {
                        if (e.getCode() != 409) throw e; // still terminating: the next reconciliation creates it
                    }
                    continue;
                }
            }
            serverSideApply(o);
        }
        return recreating;
    }

    /**
     * Server-side apply. Every API server since Kubernetes 1.22 supports it; one that does not
     * (the fabric8 mock server in CRUD mode the tests use answers 404 for a new object and 415 for
     * the apply content type) gets a create or a replace, which is what apply would have done for
     * objects this operator alone writes.
     */
    private void serverSideApply(HasMetadata o) {
        try {
            client.resource(o).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                client.resource(o).create();
            } else if (e.getCode() == 415) {
                client.resource(o).update();
            } else {
                throw e;
            }
        }
    }

    /** The StatefulSet fields Kubernetes refuses to update (apps/v1 validation): selector, serviceName, podManagementPolicy, claim templates. */
    static boolean immutableFieldsDiffer(StatefulSet have, StatefulSet want) {
        var h = have.getSpec();
        var w = want.getSpec();
        if (!Objects.equals(h.getSelector().getMatchLabels(), w.getSelector().getMatchLabels())) return true;
        if (!Objects.equals(h.getServiceName(), w.getServiceName())) return true;
        if (h.getPodManagementPolicy() != null && !Objects.equals(h.getPodManagementPolicy(), w.getPodManagementPolicy())) return true;
        List<PersistentVolumeClaim> hc = h.getVolumeClaimTemplates() == null ? List.of() : h.getVolumeClaimTemplates();
        List<PersistentVolumeClaim> wc = w.getVolumeClaimTemplates() == null ? List.of() : w.getVolumeClaimTemplates();
        if (hc.size() != wc.size()) return true;
        for (int i = 0; i < hc.size(); i++) {
            var a = hc.get(i);
            var b = wc.get(i);
            if (!Objects.equals(a.getMetadata().getName(), b.getMetadata().getName())) return true;
            var as = a.getSpec();
            var bs = b.getSpec();
            if (bs == null) continue;
            if (bs.getStorageClassName() != null && !Objects.equals(as.getStorageClassName(), bs.getStorageClassName())) return true;
            if (bs.getAccessModes() != null && !Objects.equals(as.getAccessModes(), bs.getAccessModes())) return true;
            if (bs.getResources() != null && bs.getResources().getRequests() != null
                    && (as.getResources() == null || !Objects.equals(as.getResources().getRequests(), bs.getResources().getRequests()))) {
                return true;
            }
        }
        return false;
    }

    /** Deletes owned objects that are no longer desired: retired shards (their PVCs stay), extra rule ConfigMaps, stale RBAC. */
    private void prune(Prometheus p, Desired d) {
        String ns = p.getMetadata().getNamespace();
        String name = p.getMetadata().getName();
        Map<String, String> mine = Names.common(name);
        Set<String> keep = new HashSet<>();
        for (HasMetadata o : d.objects()) keep.add(o.getKind() + "/" + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName());
        List<HasMetadata> owned = new ArrayList<>();
        owned.addAll(client.apps().statefulSets().inNamespace(ns).withLabels(mine).list().getItems());
        owned.addAll(client.policy().v1().podDisruptionBudget().inNamespace(ns).withLabels(mine).list().getItems());
        owned.addAll(client.configMaps().inNamespace(ns).withLabels(mine).list().getItems());
        owned.addAll(client.rbac().roleBindings().inNamespace(ns).withLabels(mine).list().getItems());
        String owner = Names.ownerValue(ns, name);
        owned.addAll(client.rbac().roleBindings().inAnyNamespace().withLabel(Names.OWNER_LABEL, owner).list().getItems());
        owned.addAll(client.rbac().clusterRoleBindings().withLabel(Names.OWNER_LABEL, owner).list().getItems());
        for (HasMetadata o : owned) {
            String kind = o.getKind() == null ? o.getClass().getSimpleName() : o.getKind();
            if (!keep.contains(kind + "/" + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName())) {
                LOG.info(() -> "msg=\"deleting object no longer desired\" kind=" + kind + " name="
                        + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName());
                client.resource(o).delete();
            }
        }
    }

    private void writeBindings(Prometheus p, Desired d, Inputs in) {
        Map<String, Verdict> byKey = new HashMap<>();
        for (Verdict v : d.verdicts()) byKey.put(key(v.resource()), v);
        List<CustomResource<?, ConfigResourceStatus>> all = new ArrayList<>();
        all.addAll(in.serviceMonitors());
        all.addAll(in.podMonitors());
        all.addAll(in.rules());
        for (CustomResource<?, ConfigResourceStatus> r : all) {
            Verdict v = byKey.get(key(r));
            if (v == null) {
                if (Bindings.hasBinding(r, r.getStatus(), p)) patchBinding(r, Bindings.withBinding(r.getStatus(), p, null, clock));
                continue;
            }
            Condition accepted = new Condition("Accepted", v.accepted() ? Condition.TRUE : Condition.FALSE,
                    v.reason(), v.message(), r.getMetadata().getGeneration());
            ConfigResourceStatus next = Bindings.withBinding(r.getStatus(), p, accepted, clock);
            var m = io.fabric8.kubernetes.client.utils.Serialization.jsonMapper();
            if (r.getStatus() != null && m.valueToTree(r.getStatus()).equals(m.valueToTree(next))) continue;
            boolean wasSame = previouslySame(r.getStatus(), p, accepted);
            patchBinding(r, next);
            if (!v.accepted() && !wasSame) warningEvent(r, v);
        }
    }

    private static boolean previouslySame(ConfigResourceStatus s, Prometheus p, Condition c) {
        if (s == null || s.bindings == null) return false;
        for (var b : s.bindings) {
            if (Bindings.isMine(b, p)) {
                for (Condition old : b.conditions) if (c.sameAs(old)) return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private <T extends CustomResource<?, ConfigResourceStatus>> void patchBinding(T r, ConfigResourceStatus next) {
        Class<T> type = (Class<T>) r.getClass();
        try {
            // editStatus sends a JSON patch computed from the current object: only status.bindings changes
            client.resources(type).inNamespace(r.getMetadata().getNamespace()).withName(r.getMetadata().getName())
                    .editStatus(cur -> {
                        cur.setStatus(next);
                        return cur;
                    });
        } catch (KubernetesClientException e) {
            LOG.warning(() -> "msg=\"status.bindings update failed\" resource=" + key(r) + " err=\"" + e.getMessage() + "\"");
        }
    }

    private void warningEvent(HasMetadata r, Verdict v) {
        String now = Instant.now(clock).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        String msg = v.message().length() > 1000 ? v.message().substring(0, 1000) + "..." : v.message();
        try {
            client.v1().events().inNamespace(r.getMetadata().getNamespace()).resource(new EventBuilder()
                    .withNewMetadata().withName(r.getMetadata().getName() + "." + Long.toHexString(System.nanoTime()))
                    .withNamespace(r.getMetadata().getNamespace()).endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(r.getApiVersion()).withKind(r.getKind())
                            .withName(r.getMetadata().getName()).withNamespace(r.getMetadata().getNamespace())
                            .withUid(r.getMetadata().getUid()).build())
                    .withType("Warning").withReason(v.reason()).withMessage(msg)
                    .withNewSource().withComponent(FIELD_MANAGER).endSource()
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .build()).create();
        } catch (KubernetesClientException e) {
            LOG.warning(() -> "msg=\"event not recorded\" resource=" + key(r) + " err=\"" + e.getMessage() + "\"");
        }
    }

    static String key(HasMetadata r) {
        return r.getKind() + "/" + r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
    }
}
