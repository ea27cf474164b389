package io.pyrometer.cli;

import io.pyrometer.config.AlertingConfig;
import io.pyrometer.config.ConfigException;
import io.pyrometer.config.ConfigLoader;
import io.pyrometer.config.FileSdConfig;
import io.pyrometer.config.HttpClientConfig;
import io.pyrometer.config.PrometheusConfig;
import io.pyrometer.config.ScrapeConfig;
import io.pyrometer.discovery.TargetGroupCodec;
import io.pyrometer.model.Labels;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code promtool check config}: loads each file, and unless {@code --syntax-only} checks what
 * it refers to as promtool does: explicit rule files exist (globs may match nothing), TLS client
 * cert/key files and credentials files exist, file_sd files parse (a pattern matching nothing is a
 * warning), and each rule file as {@code check rules} does.
 */
final class ToolCheckConfig {
    private ToolCheckConfig() {}

    /** A check that failed; the message is what promtool prints after {@code FAILED:}. */
    static final class CheckException extends Exception {
        CheckException(String message) { super(message, null, false, false); }
    }

    /** Checks every file (a failure does not stop the others); exit 1 when any fails. */
    static int check(List<String> files, boolean syntaxOnly, boolean lintDuplicates, boolean lintFatal, PrintStream out, PrintStream err) {
        boolean failed = false, hasErrors = false;
        for (String f : files) {
            out.println("Checking " + f);
            List<Path> ruleFiles;
            try {
                ruleFiles = checkOne(Path.of(f), syntaxOnly, out);
            } catch (CheckException e) {
                err.println("  FAILED: " + e.getMessage());
                out.println();
                failed = true;
                hasErrors = true;
                continue;
            }
            if (!ruleFiles.isEmpty()) out.println("  SUCCESS: " + ruleFiles.size() + " rule files found");
            out.println(" SUCCESS: " + f + " is valid prometheus config file syntax");
            out.println();
            for (Path r : ruleFiles) {
                ToolCheckRules.Result res = ToolCheckRules.checkFile(r, lintDuplicates, out);
                if (res.failed()) {
                    err.println("  FAILED:");
                    for (String e : res.errors()) err.println("     " + e);
                    failed = true;
                    hasErrors |= !res.onlyLint();
                } else {
                    out.println("  SUCCESS: " + res.rules() + " rules found");
                }
                out.println();
            }
        }
        if (failed && hasErrors) return ToolCommand.FAILURE;
        if (failed && lintFatal) return ToolCheckRules.LINT_EXIT;
        return ToolCommand.SUCCESS;
    }

    /** Loads and checks one config; returns its rule files as promtool names them. */
    private static List<Path> checkOne(Path file, boolean syntaxOnly, PrintStream out) throws CheckException {
        PrometheusConfig cfg;
        try {
            cfg = ConfigLoader.load(file);
        } catch (ConfigException e) {
            throw new CheckException(e.getMessage());
        }
        Paths paths = new Paths(file);
        List<Path> ruleFiles = new ArrayList<>();
        if (!syntaxOnly) {
            for (String rf : cfg.ruleFiles()) {
                Path shown = paths.shown(rf);
                List<Path> matches = glob(shown);
                if (!isGlob(shown) && matches.isEmpty()) throw new CheckException(quote(shown.toString()) + " does not point to an existing file");
                ruleFiles.addAll(matches);
            }
        }
        for (ScrapeConfig s : cfg.scrapeConfigs()) {
            HttpClientConfig.Authorization auth = s.http().authorization();
            if (!syntaxOnly && auth != null) {
                exists(paths, auth.credentialsFile(), "error checking authorization credentials or bearer token file ");
            }
            checkTls(paths, s.http().tls(), syntaxOnly);
            // promtool checks the TLS files of kubernetes_sd_configs too (cmd/promtool/main.go checkConfig)
            for (var k8s : s.discovery().kubernetesSdConfigs()) checkTls(paths, k8s.http().tls(), syntaxOnly);
            if (syntaxOnly) continue;
            for (FileSdConfig sd : s.discovery().fileSdConfigs()) {
                checkFileSd(paths, sd, "scrape job " + quote(s.jobName()), out);
            }
        }
        if (!syntaxOnly) {
            for (AlertingConfig.AlertmanagerConfig am : cfg.alerting().alertmanagers()) {
                for (FileSdConfig sd : am.discovery().fileSdConfigs()) checkFileSd(paths, sd, "alertmanager config", out);
            }
        }
        return ruleFiles;
    }

