package io.pyrometer.operator.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The whole {@code prometheus.yml} of one shard, as prometheus-operator's
 * {@code GenerateServerConfiguration} (pkg/prometheus/promcfg.go) lays it out: {@code global}
 * (scrape_interval, external_labels {@code prometheus}/{@code prometheus_replica} plus the user's,
 * sorted; evaluation_interval), {@code rule_files}, {@code scrape_configs} (ServiceMonitor jobs,
 * PodMonitor jobs, then additional scrape configs), {@code alerting}.
 *
 * <p>{@code prometheus_replica} is {@code ${POD_NAME}}, not upstream's {@code $(POD_NAME)}: with
 * no config-reloader to substitute it, the server expands {@code ${VAR}} in external labels itself
 * (as Prometheus 3 does), from the POD_NAME variable the StatefulSet sets.
 */
public final class ServerConfig {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));

    /**
     * @param namespace, name      the Prometheus resource
     * @param scrapeInterval       defaulted
     * @param evaluationInterval   defaulted
     * @param externalLabels       the user's; {@code prometheus} and {@code prometheus_replica} win
     * @param ruleFileGlobs        rule_files entries; null writes no rule_files (no ruleSelector)
     * @param jobs                 generated jobs, in order
     * @param alertmanagers        {@code host:port} of the alert router pods' service; empty for none
     */
    public record Input(String namespace, String name, String scrapeInterval, String evaluationInterval,
            Map<String, String> externalLabels, List<String> ruleFileGlobs, List<Map<String, Object>> jobs,
            List<String> alertmanagers) {}

    private ServerConfig() {}

    public static Map<String, Object> tree(Input in) {
        Map<String, Object> cfg = new LinkedHashMap<>();
        Map<String, Object> global = new LinkedHashMap<>();
        global.put("scrape_interval", in.scrapeInterval());
        TreeMap<String, String> ext = new TreeMap<>();
        if (in.externalLabels() != null) ext.putAll(in.externalLabels());
        ext.put("prometheus", in.namespace() + "/" + in.name());
        ext.put("prometheus_replica", "${POD_NAME}");
        global.put("external_labels", ext);
        global.put("evaluation_interval", in.evaluationInterval());
        cfg.put("global", global);
        if (in.ruleFileGlobs() != null) cfg.put("rule_files", in.ruleFileGlobs());
        cfg.put("scrape_configs", new ArrayList<>(in.jobs()));
        if (!in.alertmanagers().isEmpty()) {
            cfg.put("alerting", Map.of("alertmanagers", List.of(Map.of(
                    "api_version", "v2",
                    "static_configs", List.of(Map.of("targets", in.alertmanagers()))))));
        }
        return cfg;
    }

    public static String yaml(Object tree) {
        try {
            return YAML.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
