package io.pyrometer.template;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An alert annotation as the rules engine expands it (Prometheus's variable definitions, then
 * {@code $labels} and {@code $value | humanize}): parsed once, executed 1,000 times per
 * invocation against alerts with different values; and the parse alone (Prometheus re-parses on
 * every expansion):
 * {@code ./mvnw -q -o -pl server -Pjmh test-compile exec:exec -Djmh.args="TemplateBench -f 1 -wi 2 -i 3 -prof gc"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class TemplateBench {
    static final String ANNOTATION = Expander.alertDefinitions()
            + "{{ $labels.instance }} of job {{ $labels.job }} has {{ $value | humanize }}B free"
            + " ({{ printf \"%.1f\" $value }} bytes){{ if gt $value 1e9 }}, above 1G{{ end }}";

    Template parsed;
    Object[] alerts;

    @Setup
    public void setup() throws TemplateException {
        parsed = Expander.parse("__alert_DiskLow", ANNOTATION, 1_700_000_000_000L, null, "http://prom:9090");
        alerts = new Object[1000];
        for (int i = 0; i < alerts.length; i++) {
            alerts[i] = Expander.alertData(Map.of("instance", "node-" + i + ":9100", "job", "node", "mountpoint", "/"),
                    Map.of("cluster", "eu1"), "http://prom:9090", 1_000_000.0 * (i + 1) + i / 7.0);
        }
    }

    @Benchmark
    @OperationsPerInvocation(1000)
    public int execute1000() throws TemplateException {
        int n = 0;
        for (Object a : alerts) n += parsed.execute(a).length();
        return n;
    }

    @Benchmark
    public Template parse() throws TemplateException {
        return Expander.parse("__alert_DiskLow", ANNOTATION, 1_700_000_000_000L, null, "http://prom:9090");
    }
}
