package io.pyrometer.discovery.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyrometer.config.HttpClientConfig;
import io.pyrometer.config.KubernetesSdConfig;
import io.pyrometer.config.KubernetesSdConfig.AttachMetadata;
import io.pyrometer.config.KubernetesSdConfig.Namespaces;
import io.pyrometer.config.KubernetesSdConfig.Selector;
import io.pyrometer.discovery.DiscoveryMetrics;
import io.pyrometer.discovery.TargetGroup;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The fabric8 mock API server in CRUD mode on loopback (an ephemeral port), a client to create, change
 * and delete objects in it, and a {@link KubernetesDiscoverer} run against it whose updates are merged by
 * source as the discovery manager merges them.
 */
final class MockApiServer implements AutoCloseable {
    final KubernetesMockServer server;
    final NamespacedKubernetesClient client;
    final PrometheusRegistry registry = new PrometheusRegistry();
    final DiscoveryMetrics metrics = new DiscoveryMetrics(registry);
    private final Map<String, TargetGroup> groups = new LinkedHashMap<>();
    private int updates;
    private Thread runner;
    private Throwable failure; // guarded by this

    MockApiServer() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
    }

    String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    KubernetesSdConfig config(String role) {
        return config(role, Namespaces.ALL, AttachMetadata.NONE, List.of());
    }

    KubernetesSdConfig config(String role, Namespaces namespaces, AttachMetadata attach, List<Selector> selectors) {
        return new KubernetesSdConfig(role, url(), "", HttpClientConfig.DEFAULT, namespaces, selectors, attach);
    }

    /** Creates (or replaces) objects in the API server. */
    @SafeVarargs
    final <T extends HasMetadata> void apply(T... objects) {
        for (T o : objects) client.resource(o).createOr(r -> r.update());
    }

    <T extends HasMetadata> void delete(T o) {
        client.resource(o).delete();
    }

    /** Starts discovery on a virtual thread, as the discovery manager runs it. */
    void discover(KubernetesSdConfig config) {
        KubernetesDiscoverer d = new KubernetesDiscoverer(config, metrics);
        runner = Thread.ofVirtual().name("k8s-sd-test").start(() -> {
            try {
                d.run(this::accept);
            } catch (InterruptedException e) {
                // stopped
            } catch (RuntimeException | Error e) {
                synchronized (this) {
                    failure = e;
                    notifyAll();
                }
            }
        });
    }

    private synchronized void accept(List<TargetGroup> update) {
        updates++;
        // the latest group per source, empty ones included, as Prometheus's k8sDiscoveryTest collects them
        for (TargetGroup g : update) groups.put(g.source(), g);
        notifyAll();
    }

    /** Waits (at most 20 s) until the merged groups satisfy {@code done}; returns them. */
    synchronized Map<String, TargetGroup> await(Predicate<Map<String, TargetGroup>> done) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!done.test(groups)) {
            if (failure != null) throw new AssertionError("discovery failed", failure);
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) throw new AssertionError("discovery did not reach the expected state within 20s; groups: " + groups);
            wait(left);
        }
        return new LinkedHashMap<>(groups);
    }

    /**
     * Waits until the groups equal {@code expected} exactly (as maps by source). The API server assigns
     * pod UIDs (Prometheus's fake clientset keeps the test's "abc123"), so expected
     * {@code __meta_kubernetes_pod_uid} values are replaced by the UID the server gave that pod.
     */
    Map<String, TargetGroup> awaitEqual(Map<String, TargetGroup> given) throws InterruptedException {
        Map<String, TargetGroup> expected = new LinkedHashMap<>();
        given.forEach((k, g) -> {
            List<io.pyrometer.model.Labels> targets = new java.util.ArrayList<>();
            for (var t : g.targets()) targets.add(serverUid(t, g.labels()));
            expected.put(k, new TargetGroup(g.source(), targets, serverUid(g.labels(), g.labels())));
        });
        try {
            return await(g -> g.equals(expected));
        } catch (AssertionError e) {
            synchronized (this) {
                org.assertj.core.api.Assertions.assertThat(groups).isEqualTo(expected);
            }
            throw e;
        }
    }

    private io.pyrometer.model.Labels serverUid(io.pyrometer.model.Labels ls, io.pyrometer.model.Labels group) {
        if (ls.get("__meta_kubernetes_pod_uid").isEmpty()) return ls;
        String ns = ls.get("__meta_kubernetes_namespace").isEmpty() ? group.get("__meta_kubernetes_namespace") : ls.get("__meta_kubernetes_namespace");
        String name = ls.get("__meta_kubernetes_pod_name").isEmpty() ? group.get("__meta_kubernetes_pod_name") : ls.get("__meta_kubernetes_pod_name");
        var pod = client.pods().inNamespace(ns).withName(name).get();
        if (pod == null) return ls;
        return ls.toBuilder().set("__meta_kubernetes_pod_uid", pod.getMetadata().getUid()).build();
    }

    synchronized int updates() {
        return updates;
    }

    @Override
    public void close() throws InterruptedException {
        if (runner != null) {
            runner.interrupt();
            runner.join(5000);
        }
        client.close();
        server.destroy();
    }
}
