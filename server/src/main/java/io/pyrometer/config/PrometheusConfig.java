package io.pyrometer.config;

import java.nio.file.Path;
import java.util.List;

/**
 * A loaded and validated {@code prometheus.yml}, as Prometheus 3 understands it. Immutable; global
 * defaults are already applied into every {@link ScrapeConfig}, so consumers read one value.
 *
 * <pre>{@code
 * PrometheusConfig cfg = ConfigLoader.load(Path.of("prometheus.yml"));
 * for (ScrapeConfig sc : cfg.scrapeConfigs()) schedule(sc.jobName(), sc.scrapeIntervalMs());
 * }</pre>
 *
 * @param ruleFiles    rule file globs as written (relative to the config file's directory)
 * @param sourceFile   the file this came from (or the name given to {@link ConfigLoader#parse})
 * @param sha256       hex SHA-256 of the file content, for change detection on reload; empty when built in code
 */
public record PrometheusConfig(
        GlobalConfig global,
        List<ScrapeConfig> scrapeConfigs,
        List<String> ruleFiles,
        AlertingConfig alerting,
        List<RemoteWriteConfig> remoteWrite,
        List<RemoteReadConfig> remoteRead,
        StorageConfig storage,
        Path sourceFile,
        String sha256) {

    public PrometheusConfig {
        scrapeConfigs = List.copyOf(scrapeConfigs);
        ruleFiles = List.copyOf(ruleFiles);
        remoteWrite = List.copyOf(remoteWrite);
        remoteRead = List.copyOf(remoteRead);
    }

    /** A config built in code (tests, the operator): no file content to hash. */
    public PrometheusConfig(GlobalConfig global, List<ScrapeConfig> scrapeConfigs, List<String> ruleFiles,
                            AlertingConfig alerting, List<RemoteWriteConfig> remoteWrite, List<RemoteReadConfig> remoteRead,
                            StorageConfig storage, Path sourceFile) {
        this(global, scrapeConfigs, ruleFiles, alerting, remoteWrite, remoteRead, storage, sourceFile, "");
    }

    /** The scrape config with this job name, or null. */
    public ScrapeConfig scrapeConfig(String jobName) {
        for (ScrapeConfig sc : scrapeConfigs) if (sc.jobName().equals(jobName)) return sc;
        return null;
    }

    /** Rule file globs resolved against the config file's directory, as Prometheus's SetDirectory does. */
    public List<Path> resolvedRuleFiles() {
        Path dir = sourceFile == null || sourceFile.toAbsolutePath().getParent() == null
                ? Path.of("") : sourceFile.toAbsolutePath().getParent();
        return ruleFiles.stream().map(dir::resolve).toList();
    }
}
