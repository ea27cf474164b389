package io.pyrometer.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Loads {@code prometheus.yml} as Prometheus 3 does: the same keys, defaults and checks, with every
 * error naming file, line and column ({@link ConfigException}).
 *
 * <pre>{@code
 * PrometheusConfig cfg = ConfigLoader.load(Path.of("/etc/prometheus/prometheus.yml"));
 * String before = cfg.sha256();   // compare on reload to skip unchanged files
 * }</pre>
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    private static final Pattern RULE_PATH = Pattern.compile("^[^*]*(\\*[^/]*)?$");

    private static final Map<String, String> TOP_UNSUPPORTED = Map.of(
            "scrape_config_files", "put the scrape configs under scrape_configs in this file");

    /** Reads, parses and validates a file. */
    public static PrometheusConfig load(Path file) throws ConfigException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(file, "cannot read config file: " + e, e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(file, "config file is not valid UTF-8", e);
        }
        return parse(text, file, System::getenv, sha256(bytes));
    }

    /** Parses and validates YAML text; {@code nameForErrors} names the source in messages. */
    public static PrometheusConfig parse(String yaml, Path nameForErrors) throws ConfigException {
        return parse(yaml, nameForErrors, System::getenv);
    }

    /** As {@link #parse(String, Path)}, with {@code env} resolving {@code ${VAR}} in external labels. */
    public static PrometheusConfig parse(String yaml, Path nameForErrors, UnaryOperator<String> env) throws ConfigException {
        return parse(yaml, nameForErrors, env, sha256(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    private static PrometheusConfig parse(String yaml, Path file, UnaryOperator<String> env, String sha) throws ConfigException {
        YamlNode root = YamlTree.parse(yaml, file);
        Fields top = Fields.of(file, "", root, "the top level of the config file");
        GlobalConfig global = top.has("global")
                ? GlobalDecoder.read(Fields.of(file, "global", top.get("global"), "global"), env) : GlobalConfig.DEFAULT;
        List<String> ruleFiles = top.strings("rule_files");
        for (int i = 0; i < ruleFiles.size(); i++) {
            if (!RULE_PATH.matcher(ruleFiles.get(i)).matches()) {
                YamlNode at = Fields.items(file, "rule_files", top.get("rule_files"), "[]string").get(i);
                throw Fields.error(file, at, Fields.index("rule_files", i), "invalid rule file path "
                        + DiscoveryDecoder.quote(ruleFiles.get(i)) + "; '*' may appear only in the last path component");
            }
        }
        List<ScrapeConfig> scrapes = ScrapeDecoder.readAll(top, global);
        AlertingConfig alerting = top.has("alerting")
                ? RemoteDecoder.alerting(Fields.of(file, "alerting", top.get("alerting"), "alerting")) : AlertingConfig.EMPTY;
        List<RemoteWriteConfig> rw = RemoteDecoder.remoteWrite(top);
        List<RemoteReadConfig> rr = RemoteDecoder.remoteRead(top);
        StorageConfig storage = top.has("storage")
                ? GlobalDecoder.storage(Fields.of(file, "storage", top.get("storage"), "storage")) : StorageConfig.DEFAULT;
        ignoredSections(top);
        top.finish(TOP_UNSUPPORTED);
        return new PrometheusConfig(global, scrapes, ruleFiles, alerting, rw, rr, storage, file, sha);
    }

    /** {@code runtime}, {@code tracing} and {@code otlp}: checked like Prometheus does, not used by Pyrometer yet. */
    private static void ignoredSections(Fields top) throws ConfigException {
        if (top.has("runtime")) {
            Fields r = Fields.of(top.file, "runtime", top.get("runtime"), "runtime");
            r.int32("gogc", 0);
            r.finish();
        }
        if (top.has("tracing") && !YamlNode.isNull(top.get("tracing"))) {
            Fields t = Fields.of(top.file, "tracing", top.get("tracing"), "tracing");
            String type = t.string("client_type", "grpc");
            String endpoint = t.string("endpoint", "");
            t.float64("sampling_fraction", 0);
            t.bool("insecure", false);
            if (t.has("tls_config")) HttpClientDecoder.tls(Fields.of(t.file, t.path("tls_config"), t.get("tls_config"), "tls_config"));
            t.stringMap("headers");
            String compression = t.string("compression", "");
            t.durationMs("timeout", 0);
            t.finish();
            if (!type.equals("http") && !type.equals("grpc")) {
                throw t.error("client_type", "expected tracing client type to be to be http or grpc, but got " + type);
            }
            if (endpoint.isEmpty()) throw t.error("endpoint", "tracing endpoint must be set");
            if (!compression.isEmpty() && !compression.equals("gzip")) {
                throw t.error("compression", "invalid compression type " + compression + " provided, valid options: gzip");
            }
        }
        if (top.has("otlp")) {
            Fields o = Fields.of(top.file, "otlp", top.get("otlp"), "otlp");
            o.bool("promote_all_resource_attributes", false);
            o.strings("promote_resource_attributes");
            o.strings("ignore_resource_attributes");
            o.string("translation_strategy", "");
            o.bool("keep_identifying_resource_attributes", false);
            o.bool("convert_histograms_to_nhcb", false);
            o.bool("promote_scope_metadata", false);
            o.bool("label_name_underscore_sanitization", true);
            o.bool("label_name_preserve_multiple_underscores", true);
            o.finish();
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
