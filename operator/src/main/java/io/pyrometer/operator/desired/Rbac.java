package io.pyrometer.operator.desired;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.pyrometer.operator.crd.monitoring.v1.MonitorSpec;
import io.pyrometer.operator.crd.monitoring.v1.PodMonitor;
import io.pyrometer.operator.crd.monitoring.v1.ServiceMonitor;
import io.pyrometer.operator.crd.v1alpha1.Prometheus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Least-privilege discovery RBAC for the server pods: a ServiceAccount, a ClusterRole
 * {@code pyrometer-<ns>-<name>} with read access to exactly what Kubernetes discovery watches
 * (services, endpoints, endpointslices, pods; nodes only when a monitor attaches node
 * metadata), bound with a RoleBinding in each namespace the accepted monitors discover in,
 * or with a ClusterRoleBinding when one of them discovers in every namespace ({@code any: true}).
 * Cluster-scoped objects and bindings in other namespaces cannot carry an owner reference to a
 * namespaced Prometheus; they carry the {@link Names#OWNER_LABEL} label and are deleted by the
 * reconciler's cleanup.
 */
public final class Rbac {
    private Rbac() {}

    public static List<HasMetadata> objects(Prometheus p, List<ServiceMonitor> sms, List<PodMonitor> pms) {
        String ns = p.getMetadata().getNamespace();
        String name = p.getMetadata().getName();
        boolean allNamespaces = false;
        boolean nodes = false;
        TreeSet<String> namespaces = new TreeSet<>();
        List<MonitorSpec> specs = new ArrayList<>();
        for (ServiceMonitor m : sms) specs.add(m.getSpec());
        for (PodMonitor m : pms) specs.add(m.getSpec());
        List<String> owners = new ArrayList<>();
        for (ServiceMonitor m : sms) owners.add(m.getMetadata().getNamespace());
        for (PodMonitor m : pms) owners.add(m.getMetadata().getNamespace());
        for (int i = 0; i < specs.size(); i++) {
            MonitorSpec s = specs.get(i);
            List<String> names = io.pyrometer.operator.generate.ScrapeJobs.namespacesOf(s.namespaceSelector, owners.get(i));
            if (names.isEmpty()) allNamespaces = true;
            namespaces.addAll(names);
            if (s.attachMetadata != null && Boolean.TRUE.equals(s.attachMetadata.node)) nodes = true;
        }
        String role = Names.discoveryRole(ns, name);
        Map<String, String> clusterLabels = new java.util.LinkedHashMap<>(Names.common(name));
        clusterLabels.put(Names.OWNER_LABEL, Names.ownerValue(ns, name));

        List<HasMetadata> out = new ArrayList<>();
        out.add(new ServiceAccountBuilder().withMetadata(new ObjectMetaBuilder().withName(Names.serviceAccount(name))
                .withNamespace(ns).withLabels(Names.common(name)).withOwnerReferences(Workloads.owner(p)).build()).build());
        List<PolicyRule> rules = new ArrayList<>();
        rules.add(new PolicyRuleBuilder().withApiGroups("").withResources("services", "endpoints", "pods")
                .withVerbs("get", "list", "watch").build());
        rules.add(new PolicyRuleBuilder().withApiGroups("discovery.k8s.io").withResources("endpointslices")
                .withVerbs("get", "list", "watch").build());
        if (nodes) {
            rules.add(new PolicyRuleBuilder().withApiGroups("").withResources("nodes").withVerbs("get", "list", "watch").build());
        }
        out.add(new ClusterRoleBuilder().withNewMetadata().withName(role).withLabels(clusterLabels).endMetadata()
                .withRules(rules).build());
        if (allNamespaces || nodes) {
            out.add(new ClusterRoleBindingBuilder().withNewMetadata().withName(role).withLabels(clusterLabels).endMetadata()
                    .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", role)
                    .addNewSubject().withKind("ServiceAccount").withName(Names.serviceAccount(name)).withNamespace(ns).endSubject()
                    .build());
        }
        if (!allNamespaces) {
            for (String target : namespaces) {
                var meta = new ObjectMetaBuilder().withName(target.equals(ns) ? name + "-discovery" : role).withNamespace(target);
                if (target.equals(ns)) {
                    meta.withLabels(Names.common(name)).withOwnerReferences(Workloads.owner(p));
                } else {
                    meta.withLabels(clusterLabels);
                }
                out.add(new RoleBindingBuilder().withMetadata(meta.build())
                        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", role)
                        .addNewSubject().withKind("ServiceAccount").withName(Names.serviceAccount(name)).withNamespace(ns).endSubject()
                        .build());
            }
        }
        return out;
    }
}
