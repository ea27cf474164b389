package io.pyrometer.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
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

    /**
     * Reads, parses and validates a file. Relative file names inside (rule files, file_sd patterns,
     * credential and TLS files, log files) are joined with the file's directory, as Prometheus does, and
     * the jobs of {@code scrape_config_files} are read and appended to {@code scrapeConfigs()}; then
     * {@code sha256()} covers those files too.
     */
    public static PrometheusConfig load(Path file) throws ConfigException {
        String text = readUtf8(file);
        Parsed p = parseMain(text, file, System::getenv);
        Path dir = file.toAbsolutePath().getParent();
        PrometheusConfig c = dir == null ? p.config() : ConfigPaths.resolve(p.config(), dir);
        List<String> patterns = new ArrayList<>();
        for (String pattern : p.scrapeConfigFiles()) patterns.add(dir == null ? pattern : ConfigPaths.join(dir, pattern));
        ScrapeConfigFiles.Included inc = ScrapeConfigFiles.read(patterns, c.global(), c.scrapeConfigs(), new HashMap<>());
        List<ScrapeConfig> scrapes = new ArrayList<>(c.scrapeConfigs());
        scrapes.addAll(inc.scrapeConfigs());
        return new PrometheusConfig(c.global(), scrapes, c.ruleFiles(), c.alerting(), c.remoteWrite(), c.remoteRead(),
                c.storage(), file, ScrapeConfigFiles.sha256(text.getBytes(StandardCharsets.UTF_8), inc)); // valid UTF-8: the same bytes
    }

    /**
     * A config file's text (this one's, or the alert router's {@code alertmanager.yml}), with the
     * errors a user can act on: missing file, permission, not UTF-8.
     */
    public static String readUtf8(Path file) throws ConfigException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, "open " + file + ": no such file or directory; check --config.file", e);
        } catch (AccessDeniedException e) {
            throw new ConfigException(file, "open " + file + ": permission denied", e);
        } catch (IOException e) {
            throw new ConfigException(file, "cannot read config file: " + e.getMessage(), e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(file, "config file is not valid UTF-8", e);
        }
        return text;
    }

    /**
     * Parses and validates YAML text; {@code nameForErrors} names the source in messages. File names stay
     * as written and {@code scrape_config_files} are checked but not read (there is no directory).
     */
    public static PrometheusConfig parse(String yaml, Path nameForErrors) throws ConfigException {
        return parse(yaml, nameForErrors, System::getenv);
    }

    /** As {@link #parse(String, Path)}, with {@code env} resolving {@code ${VAR}} in external labels. */
    public static PrometheusConfig parse(String yaml, Path nameForErrors, UnaryOperator<String> env) throws ConfigException {
        return parseMain(yaml, nameForErrors, env).config();
    }

    /** The main file's config, and its {@code scrape_config_files} patterns for {@link #load} to read. */
    private record Parsed(PrometheusConfig config, List<String> scrapeConfigFiles) {}

    private static Parsed parseMain(String yaml, Path file, UnaryOperator<String> env) throws ConfigException {
        String sha = sha256(yaml.getBytes(StandardCharsets.UTF_8));
        YamlNode root = YamlTree.parse(yaml, file);
        Fields top = Fields.of(file, "", root, "the top level of the config file");
        GlobalConfig global = top.has("global")
                ? GlobalDecoder.read(Fields.of(file, "global", top.get("global"), "global"), env) : GlobalConfig.DEFAULT;
        List<String> ruleFiles = globs(top, "rule_files", "invalid rule file path ");
        List<String> scrapeFiles = globs(top, "scrape_config_files", "invalid scrape config file path ");
        List<ScrapeConfig> scrapes = ScrapeDecoder.readAll(top, global);
        AlertingConfig alerting = top.has("alerting")
                ? RemoteDecoder.alerting(Fields.of(file, "alerting", top.get("alerting"), "alerting")) : AlertingConfig.EMPTY;
        List<RemoteWriteConfig> rw = RemoteDecoder.remoteWrite(top);
        List<RemoteReadConfig> rr = RemoteDecoder.remoteRead(top);
        StorageConfig storage = top.has("storage")
                ? GlobalDecoder.storage(Fields.of(file, "storage", top.get("storage"), "storage")) : StorageConfig.DEFAULT;
        ignoredSections(top);
        top.finish();
        return new Parsed(new PrometheusConfig(global, scrapes, ruleFiles, alerting, rw, rr, storage, file, sha), scrapeFiles);
    }

    /** File globs with {@code *} only in the last path component (Prometheus's {@code patRulePath}). */
    private static List<String> globs(Fields top, String key, String invalid) throws ConfigException {
        List<String> globs = top.strings(key);
        for (int i = 0; i < globs.size(); i++) {
            if (!RULE_PATH.matcher(globs.get(i)).matches()) {
                YamlNode at = Fields.items(top.file, key, top.get(key), "[]string").get(i);
                throw Fields.error(top.file, at, Fields.index(key, i), invalid + DiscoveryDecoder.quote(globs.get(i))
                        + "; '*' may appear only in the last path component");
            }
        }
        return globs;
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
            Map<String, String> headers = t.stringMap("headers");
            String compression = t.string("compression", "");
            t.durationMs("timeout", 0);
            t.finish();
            if (!type.equals("http") && !type.equals("grpc")) {
                throw t.error("client_type", "expected tracing client type to be to be http or grpc, but got " + type);
            }
            RemoteDecoder.checkTracingHeaders(t, headers);
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

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
