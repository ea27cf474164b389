package io.pyrometer.model.relabel;

import static io.pyrometer.model.relabel.RelabelConfig.Action.*;

import io.pyrometer.model.Labels;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The "kubernetes" case of Prometheus's BenchmarkRelabel (model/relabel/relabel_test.go): a typical
 * pod relabeling chain over a pod's discovered labels.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class RelabelerBench {
    private Labels pod;
    private List<RelabelConfig> cfgs;
    private final Relabeler relabeler = new Relabeler();
    private final Labels.Builder builder = Labels.builder();

    private static RelabelConfig rc(RelabelConfig.Action a, List<String> src, String sep, String regex, Long mod, String target, String repl) {
        return RelabelConfig.of(src, sep, regex, mod, target, repl, a);
    }

    @Setup
    public void setup() {
        cfgs = List.of(
                rc(KEEP, List.of("__meta_kubernetes_pod_container_port_name"), null, ".*-metrics", null, null, null),
                rc(DROP, List.of("__meta_kubernetes_pod_label_name"), null, "", null, null, null),
                rc(DROP, List.of("__meta_kubernetes_pod_phase"), null, "Succeeded|Failed", null, null, null),
                rc(DROP, List.of("__meta_kubernetes_pod_annotation_prometheus_io_scrape"), null, "false", null, null, null),
                rc(REPLACE, List.of("__meta_kubernetes_pod_annotation_prometheus_io_scheme"), null, "(https?)", null, "__scheme__", "$1"),
                rc(REPLACE, List.of("__meta_kubernetes_pod_annotation_prometheus_io_path"), null, "(.+)", null, "__metrics_path__", "$1"),
                rc(REPLACE, List.of("__address__", "__meta_kubernetes_pod_annotation_prometheus_io_port"), null,
                        "(.+?)(\\:\\d+)?;(\\d+)", null, "__address__", "$1:$3"),
                rc(LABELMAP, null, null, "__meta_kubernetes_pod_annotation_prometheus_io_param_(.+)", null, null, "__param_$1"),
                rc(LABELMAP, null, null, "__meta_kubernetes_pod_label_prometheus_io_label_(.+)", null, null, null),
                rc(LABELMAP, null, null, "__meta_kubernetes_pod_annotation_prometheus_io_label_(.+)", null, null, null),
                rc(REPLACE, List.of("__meta_kubernetes_namespace", "__meta_kubernetes_pod_label_name"), "/", null, null, "job", "$1"),
                rc(REPLACE, List.of("__meta_kubernetes_namespace"), null, null, null, "namespace", null),
                rc(REPLACE, List.of("__meta_kubernetes_pod_name"), null, null, null, "pod", null),
                rc(REPLACE, List.of("__meta_kubernetes_pod_container_name"), null, null, null, "container", null),
                rc(REPLACE, List.of("__meta_kubernetes_pod_name", "__meta_kubernetes_pod_container_name",
                        "__meta_kubernetes_pod_container_port_name"), ":", null, null, "instance", null),
                rc(REPLACE, null, null, null, null, "cluster", "dev-us-central-0"),
                rc(DROP, List.of("__meta_kubernetes_namespace"), null, "hosted-grafana", null, null, null),
                rc(HASHMOD, List.of("__address__"), null, null, 3L, "__tmp_hash", null),
                rc(KEEP, List.of("__tmp_hash"), null, "^0$", null, null, null),
                rc(LABELDROP, null, null, "__tmp_hash", null, null, null));
        pod = Labels.of(
                "__address__", "10.132.183.40:80",
                "__meta_kubernetes_namespace", "loki-boltdb-shipper",
                "__meta_kubernetes_pod_annotation_promtail_loki_boltdb_shipper_hash", "50523b9759094a144adcec2eae0aa4ad",
                "__meta_kubernetes_pod_annotationpresent_promtail_loki_boltdb_shipper_hash", "true",
                "__meta_kubernetes_pod_container_init", "false",
                "__meta_kubernetes_pod_container_name", "promtail",
                "__meta_kubernetes_pod_container_port_name", "http-metrics",
                "__meta_kubernetes_pod_container_port_number", "80",
                "__meta_kubernetes_pod_container_port_protocol", "TCP",
                "__meta_kubernetes_pod_controller_kind", "DaemonSet",
                "__meta_kubernetes_pod_controller_name", "promtail-loki-boltdb-shipper",
                "__meta_kubernetes_pod_host_ip", "10.128.0.178",
                "__meta_kubernetes_pod_ip", "10.132.183.40",
                "__meta_kubernetes_pod_label_controller_revision_hash", "555b77cd7d",
                "__meta_kubernetes_pod_label_name", "promtail-loki-boltdb-shipper",
                "__meta_kubernetes_pod_label_pod_template_generation", "45",
                "__meta_kubernetes_pod_labelpresent_controller_revision_hash", "true",
                "__meta_kubernetes_pod_labelpresent_name", "true",
                "__meta_kubernetes_pod_labelpresent_pod_template_generation", "true",
                "__meta_kubernetes_pod_name", "promtail-loki-boltdb-shipper-jgtr7",
                "__meta_kubernetes_pod_node_name", "gke-dev-us-central-0-main-n2s8-2-14d53341-9hkr",
                "__meta_kubernetes_pod_phase", "Running",
                "__meta_kubernetes_pod_ready", "true",
                "__meta_kubernetes_pod_uid", "4c586419-7f6c-448d-aeec-ca4fa5b05e60",
                "__metrics_path__", "/metrics",
                "__scheme__", "http",
                "__scrape_interval__", "15s",
                "__scrape_timeout__", "10s",
                "job", "kubernetes-pods");
    }

    @Benchmark
    public boolean kubernetesReusedBuilder() {
        return relabeler.apply(builder.reset(pod), cfgs);
    }

    @Benchmark
    public Labels kubernetesProcess() {
        return Relabeler.process(pod, cfgs);
    }
}
