package io.pyrometer.operator.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.pyrometer.operator.cli.Manifests;
import io.pyrometer.operator.crd.monitoring.v1.PodMonitor;
import io.pyrometer.operator.crd.monitoring.v1.ServiceMonitor;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The jobs generated for a ServiceMonitor/PodMonitor equal prometheus-operator's, field by field.
 * Each case is one of prometheus-operator's Go tests (pkg/prometheus/promcfg_test.go,
 * {@code Test<name>}, expected output pkg/prometheus/testdata/<name>.golden there); the expected
 * jobs here are written by hand from upstream's promcfg.go semantics (see
 * src/test/resources/golden/README.md). Generated in upstream's placeholder form
 * ({@code $(SHARD)}), one shard, as {@code defaultPrometheus()} there.
 */
class ScrapeJobsGoldenTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @ParameterizedTest
    @ValueSource(strings = {"MatchExpressionsServiceMonitor", "PodMonitorPhaseFilter", "SettingHonorTimestampsInServiceMonitor",
            "GenerateRelabelConfig"})
    void jobsMatchPrometheusOperatorsGoldenFile(String name) throws Exception {
        List<HasMetadata> input = Manifests.parse(resource(name + ".input.yaml"), name + ".input.yaml");
        ScrapeJobs.Options o = new ScrapeJobs.Options(1, ScrapeJobs.SHARD_PLACEHOLDER, List.of());
        List<Map<String, Object>> jobs = new ArrayList<>();
        for (HasMetadata r : input) {
            if (r instanceof ServiceMonitor sm) jobs.addAll(ScrapeJobs.serviceMonitor(sm, o));
            if (r instanceof PodMonitor pm) jobs.addAll(ScrapeJobs.podMonitor(pm, o));
        }
        JsonNode ours = YAML.readTree(ServerConfig.yaml(jobs));
        JsonNode golden = YAML.readTree(resource(name + ".expected.yaml"));
        assertThat(ours.size()).as("number of jobs").isEqualTo(golden.size());
        for (int i = 0; i < golden.size(); i++) {
            JsonNode g = golden.get(i);
            JsonNode o2 = ours.get(i);
            // Field by field and in upstream's key order, so a difference names the field.
            assertThat(fieldNames(o2)).as("job %d keys", i).isEqualTo(fieldNames(g));
            for (String f : fieldNames(g)) {
                assertThat(o2.get(f)).as("job %d field %s", i, f).isEqualTo(g.get(f));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"MatchExpressionsServiceMonitor", "PodMonitorPhaseFilter"})
    void literalShardReplacesThePlaceholderAndNothingElse(String name) throws Exception {
        List<HasMetadata> input = Manifests.parse(resource(name + ".input.yaml"), name);
        String placeholder = ServerConfig.yaml(jobsOf(input, new ScrapeJobs.Options(3, ScrapeJobs.SHARD_PLACEHOLDER, List.of())));
        String shard2 = ServerConfig.yaml(jobsOf(input, ScrapeJobs.Options.forShard(3, 2)));
        assertThat(shard2).isEqualTo(placeholder.replace("$(SHARD);|.+;.+", "2;|.+;.+"));
        assertThat(shard2).contains("modulus: 3");
    }

    private static List<Map<String, Object>> jobsOf(List<HasMetadata> input, ScrapeJobs.Options o) {
        List<Map<String, Object>> jobs = new ArrayList<>();
        for (HasMetadata r : input) {
            if (r instanceof ServiceMonitor sm) jobs.addAll(ScrapeJobs.serviceMonitor(sm, o));
            if (r instanceof PodMonitor pm) jobs.addAll(ScrapeJobs.podMonitor(pm, o));
        }
        return jobs;
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    static String resource(String name) throws Exception {
        try (InputStream in = ScrapeJobsGoldenTest.class.getResourceAsStream("/golden/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
