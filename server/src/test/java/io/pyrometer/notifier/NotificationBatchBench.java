package io.pyrometer.notifier;

import io.pyrometer.model.Labels;
import io.pyrometer.model.relabel.RelabelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Issue 10's bar: building the notification batches for 1,000 firing alerts with templated
 * annotations in under 50 ms. Each alert has 6 labels and two ~200-byte annotations (fixed seed);
 * {@code encode} splits them into batches of 64 and encodes each as Alertmanager v2 JSON;
 * {@code relabelAndEncode} also does what {@link NotificationManager#send} does first (external
 * labels and an {@code alert_relabel_configs} step).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NotificationBatchBench {
    private List<Alert> alerts;
    private final AlertsJson json = new AlertsJson();
    private final Labels external = Labels.of("cluster", "eu-west-1", "replica", "a");
    private final List<RelabelConfig> relabel = List.of(
            RelabelConfig.of(List.of("severity"), null, "debug", null, null, null, RelabelConfig.Action.DROP));

    @Setup
    public void setup() {
        Random rnd = new Random(10);
        alerts = new ArrayList<>(1000);
        String[] severities = {"critical", "warning", "info"};
        for (int i = 0; i < 1000; i++) {
            String instance = "node-" + rnd.nextInt(500) + ".prod.example.com:9100";
            Labels labels = Labels.of("alertname", "HighCpuUsage" + (i % 20), "instance", instance, "job", "node",
                    "severity", severities[rnd.nextInt(3)], "team", "infra-" + rnd.nextInt(8), "region", "eu-west-" + rnd.nextInt(3));
            String summary = "CPU usage on " + instance + " is above 90% for more than 10 minutes (current value: "
                    + (90 + rnd.nextInt(10)) + "." + rnd.nextInt(100) + "%). Check the processes with the highest usage.";
            String description = "The 5m average CPU usage of " + instance + " has exceeded the threshold. "
                    + "Runbook: https://runbooks.example.com/node/high-cpu#" + rnd.nextInt(1000) + " <see dashboard> & alert history.";
            alerts.add(new Alert(labels, Labels.of("summary", summary, "description", description),
                    1_765_000_000_000L + rnd.nextInt(3_600_000), 1_765_003_600_000L + rnd.nextInt(60_000),
                    "http://prometheus.example.com:9090/graph?g0.expr=cpu_usage%3E0.9&g0.tab=1"));
        }
    }

    @Benchmark
    public void encode(Blackhole bh) {
        for (int i = 0; i < alerts.size(); i += NotificationManager.DEFAULT_MAX_BATCH_SIZE) {
            bh.consume(json.encode(alerts.subList(i, Math.min(alerts.size(), i + NotificationManager.DEFAULT_MAX_BATCH_SIZE))));
        }
    }

    @Benchmark
    public void relabelAndEncode(Blackhole bh) {
        List<Alert> relabeled = NotificationManager.relabel(relabel, external, alerts);
        for (int i = 0; i < relabeled.size(); i += NotificationManager.DEFAULT_MAX_BATCH_SIZE) {
            bh.consume(json.encode(relabeled.subList(i, Math.min(relabeled.size(), i + NotificationManager.DEFAULT_MAX_BATCH_SIZE))));
        }
    }
}
