package io.pyrometer.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CRDs checked in under {@code crds/pyrometer.io/} and {@code crds/monitoring.coreos.com/} must be
 * what the fabric8 CRD generator makes of the model classes now (it runs in process-classes into
 * {@code target/classes/META-INF/fabric8}). Stale files fail the build; regenerate with
 * {@code ./mvnw -pl operator -am test -Dtest=CrdsUpToDateTest -Dsurefire.failIfNoSpecifiedTests=false -Dpyrometer.crds.update=true}.
 *
 * <p>One post-processing step: the generator sorts printer columns by JSON path; kubectl shows
 * them in CRD order, so they are put back in the order the issue asks for.
 */
class CrdsUpToDateTest {
    static final List<String> PROMETHEUS_COLUMNS =
            List.of("Version", "Shards", "Desired", "Ready", "Reconciled", "Available", "Age");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    static final String HEADER = "# Generated from operator/src/main/java/io/pyrometer/operator/crd by the fabric8\n"
            + "# CRD generator (crd-generator-maven-plugin); do not edit: see operator's CrdsUpToDateTest.\n";

    @Test
    void checkedInCrdsMatchTheModel() throws IOException {
        Path generated = Path.of("target/classes/META-INF/fabric8");
        Path crds = Path.of(System.getProperty("pyrometer.crds.dir", "../crds"));
        List<Path> files;
        try (Stream<Path> s = Files.list(generated)) {
            files = s.filter(p -> p.toString().endsWith("-v1.yml")).sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactly("alertroutes.pyrometer.io-v1.yml", "podmonitors.monitoring.coreos.com-v1.yml",
                        "prometheuses.pyrometer.io-v1.yml", "prometheusrules.monitoring.coreos.com-v1.yml",
                        "servicemonitors.monitoring.coreos.com-v1.yml");
        boolean update = Boolean.getBoolean("pyrometer.crds.update");
        List<String> stale = new ArrayList<>();
        for (Path f : files) {
            JsonNode crd = postProcess(YAML.readTree(f.toFile()));
            String want = HEADER + YAML.writeValueAsString(crd);
            String group = crd.at("/spec/group").asText();
            Path target = crds.resolve(group).resolve(f.getFileName().toString().replace("-v1.yml", ".yaml"));
            String have = Files.exists(target) ? Files.readString(target) : "";
            if (!have.equals(want)) {
                if (update) {
                    Files.createDirectories(target.getParent());
                    Files.writeString(target, want);
                } else {
                    stale.add(target.toString());
                }
            }
        }
        assertThat(stale).as("stale CRDs: regenerate with -Dpyrometer.crds.update=true (see this test's Javadoc)").isEmpty();
    }

    @Test
    void prometheusCrdHasTheColumnsScaleAndShortNameUsersRelyOn() throws IOException {
        Path crd = Path.of(System.getProperty("pyrometer.crds.dir", "../crds"), "pyrometer.io", "prometheuses.pyrometer.io.yaml");
        JsonNode root = YAML.readTree(crd.toFile());
        assertThat(root.at("/spec/names/shortNames/0").asText()).isEqualTo("pyro");
        assertThat(root.at("/spec/names/kind").asText()).isEqualTo("Prometheus");
        JsonNode v = root.at("/spec/versions/0");
        List<String> cols = new ArrayList<>();
        v.get("additionalPrinterColumns").forEach(c -> cols.add(c.get("name").asText()));
        assertThat(cols).isEqualTo(PROMETHEUS_COLUMNS);
        assertThat(v.at("/subresources/scale/specReplicasPath").asText()).isEqualTo(".spec.shards");
        assertThat(v.at("/subresources/scale/labelSelectorPath").asText()).isEqualTo(".status.selector");
        assertThat(v.at("/subresources/status").isObject()).isTrue();
        JsonNode spec = v.at("/schema/openAPIV3Schema/properties/spec/properties");
        for (String field : List.of("version", "image", "shards", "replicas", "retention", "retentionSize", "storage",
                "resources", "serviceMonitorSelector", "serviceMonitorNamespaceSelector", "podMonitorSelector",
                "podMonitorNamespaceSelector", "ruleSelector", "ruleNamespaceSelector", "alertRouteSelector",
                "alertRouteNamespaceSelector", "scrapeInterval", "evaluationInterval", "externalLabels", "paused",
                "securityContext", "nodeSelector", "tolerations", "affinity", "additionalScrapeConfigs", "router")) {
            assertThat(spec.has(field)).as(field).isTrue();
            assertThat(spec.get(field).path("description").asText()).as(field + " description").isNotBlank();
        }
        assertThat(spec.at("/serviceMonitorSelector/description").asText()).contains("null selects no ServiceMonitor", "{} selects all");
        assertThat(spec.at("/ruleNamespaceSelector/description").asText()).contains("own namespace", "{} means all namespaces");
    }

    @Test
    void monitoringCrdsKeepUnknownFieldsAndUpstreamNames() throws IOException {
        Path dir = Path.of(System.getProperty("pyrometer.crds.dir", "../crds"), "monitoring.coreos.com");
        for (String[] c : new String[][] {{"servicemonitors", "ServiceMonitor", "smon"}, {"podmonitors", "PodMonitor", "pmon"},
                {"prometheusrules", "PrometheusRule", "promrule"}}) {
            JsonNode root = YAML.readTree(dir.resolve(c[0] + ".monitoring.coreos.com.yaml").toFile());
            assertThat(root.at("/spec/names/kind").asText()).isEqualTo(c[1]);
            assertThat(root.at("/spec/names/shortNames/0").asText()).isEqualTo(c[2]);
            JsonNode v = root.at("/spec/versions/0");
            assertThat(v.get("name").asText()).isEqualTo("v1");
            // every field prometheus-operator's schema has must be accepted: the spec keeps unknown fields
            assertThat(v.at("/schema/openAPIV3Schema/properties/spec/x-kubernetes-preserve-unknown-fields").asBoolean())
                    .as(c[0] + " spec keeps unknown fields").isTrue();
        }
    }

    static JsonNode postProcess(JsonNode crd) {
        for (JsonNode version : crd.at("/spec/versions")) {
            JsonNode cols = version.get("additionalPrinterColumns");
            if (cols == null || !"Prometheus".equals(crd.at("/spec/names/kind").asText())) continue;
            List<JsonNode> sorted = new ArrayList<>();
            cols.forEach(sorted::add);
            sorted.sort((a, b) -> Integer.compare(PROMETHEUS_COLUMNS.indexOf(a.get("name").asText()),
                    PROMETHEUS_COLUMNS.indexOf(b.get("name").asText())));
            ArrayNode arr = ((ObjectNode) version).putArray("additionalPrinterColumns");
            sorted.forEach(arr::add);
        }
        return crd;
    }
}
