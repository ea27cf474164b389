package io.pyrometer.promql.parser;

import io.pyrometer.promql.ast.Expr;
import io.pyrometer.promql.ast.Printer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parsing and printing typical dashboard and alerting queries (rules are parsed once per
 * evaluation cycle, API queries once per request):
 * {@code ./mvnw -q -o -pl server -Pjmh test-compile exec:exec -Djmh.args="ParserBench -f 1 -wi 2 -i 3 -prof gc"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ParserBench {
    @Param({
        "up",
        "sum by (job) (rate(http_requests_total{job=\"api\",code=~\"5..\"}[5m] offset 1m))",
        "histogram_quantile(0.99, sum by (le, service) (rate(request_duration_seconds_bucket{env=\"prod\"}[5m]))) > 0.5 and on (service) group_left (team) service_owner_info",
        "(node_filesystem_avail_bytes{job=\"node\",fstype!=\"\"} / node_filesystem_size_bytes{job=\"node\",fstype!=\"\"} * 100 < 40 and predict_linear(node_filesystem_avail_bytes{job=\"node\",fstype!=\"\"}[6h], 24*60*60) < 0 and node_filesystem_readonly{job=\"node\",fstype!=\"\"} == 0)",
    })
    public String query;

    Expr parsed;

    @Setup
    public void setup() { parsed = Parser.parseExpr(query); }

    @Benchmark
    public Expr parse() { return Parser.parseExpr(query); }

    @Benchmark
    public String print() { return Printer.print(parsed); }
}