    private static void checkTls(Paths paths, HttpClientConfig.TlsConfig tls, boolean syntaxOnly) throws CheckException {
        boolean cert = !tls.certFile().isEmpty(), key = !tls.keyFile().isEmpty();
        if (cert && !key) throw new CheckException("client cert file " + quote(paths.shown(tls.certFile()).toString()) + " specified without client key file");
        if (key && !cert) throw new CheckException("client key file " + quote(paths.shown(tls.keyFile()).toString()) + " specified without client cert file");
        if (syntaxOnly) return;
        exists(paths, tls.certFile(), "error checking client cert file ");
        exists(paths, tls.keyFile(), "error checking client key file ");
    }

    private static void exists(Paths paths, String file, String what) throws CheckException {
        if (file == null || file.isEmpty()) return;
        Path shown = paths.shown(file);
        if (!Files.exists(shown)) throw new CheckException(what + quote(shown.toString()) + ": stat " + shown + ": no such file or directory");
    }

    /** Every file a pattern matches must hold valid target groups; a pattern matching nothing is only a warning. */
    private static void checkFileSd(Paths paths, FileSdConfig sd, String where, PrintStream out) throws CheckException {
        for (String pattern : sd.files()) {
            Path shown = paths.shown(pattern);
            List<Path> matches = glob(shown);
            if (matches.isEmpty()) {
                out.println("  WARNING: file " + quote(shown.toString()) + " for file_sd in " + where + " does not exist");
                continue;
            }
            for (Path m : matches) {
                try {
                    byte[] content = Files.readAllBytes(m);
                    String name = m.getFileName().toString().toLowerCase(Locale.ROOT);
                    if (name.endsWith(".json")) TargetGroupCodec.parseJson(content);
                    else if (name.endsWith(".yml") || name.endsWith(".yaml")) TargetGroupCodec.parseYaml(content);
                    else throw new CheckException("checking SD file " + quote(shown.toString()) + ": invalid file extension: "
                                + quote(name.contains(".") ? name.substring(name.lastIndexOf('.')) : ""));
                } catch (IOException | TargetGroupCodec.FormatException e) {
                    throw new CheckException("checking SD file " + quote(shown.toString()) + ": " + m + ": " + e.getMessage());
                }
            }
        }
    }

    private static boolean isGlob(Path p) {
        String name = p.getFileName() == null ? "" : p.getFileName().toString();
        return name.contains("*") || name.contains("?") || name.contains("[");
    }

    /** Go's filepath.Glob for a pattern in the last path component: sorted matches, nothing on no match. */
    static List<Path> glob(Path pattern) {
        if (!isGlob(pattern)) return Files.exists(pattern) ? List.of(pattern) : List.of();
        Path dir = pattern.getParent();
        List<Path> out = new ArrayList<>();
        var matcher = pattern.getFileSystem().getPathMatcher("glob:" + pattern.getFileName());
        try (var s = Files.list(dir == null ? Path.of(".") : dir)) {
            s.map(Path::getFileName).filter(matcher::matches).sorted().forEach(n -> out.add(dir == null ? n : dir.resolve(n)));
        } catch (IOException e) {
            // a directory that does not exist matches nothing, as in Go
        }
        return out;
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        Labels.appendQuoted(sb, s);
        return sb.toString();
    }

    /**
     * The loader joins relative paths with the config file's absolute directory; promtool joins them
     * with the directory as given on the command line ({@code r.yml} for {@code prometheus.yml},
     * {@code conf/r.yml} for {@code conf/prometheus.yml}). Paths outside that directory stay as loaded.
     */
    private record Paths(Path absDir, Path givenDir) {
        Paths(Path configFile) {
            this(configFile.toAbsolutePath().normalize().getParent(), configFile.getParent());
        }

        Path shown(String loaded) {
            Path p = Path.of(loaded).normalize();
            if (!p.isAbsolute() || !p.startsWith(absDir)) return p;
            Path rel = absDir.relativize(p);
            return givenDir == null ? rel : givenDir.resolve(rel).normalize();
        }
    }
}
