package io.pyrometer.operator.desired;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.pyrometer.operator.crd.v1alpha1.Prometheus;
import io.pyrometer.operator.crd.v1alpha1.PrometheusSpec;
import io.pyrometer.operator.crd.v1alpha1.StorageSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The governing headless Service, one StatefulSet per shard and one PodDisruptionBudget per
 * shard. Every pod runs {@code pyrometer server} with Prometheus's flags; there is no
 * config-reloader sidecar: the server polls its config file (mounted from the
 * {@code <name>-config} Secret) and reloads when Kubernetes updates it.
 */
public final class Workloads {
    private Workloads() {}

    /** Controller owner reference to the Prometheus: garbage collection deletes what it owns. */
    public static OwnerReference owner(Prometheus p) {
        return new OwnerReferenceBuilder().withApiVersion(p.getApiVersion()).withKind(p.getKind())
                .withName(p.getMetadata().getName()).withUid(p.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }

    public static Service governingService(Prometheus p) {
        String name = p.getMetadata().getName();
        return new ServiceBuilder()
                .withNewMetadata().withName(Names.governingService(name)).withNamespace(p.getMetadata().getNamespace())
                .withLabels(Names.common(name)).withOwnerReferences(owner(p)).endMetadata()
                .withNewSpec().withClusterIP("None").withSelector(Names.selector(name))
                .addNewPort().withName("web").withPort(Names.WEB_PORT).withTargetPort(new IntOrString("web")).withProtocol("TCP").endPort()
                .endSpec().build();
    }

    public static PodDisruptionBudget podDisruptionBudget(Prometheus p, int shard) {
        String name = p.getMetadata().getName();
        return new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName(Names.statefulSet(name, shard)).withNamespace(p.getMetadata().getNamespace())
                .withLabels(Names.common(name)).withOwnerReferences(owner(p)).endMetadata()
                .withNewSpec().withMaxUnavailable(new IntOrString(1))
                .withNewSelector().withMatchLabels(Names.shardSelector(name, shard)).endSelector()
                .endSpec().build();
    }

    public static StatefulSet statefulSet(Prometheus p, Defaults d, int shard, List<ConfigMap> ruleConfigMaps) {
        String name = p.getMetadata().getName();
        PrometheusSpec spec = p.getSpec() == null ? new PrometheusSpec() : p.getSpec();
        Map<String, String> podLabels = new LinkedHashMap<>(Names.common(name));
        podLabels.put("app.kubernetes.io/version", d.version());
        podLabels.put("operator.prometheus.io/shard", Integer.toString(shard));

        List<VolumeMount> mounts = new ArrayList<>();
        List<Volume> volumes = new ArrayList<>();
        mounts.add(new VolumeMountBuilder().withName("config").withMountPath(Names.CONFIG_DIR).withReadOnly(true).build());
        volumes.add(new VolumeBuilder().withName("config").withNewSecret().withSecretName(Names.configSecret(name)).endSecret().build());
        for (ConfigMap cm : ruleConfigMaps) {
            String cmName = cm.getMetadata().getName();
            mounts.add(new VolumeMountBuilder().withName(cmName).withMountPath(Names.RULES_DIR + "/" + cmName).withReadOnly(true).build());
            volumes.add(new VolumeBuilder().withName(cmName).withNewConfigMap().withName(cmName).endConfigMap().build());
        }
        StorageSpec storage = spec.storage;
        List<PersistentVolumeClaim> claims = new ArrayList<>();
        String dataVolume = Names.dataVolume(name);
        if (storage != null && storage.volumeClaimTemplate != null) {
            StorageSpec.ClaimTemplate t = storage.volumeClaimTemplate;
            if (t.metadata != null && t.metadata.name != null && !t.metadata.name.isEmpty()) dataVolume = t.metadata.name;
            claims.add(new PersistentVolumeClaimBuilder().withNewMetadata().withName(dataVolume)
                    .withLabels(t.metadata == null ? null : t.metadata.labels)
                    .withAnnotations(t.metadata == null ? null : t.metadata.annotations).endMetadata()
                    .withSpec(t.spec).build());
        } else {
            volumes.add(new VolumeBuilder().withName(dataVolume)
                    .withEmptyDir(storage != null && storage.emptyDir != null ? storage.emptyDir : new io.fabric8.kubernetes.api.model.EmptyDirVolumeSource())
                    .build());
        }
        mounts.add(new VolumeMountBuilder().withName(dataVolume).withMountPath(Names.DATA_DIR).build());

        List<String> args = new ArrayList<>();
        args.add("server");
        args.add("--config.file=" + Names.CONFIG_DIR + "/" + Names.configKey(shard));
        args.add("--storage.tsdb.path=" + Names.DATA_DIR);
        args.add("--storage.tsdb.retention.time=" + d.retention());
        if (d.retentionSize() != null) args.add("--storage.tsdb.retention.size=" + d.retentionSize());
        args.add("--web.listen-address=:" + Names.WEB_PORT);
        args.add("--web.enable-lifecycle");

        Container c = new ContainerBuilder().withName(Names.CONTAINER).withImage(d.image()).withArgs(args)
                .withEnv(new EnvVarBuilder().withName("POD_NAME").withNewValueFrom().withNewFieldRef()
                                .withApiVersion("v1").withFieldPath("metadata.name").endFieldRef().endValueFrom().build(),
                        new EnvVarBuilder().withName("SHARD").withValue(Integer.toString(shard)).build())
                .addNewPort().withName("web").withContainerPort(Names.WEB_PORT).withProtocol("TCP").endPort()
                .withReadinessProbe(probe("/-/ready", 5, 3))
                .withLivenessProbe(probe("/-/healthy", 5, 6))
                .withStartupProbe(probe("/-/ready", 15, 60))
                .withResources(spec.resources)
                .withVolumeMounts(mounts)
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .withNewSecurityContext().withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
                .build();

        return new StatefulSetBuilder()
                .withNewMetadata().withName(Names.statefulSet(name, shard)).withNamespace(p.getMetadata().getNamespace())
                .withLabels(podLabels).withOwnerReferences(owner(p)).endMetadata()
                .withNewSpec()
                .withReplicas(d.replicas())
                .withServiceName(Names.governingService(name))
                .withPodManagementPolicy("Parallel")
                .withNewUpdateStrategy().withType("RollingUpdate").endUpdateStrategy()
                .withNewPersistentVolumeClaimRetentionPolicy().withWhenDeleted("Retain").withWhenScaled("Retain")
                .endPersistentVolumeClaimRetentionPolicy()
                .withNewSelector().withMatchLabels(Names.shardSelector(name, shard)).endSelector()
                .withNewTemplate()
                .withNewMetadata().withLabels(podLabels)
                .withAnnotations(Map.of("kubectl.kubernetes.io/default-container", Names.CONTAINER)).endMetadata()
                .withNewSpec()
                .withServiceAccountName(Names.serviceAccount(name))
                .withAutomountServiceAccountToken(true)
                .withTerminationGracePeriodSeconds(600L)
                .withSecurityContext(securityContext(spec.securityContext))
                .withNodeSelector(spec.nodeSelector)
                .withTolerations(spec.tolerations)
                .withAffinity(spec.affinity)
                .withContainers(c)
                .withVolumes(volumes)
                .endSpec()
                .endTemplate()
                .withVolumeClaimTemplates(claims)
                .endSpec().build();
    }

    /** prometheus-operator's default pod security context: non-root uid 1000, fsGroup 2000. */
    static PodSecurityContext securityContext(PodSecurityContext user) {
        if (user != null) return user;
        return new PodSecurityContextBuilder().withRunAsNonRoot(true).withRunAsUser(1000L).withRunAsGroup(2000L)
                .withFsGroup(2000L).withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().build();
    }

    private static Probe probe(String path, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder().withNewHttpGet().withPath(path).withPort(new IntOrString("web")).withScheme("HTTP").endHttpGet()
                .withPeriodSeconds(periodSeconds).withTimeoutSeconds(3).withFailureThreshold(failureThreshold).build();
    }
}
