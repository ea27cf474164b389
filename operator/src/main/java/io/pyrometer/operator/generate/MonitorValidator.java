package io.pyrometer.operator.generate;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.pyrometer.config.ConfigException;
import io.pyrometer.config.ConfigLoader;
import io.pyrometer.operator.crd.monitoring.v1.MonitorSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides whether a selected ServiceMonitor/PodMonitor is used. Rejected when it carries fields
 * this operator does not support yet ({@link UnsupportedFields}: scraping without, say, its
 * basicAuth would be wrong, so it is not scraped at all and the binding says which fields), when
 * its selector uses an unknown operator, or when a generated job does not pass the server's own
 * config loader (bad relabel regex or action, bad duration...): the job is checked alone with its
 * {@code kubernetes_sd_configs} swapped for an empty {@code static_configs}, so one bad monitor never
 * breaks the whole configuration.
 */
public final class MonitorValidator {
    private static final Set<String> OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");

    private MonitorValidator() {}

    /** Why {@code m} is rejected, or null when it is accepted. {@code jobs} are its generated jobs. */
    public static String rejection(HasMetadata m, MonitorSpec spec, List<Map<String, Object>> jobs) {
        List<String> unsupported = UnsupportedFields.of(spec, "spec");
        if (!unsupported.isEmpty()) {
            return "not supported by pyrometer-operator yet: " + String.join(", ", unsupported)
                    + "; remove them to have this " + m.getKind() + " scraped";
        }
        String sel = selectorProblem(spec.selector);
        if (sel != null) return sel;
        for (Map<String, Object> job : jobs) {
            String p = checkJob(job);
            if (p != null) return "job " + job.get("job_name") + ": " + p;
        }
        return null;
    }

    private static String selectorProblem(LabelSelector s) {
        if (s == null || s.getMatchExpressions() == null) return null;
        for (LabelSelectorRequirement r : s.getMatchExpressions()) {
            if (!OPERATORS.contains(r.getOperator())) {
                return "spec.selector.matchExpressions: unknown operator \"" + r.getOperator() + "\" for key " + r.getKey()
                        + ": use In, NotIn, Exists or DoesNotExist";
            }
        }
        return null;
    }

    /** The job through {@link ConfigLoader}, discovery swapped out; null when it loads. */
    static String checkJob(Map<String, Object> job) {
        Map<String, Object> copy = new LinkedHashMap<>(job);
        copy.remove("kubernetes_sd_configs");
        copy.put("static_configs", new ArrayList<>());
        String yaml = ServerConfig.yaml(Map.of("scrape_configs", List.of(copy)));
        try {
            ConfigLoader.parse(yaml, Path.of("generated.yml"), v -> "0");
            return null;
        } catch (ConfigException e) {
            String path = e.path().replaceFirst("^scrape_configs\\[0\\]\\.?", "");
            return (path.isEmpty() ? "" : path + ": ") + e.detail();
        } catch (RuntimeException e) {
            return "invalid configuration: " + e.getMessage();
        }
    }
}
