package io.pyrometer.discovery.kubernetes;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.pyrometer.config.KubernetesSdConfig;
import io.pyrometer.discovery.Discoverer;
import io.pyrometer.discovery.DiscoveryMetrics;
import io.pyrometer.discovery.TargetGroup;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code kubernetes_sd_configs}: watches the objects of one role through fabric8 informers (list, watch,
 * re-list and reconnect when the watch breaks, resync every {@link #RESYNC_MS}) and sends one target
 * group per object, as Prometheus's {@code discovery/kubernetes} does: events only queue the object's key
 * ({@code namespace/name}); the run thread builds the group from the informer caches, so a burst of
 * events for one object gives one update, and a deleted object gives an empty group under its source.
 * Related objects (services and pods for endpoints, nodes and namespaces with {@code attach_metadata},
 * ReplicaSets and Jobs for owner names) are watched too, and their changes re-queue the objects they
 * label.
 *
 * <p>This class and fabric8 are loaded only when a configuration has a {@code kubernetes_sd_configs} entry.
 */
public final class KubernetesDiscoverer implements Discoverer {
    private static final System.Logger LOG = System.getLogger(KubernetesDiscoverer.class.getName());

    /** Informer resync: cached objects are re-queued this often (updates equal to the last one are not delivered). */
    static final long RESYNC_MS = 10 * 60_000;

    private static final String BY_NAMESPACE = "pyrometer-namespace"; // fabric8 has its own "namespace" index
    private static final String BY_NODE = "node";
    private static final String BY_POD = "pod";
    private static final String BY_SERVICE = "service";
    private static final String BY_REPLICASET = "replicaset";
    private static final String BY_JOB = "job";

    private final KubernetesSdConfig config;
    private final DiscoveryMetrics metrics;
    private final Config clientConfig;
    private final List<String> namespaces;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition queued = lock.newCondition();
    /** Keys of objects whose group must be rebuilt, in arrival order, without duplicates; guarded by {@link #lock}. */
    private final LinkedHashSet<String> queue = new LinkedHashSet<>();
    /** Set when {@link #run} ends, so the informers' last errors are not reported. */
    private volatile boolean stopping;

    /**
     * Resolves how to reach the API server (api_server, kubeconfig_file or the pod's service account).
     *
     * @throws IllegalArgumentException when that cannot work (no in-cluster environment, unreadable files,
     *                                  oauth2); the discovery manager logs it and counts a failed config
     */
    public KubernetesDiscoverer(KubernetesSdConfig config, DiscoveryMetrics metrics) {
        this(config, metrics, ClientConfigs.InCluster.SYSTEM);
    }

    KubernetesDiscoverer(KubernetesSdConfig config, DiscoveryMetrics metrics, ClientConfigs.InCluster inCluster) {
        this.config = config;
        this.metrics = metrics;
        ClientConfigs.Resolved r = ClientConfigs.resolve(config, inCluster);
        this.clientConfig = r.config();
        this.namespaces = namespaces(config.namespaces(), r.ownNamespace());
    }

    /** Prometheus's {@code getNamespaces}: "" (all) when nothing is listed. */
    static List<String> namespaces(KubernetesSdConfig.Namespaces n, String ownNamespace) {
        if (n.names().isEmpty() && !n.ownNamespace()) return List.of("");
        List<String> out = new ArrayList<>(n.names());
        if (n.ownNamespace() && ownNamespace != null && !ownNamespace.isEmpty()) out.add(ownNamespace);
        return out;
    }

    @Override
    public void run(Consumer<List<TargetGroup>> updates) throws InterruptedException {
        List<Watched<?>> watched = new ArrayList<>();
        KubernetesClient client = new KubernetesClientBuilder().withConfig(clientConfig)
                .withHttpClientFactory(new JdkHttpClientFactory()).build();
        try {
            Function<String, TargetGroup> build = wire(client, watched);
            for (Watched<?> w : watched) w.start();
            awaitSynced(watched);
            LOG.log(System.Logger.Level.DEBUG, "Kubernetes caches synced role={0} namespaces={1}", config.role(), namespaces);
            while (true) {
                List<String> keys = take();
                List<TargetGroup> groups = new ArrayList<>(keys.size());
                for (String key : keys) {
                    try {
                        TargetGroup g = build.apply(key);
                        if (g != null) groups.add(g);
                    } catch (RuntimeException e) { // a malformed object must not stop discovery
                        LOG.log(System.Logger.Level.ERROR, "cannot build target group role={0} object={1} err=\"{2}\"",
                                config.role(), key, String.valueOf(e));
                    }
                }
                if (!groups.isEmpty()) updates.accept(groups);
            }
        } finally {
            stopping = true;
            for (Watched<?> w : watched) w.close();
            client.close();
        }
    }

    private void awaitSynced(List<Watched<?>> watched) throws InterruptedException {
        while (true) {
            boolean all = true;
            for (Watched<?> w : watched) all &= w.synced();
            if (all) return;
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private List<String> take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (queue.isEmpty()) queued.await();
            List<String> keys = new ArrayList<>(queue);
            queue.clear();
            return keys;
        } finally {
            lock.unlock();
        }
    }

    private void enqueue(String key) {
        lock.lock();
        try {
            queue.add(key);
            queued.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void enqueue(HasMetadata o) {
        String ns = o.getMetadata().getNamespace();
        enqueue(ns == null || ns.isEmpty() ? o.getMetadata().getName() : ns + "/" + o.getMetadata().getName());
    }

    private void enqueueAll(List<? extends HasMetadata> objects) {
        for (HasMetadata o : objects) enqueue(o);
    }

    /** Counts add/update/delete under {@code role} (resyncs are not events) and queues the object. */
    private <T extends HasMetadata> ResourceEventHandler<T> counting(String role) {
        return handler(role, this::enqueue, false);
    }

    /**
     * @param onlyChanges run {@code action} on updates only (not on resyncs, adds or deletes)
     */
    private <T extends HasMetadata> ResourceEventHandler<T> handler(String role, Consumer<T> action, boolean onlyChanges) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T o) {
                if (role != null) metrics.kubernetesEvents.labelValues(role, "add").inc();
                if (!onlyChanges) action.accept(o);
            }

            @Override
            public void onUpdate(T old, T cur) {
                boolean resync = Objects.equals(old.getMetadata().getResourceVersion(), cur.getMetadata().getResourceVersion());
                if (!resync && role != null) metrics.kubernetesEvents.labelValues(role, "update").inc();
                if (!onlyChanges || !resync) action.accept(cur);
            }

            @Override
            public void onDelete(T o, boolean finalStateUnknown) {
                if (role != null) metrics.kubernetesEvents.labelValues(role, "delete").inc();
                if (!onlyChanges) action.accept(o);
            }
        };
    }

    /** Counts and logs a failed list or watch; fabric8 then retries (re-lists, re-watches) with backoff. */
    private boolean retryAfter(boolean started, Throwable t) {
        if (stopping) return false; // the run thread is closing the client
        metrics.kubernetesFailures.inc();
        LOG.log(System.Logger.Level.WARNING, "Kubernetes list/watch failed, retrying role={0} api_server={1} err=\"{2}\"",
                config.role(), clientConfig.getMasterUrl(), String.valueOf(t));
        return true;
    }

    private <T extends HasMetadata> Watched<T> watch(List<Watched<?>> all, Function<String, io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable<T, ?, ?>> scope,
                                                    List<String> nss, String selectorRole, Map<String, Function<T, List<String>>> indexers,
                                                    ResourceEventHandler<T> handler) {
        Watched<T> w = new Watched<>(scope, nss, selectorRole == null ? null : config.selector(selectorRole), indexers, handler,
                this::retryAfter, RESYNC_MS);
        all.add(w);
        return w;
    }

    private static List<String> byNamespace(HasMetadata o) {
        return List.of(MetaLabels.str(o.getMetadata().getNamespace()));
    }

    /** The informer caches target building reads; nulls for kinds not watched. */
    private final class Caches implements Lookup {
        Watched<Service> services;
        Watched<Pod> pods;
        Watched<Node> nodes;
        Watched<Namespace> namespaceObjects;
        Watched<ReplicaSet> replicaSets;
        Watched<Job> jobs;

        @Override public Service service(String ns, String name) { return services == null ? null : services.get(ns, name); }
        @Override public Pod pod(String ns, String name) { return pods == null ? null : pods.get(ns, name); }
        @Override public Node node(String name) { return nodes == null ? null : nodes.get(null, name); }
        @Override public Namespace namespace(String name) { return namespaceObjects == null ? null : namespaceObjects.get(null, name); }
        @Override public ReplicaSet replicaSet(String ns, String name) { return replicaSets == null ? null : replicaSets.get(ns, name); }
        @Override public Job job(String ns, String name) { return jobs == null ? null : jobs.get(ns, name); }
        @Override public boolean attachNode() { return nodes != null && config.attachMetadata().node(); }
        @Override public boolean attachNamespace() { return namespaceObjects != null; }
        @Override public boolean attachDeployment() { return replicaSets != null; }
        @Override public boolean attachJob() { return config.attachMetadata().job(); }
        @Override public boolean attachCronJob() { return jobs != null && config.attachMetadata().cronJob(); }
    }

    /** Creates the informers of the role and returns how to build the group of a queued key. */
    private Function<String, TargetGroup> wire(KubernetesClient client, List<Watched<?>> all) {
        var attach = config.attachMetadata();
        Caches c = new Caches();
        return switch (config.role()) {
            case "node" -> {
                c.nodes = watch(all, ns -> client.nodes(), List.of(""), "node", Map.of(), counting("node"));
                yield key -> {
                    Node n = c.nodes.get(null, key);
                    return n == null ? TargetGroup.empty(RoleTargets.nodeSource(key)) : RoleTargets.node(n);
                };
            }
            case "service" -> {
                Watched<Service> svcs = watch(all, ns -> ns.isEmpty() ? client.services().inAnyNamespace() : client.services().inNamespace(ns),
                        namespaces, "service", Map.of(BY_NAMESPACE, KubernetesDiscoverer::byNamespace), counting("service"));
                if (attach.namespace()) c.namespaceObjects = namespaceWatch(client, all, n -> enqueueAll(svcs.byIndex(BY_NAMESPACE, n)));
                yield key -> {
                    String[] nn = split(key);
                    Service s = svcs.get(nn[0], nn[1]);
                    return s == null ? TargetGroup.empty(RoleTargets.serviceSource(nn[0], nn[1])) : RoleTargets.service(s, c);
                };
            }
            case "ingress" -> {
                Watched<Ingress> ings = watch(all, ns -> ns.isEmpty() ? client.network().v1().ingresses().inAnyNamespace()
                                : client.network().v1().ingresses().inNamespace(ns),
                        namespaces, "ingress", Map.of(BY_NAMESPACE, KubernetesDiscoverer::byNamespace), counting("ingress"));
                if (attach.namespace()) c.namespaceObjects = namespaceWatch(client, all, n -> enqueueAll(ings.byIndex(BY_NAMESPACE, n)));
                yield key -> {
                    String[] nn = split(key);
                    Ingress i = ings.get(nn[0], nn[1]);
                    return i == null ? TargetGroup.empty(RoleTargets.ingressSource(nn[0], nn[1])) : RoleTargets.ingress(i, c);
                };
            }
            case "pod" -> wirePods(client, all, c);
            case "endpoints" -> wireEndpoints(client, all, c);
            case "endpointslice" -> wireEndpointSlices(client, all, c);
            default -> throw new IllegalArgumentException("unknown Kubernetes SD role " + config.role());
        };
    }

    private Function<String, TargetGroup> wirePods(KubernetesClient client, List<Watched<?>> all, Caches c) {
        var attach = config.attachMetadata();
        Map<String, Function<Pod, List<String>>> idx = new java.util.HashMap<>();
        idx.put(BY_NAMESPACE, KubernetesDiscoverer::byNamespace);
        idx.put(BY_NODE, p -> List.of(p.getSpec() == null ? "" : MetaLabels.str(p.getSpec().getNodeName())));
        idx.put(BY_REPLICASET, p -> ownerKey(p, "ReplicaSet"));
        idx.put(BY_JOB, p -> ownerKey(p, "Job"));
        c.pods = watch(all, ns -> ns.isEmpty() ? client.pods().inAnyNamespace() : client.pods().inNamespace(ns),
                namespaces, "pod", idx, counting("pod"));
        Watched<Pod> pods = c.pods;
        attachShared(client, all, c, pods::byIndex, BY_NODE, BY_NAMESPACE);
        if (attach.deployment()) {
            c.replicaSets = watch(all, ns -> ns.isEmpty() ? client.apps().replicaSets().inAnyNamespace() : client.apps().replicaSets().inNamespace(ns),
                    namespaces, null, Map.of(), handler(null, rs -> enqueueAll(pods.byIndex(BY_REPLICASET, key(rs))), false));
        }
        if (attach.job() || attach.cronJob()) {
            c.jobs = watch(all, ns -> ns.isEmpty() ? client.batch().v1().jobs().inAnyNamespace() : client.batch().v1().jobs().inNamespace(ns),
                    namespaces, null, Map.of(), handler(null, j -> enqueueAll(pods.byIndex(BY_JOB, key(j))), false));
        }
        return key -> {
            String[] nn = split(key);
            Pod p = pods.get(nn[0], nn[1]);
            return p == null ? TargetGroup.empty(RoleTargets.podSource(nn[0], nn[1])) : RoleTargets.pod(p, c);
        };
    }

    private Function<String, TargetGroup> wireEndpoints(KubernetesClient client, List<Watched<?>> all, Caches c) {
        Map<String, Function<Endpoints, List<String>>> idx = new java.util.HashMap<>();
        idx.put(BY_NAMESPACE, KubernetesDiscoverer::byNamespace);
        idx.put(BY_POD, e -> {
            List<String> pods = new ArrayList<>();
            for (EndpointSubset ss : MetaLabels.list(e.getSubsets())) {
                for (EndpointAddress a : MetaLabels.list(ss.getAddresses())) {
                    if (a.getTargetRef() != null && "Pod".equals(a.getTargetRef().getKind())) {
                        pods.add(MetaLabels.key(a.getTargetRef().getNamespace(), a.getTargetRef().getName()));
                    }
                }
            }
            return pods;
        });
        idx.put(BY_NODE, e -> {
            List<String> nodes = new ArrayList<>();
            for (EndpointSubset ss : MetaLabels.list(e.getSubsets())) {
                for (EndpointAddress a : MetaLabels.list(ss.getAddresses())) {
                    if (a.getTargetRef() == null) continue;
                    if ("Pod".equals(a.getTargetRef().getKind()) && a.getNodeName() != null) nodes.add(a.getNodeName());
                    else if ("Node".equals(a.getTargetRef().getKind())) nodes.add(a.getTargetRef().getName());
                }
            }
            return nodes;
        });
        Watched<Endpoints> eps = watch(all, ns -> ns.isEmpty() ? client.endpoints().inAnyNamespace() : client.endpoints().inNamespace(ns),
                namespaces, "endpoints", idx, counting("endpoints"));
        c.services = watch(all, ns -> ns.isEmpty() ? client.services().inAnyNamespace() : client.services().inNamespace(ns),
                namespaces, "service", Map.of(), handler("service", s -> {
                    Endpoints e = eps.get(s.getMetadata().getNamespace(), s.getMetadata().getName());
                    if (e != null) enqueue(e);
                }, false));
        c.pods = watch(all, ns -> ns.isEmpty() ? client.pods().inAnyNamespace() : client.pods().inNamespace(ns),
                namespaces, "pod", Map.of(), podPhaseHandler(p -> enqueueAll(eps.byIndex(BY_POD, key(p)))));
        attachShared(client, all, c, eps::byIndex, BY_NODE, BY_NAMESPACE);
        attachOwners(client, all, c);
        return key -> {
            String[] nn = split(key);
            Endpoints e = eps.get(nn[0], nn[1]);
            return e == null ? TargetGroup.empty(EndpointsTargets.endpointsSource(nn[0], nn[1])) : EndpointsTargets.endpoints(e, c);
        };
    }

    private Function<String, TargetGroup> wireEndpointSlices(KubernetesClient client, List<Watched<?>> all, Caches c) {
        Map<String, Function<EndpointSlice, List<String>>> idx = new java.util.HashMap<>();
        idx.put(BY_NAMESPACE, KubernetesDiscoverer::byNamespace);
        idx.put(BY_SERVICE, e -> {
            var labels = e.getMetadata().getLabels();
            String svc = labels == null ? null : labels.get(EndpointsTargets.SERVICE_NAME_LABEL);
            return svc == null ? List.of() : List.of(MetaLabels.key(e.getMetadata().getNamespace(), svc));
        });
        idx.put(BY_NODE, e -> {
            List<String> nodes = new ArrayList<>();
            for (var ep : MetaLabels.list(e.getEndpoints())) {
                if (ep.getTargetRef() == null) continue;
                if ("Pod".equals(ep.getTargetRef().getKind()) && ep.getNodeName() != null) nodes.add(ep.getNodeName());
                else if ("Node".equals(ep.getTargetRef().getKind())) nodes.add(ep.getTargetRef().getName());
            }
            return nodes;
        });
        Watched<EndpointSlice> slices = watch(all, ns -> ns.isEmpty() ? client.discovery().v1().endpointSlices().inAnyNamespace()
                        : client.discovery().v1().endpointSlices().inNamespace(ns),
                namespaces, "endpointslice", idx, counting("endpointslice"));
        c.services = watch(all, ns -> ns.isEmpty() ? client.services().inAnyNamespace() : client.services().inNamespace(ns),
                namespaces, "service", Map.of(), handler("service", s -> enqueueAll(slices.byIndex(BY_SERVICE, key(s))), false));
        c.pods = watch(all, ns -> ns.isEmpty() ? client.pods().inAnyNamespace() : client.pods().inNamespace(ns),
                namespaces, "pod", Map.of(), null);
        attachShared(client, all, c, slices::byIndex, BY_NODE, BY_NAMESPACE);
        attachOwners(client, all, c);
        return key -> {
            String[] nn = split(key);
            EndpointSlice e = slices.get(nn[0], nn[1]);
            return e == null ? TargetGroup.empty(EndpointsTargets.endpointSliceSource(nn[0], nn[1]))
                    : EndpointsTargets.endpointSlice(e, c);
        };
    }

    /** attach_metadata node and namespace: their changes re-queue the primary objects indexed under them. */
    private void attachShared(KubernetesClient client, List<Watched<?>> all, Caches c,
                              java.util.function.BiFunction<String, String, List<? extends HasMetadata>> byIndex,
                              String nodeIndex, String namespaceIndex) {
        if (config.attachMetadata().node()) {
            c.nodes = watch(all, ns -> client.nodes(), List.of(""), "node", Map.of(),
                    handler(null, n -> enqueueAll(byIndex.apply(nodeIndex, n.getMetadata().getName())), false));
        }
        if (config.attachMetadata().namespace()) {
            c.namespaceObjects = namespaceWatch(client, all, n -> enqueueAll(byIndex.apply(namespaceIndex, n)));
        }
    }

    /** ReplicaSets and Jobs, read for pod owner names (endpoints roles re-read them on the next rebuild). */
    private void attachOwners(KubernetesClient client, List<Watched<?>> all, Caches c) {
        var attach = config.attachMetadata();
        if (attach.deployment()) {
            c.replicaSets = watch(all, ns -> ns.isEmpty() ? client.apps().replicaSets().inAnyNamespace() : client.apps().replicaSets().inNamespace(ns),
                    namespaces, null, Map.of(), null);
        }
        if (attach.job() || attach.cronJob()) {
            c.jobs = watch(all, ns -> ns.isEmpty() ? client.batch().v1().jobs().inAnyNamespace() : client.batch().v1().jobs().inNamespace(ns),
                    namespaces, null, Map.of(), null);
        }
    }

    /** Namespaces are watched whole (Prometheus does not filter them by {@code namespaces}); updates re-queue. */
    private Watched<Namespace> namespaceWatch(KubernetesClient client, List<Watched<?>> all, Consumer<String> onUpdate) {
        return watch(all, ns -> client.namespaces(), List.of(""), null, Map.of(),
                handler(null, n -> onUpdate.accept(n.getMetadata().getName()), true));
    }

    /** Endpoints re-read a pod only when its phase changed (endpoints.go). */
    private ResourceEventHandler<Pod> podPhaseHandler(Consumer<Pod> action) {
        return new ResourceEventHandler<>() {
            @Override public void onAdd(Pod p) { }

            @Override
            public void onUpdate(Pod old, Pod cur) {
                if (Objects.equals(old.getMetadata().getResourceVersion(), cur.getMetadata().getResourceVersion())) return;
                metrics.kubernetesEvents.labelValues("pod", "update").inc();
                String before = old.getStatus() == null ? null : old.getStatus().getPhase();
                String after = cur.getStatus() == null ? null : cur.getStatus().getPhase();
                if (!Objects.equals(before, after)) action.accept(cur);
            }

            @Override public void onDelete(Pod p, boolean unknown) { }
        };
    }

    private static List<String> ownerKey(Pod p, String kind) {
        OwnerReference owner = MetaLabels.controllerOf(p.getMetadata());
        if (owner == null || !kind.equals(owner.getKind())) return List.of();
        return List.of(MetaLabels.key(p.getMetadata().getNamespace(), owner.getName()));
    }

    private static String key(HasMetadata o) {
        return MetaLabels.key(o.getMetadata().getNamespace(), o.getMetadata().getName());
    }

    private static String[] split(String key) {
        int i = key.indexOf('/');
        return new String[] {key.substring(0, i), key.substring(i + 1)};
    }
}
