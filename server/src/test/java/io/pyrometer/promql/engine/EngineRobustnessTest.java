package io.pyrometer.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrometer.model.Labels;
import io.pyrometer.model.Values;
import io.pyrometer.storage.Appender;
import io.pyrometer.storage.MemStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every query of the upstream scripts, run against random data at random times as instant and
 * range queries: the engine answers or fails with a {@link PromQLException}, never with anything
 * else. Prints its seed; rerun one with {@code -Dpyrometer.seed=<seed>}.
 */
class EngineRobustnessTest {
    private static final Pattern EVAL = Pattern.compile("^\\s*eval(?:_\\w+)?\\s+(?:instant\\s+at\\s+\\S+|range\\s+from\\s+\\S+\\s+to\\s+\\S+\\s+step\\s+\\S+)\\s+(.+)$");

    @Test
    void everyScriptQueryAnswersOrFailsCleanly() throws IOException {
        Path dir = Path.of(System.getProperty("pyrometer.conformance.dir", "../../shared/conformance/promqltest"));
        Assumptions.assumeTrue(Files.isDirectory(dir), "conformance scripts not found at " + dir.toAbsolutePath());
        long seed = Long.getLong("pyrometer.seed", System.nanoTime());
        System.out.println("EngineRobustnessTest seed=" + seed);
        Random rnd = new Random(seed);
        MemStorage storage = randomData(rnd);
        Engine engine = new Engine(EngineOptions.defaults().withExperimentalFunctions(true).withDelayedNameRemoval(rnd.nextBoolean())
                .withMaxSamples(200_000));
        List<String> queries = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".test")).sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    Matcher m = EVAL.matcher(line);
                    if (m.matches()) queries.add(m.group(1));
                }
            }
        }
        int answered = 0, failed = 0;
        for (String q : queries) {
            long t = rnd.nextLong(0, 3_600_000);
            try {
                engine.instantQuery(storage, q, t);
                engine.rangeQuery(storage, q, t, t + 600_000, 1 + rnd.nextLong(1, 120_000));
                answered++;
            } catch (PromQLException e) {
                assertThat(e.getMessage()).as("error message of %s", q).isNotBlank();
                failed++;
            } catch (RuntimeException | StackOverflowError e) {
                throw new AssertionError("query " + q + " (seed " + seed + ") threw " + e, e);
            }
        }
        System.out.println("EngineRobustnessTest queries=" + queries.size() + " answered=" + answered + " failedCleanly=" + failed);
        assertThat(answered).isGreaterThan(queries.size() / 2);
    }

    private static MemStorage randomData(Random rnd) {
        String[] names = {"http_requests", "http_requests_total", "metric", "foo", "x", "testcounter_reset_middle_total",
            "test_histogram_bucket", "target_info", "build_info", "data", "up"};
        MemStorage s = new MemStorage();
        Appender app = s.appender();
        for (String name : names) {
            for (int series = 0; series < 4; series++) {
                Labels.Builder b = Labels.builder().set("__name__", name).set("job", "j" + rnd.nextInt(2))
                        .set("instance", Integer.toString(series));
                if (name.endsWith("_bucket")) b.set("le", series == 3 ? "+Inf" : Double.toString(0.1 * (series + 1)));
                if (rnd.nextBoolean()) b.set("group", rnd.nextBoolean() ? "canary" : "production");
                Labels l = b.build();
                double v = rnd.nextInt(100);
                for (long t = 0; t <= 4_000_000; t += 15_000 + rnd.nextInt(30_000)) {
                    int kind = rnd.nextInt(50);
                    double sample = kind == 0 ? Values.STALE_NAN : kind == 1 ? Double.NaN : kind == 2 ? Double.POSITIVE_INFINITY : v;
                    app.append(0, l, t, sample);
                    v += rnd.nextInt(10) - (rnd.nextInt(20) == 0 ? v : 0);
                }
            }
        }
        app.commit();
        return s;
    }
}
