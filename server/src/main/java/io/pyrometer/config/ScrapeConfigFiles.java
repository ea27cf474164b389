package io.pyrometer.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code scrape_config_files}: globs naming more files with a {@code scrape_configs:} list, read as
 * Prometheus's {@code GetScrapeConfigs} does. Each job is validated against the main file's
 * {@code global:}, its relative file names are joined with its own file's directory, and job names must
 * be unique across all files. Errors point into the included file.
 */
final class ScrapeConfigFiles {
    private ScrapeConfigFiles() {}

    /** What the included files add: their jobs, and their names and bytes for the change hash. */
    record Included(List<ScrapeConfig> scrapeConfigs, List<Path> files, List<byte[]> contents) {}

    static Included read(List<String> patterns, GlobalConfig global, List<ScrapeConfig> mainJobs, Map<String, String> firstFound)
            throws ConfigException {
        List<ScrapeConfig> jobs = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        for (ScrapeConfig sc : mainJobs) firstFound.putIfAbsent(sc.jobName(), "main config file");
        for (String pattern : patterns) {
            for (Path file : glob(pattern)) {
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(file);
                } catch (IOException e) {
                    throw new ConfigException(file, "cannot read scrape config file: " + e.getMessage(), e);
                }
                files.add(file);
                contents.add(bytes);
                jobs.addAll(readOne(file, new String(bytes, StandardCharsets.UTF_8), global, firstFound));
            }
        }
        return new Included(jobs, files, contents);
    }

    private static List<ScrapeConfig> readOne(Path file, String text, GlobalConfig global, Map<String, String> firstFound)
            throws ConfigException {
        Fields top = Fields.of(file, "", YamlTree.parse(text, file), "scrape config file");
        List<YamlNode> items = top.list("scrape_configs", "[]*config.ScrapeConfig");
        top.finish();
        List<ScrapeConfig> out = new ArrayList<>(items.size());
        Path dir = file.toAbsolutePath().getParent();
        for (int i = 0; i < items.size(); i++) {
            String path = Fields.index("scrape_configs", i);
            YamlNode n = items.get(i);
            if (YamlNode.isEmptyItem(n)) throw Fields.error(file, n, path, "empty or null scrape config section");
            Fields f = Fields.of(file, path, n, "scrape config");
            ScrapeConfig sc = ScrapeDecoder.read(f, global);
            String first = firstFound.putIfAbsent(sc.jobName(), DiscoveryDecoder.quote(file.toAbsolutePath().toString()));
            if (first != null) {
                throw f.error("job_name", "found multiple scrape configs with job name " + DiscoveryDecoder.quote(sc.jobName())
                        + ", first found in " + first + "; job names must be unique");
            }
            out.add(dir == null ? sc : ConfigPaths.scrape(sc, dir));
        }
        return out;
    }

    /** Go's {@code filepath.Glob} for patterns whose wildcards are in the last component (checked at load). */
    static List<Path> glob(String pattern) throws ConfigException {
        Path p = Path.of(pattern);
        Path dir = p.getParent() == null ? Path.of(".") : p.getParent();
        String name = p.getFileName() == null ? "" : p.getFileName().toString();
        List<Path> out = new ArrayList<>();
        if (!hasMeta(name)) {
            if (Files.exists(p)) out.add(p);
            return out;
        }
        Pattern re = Pattern.compile(globRegex(name));
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path e : ds) if (re.matcher(e.getFileName().toString()).matches()) out.add(e);
        } catch (IOException e) {
            throw new ConfigException(p, "error retrieving scrape config files for " + DiscoveryDecoder.quote(pattern) + ": " + e.getMessage(), e);
        }
        out.sort(null);
        return out;
    }

    private static boolean hasMeta(String s) {
        for (int i = 0; i < s.length(); i++) if ("*?[\\".indexOf(s.charAt(i)) >= 0) return true;
        return false;
    }

    /** Translates Go's {@code filepath.Match} syntax ({@code *}, {@code ?}, {@code [a-z]}, {@code [^x]}, {@code \}) to a regex. */
    static String globRegex(String glob) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> sb.append("[^/]*");
                case '?' -> sb.append("[^/]");
                case '\\' -> {
                    if (i + 1 < glob.length()) sb.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
                }
                case '[' -> {
                    int end = glob.indexOf(']', i + 1);
                    if (end < 0) {
                        sb.append("\\[");
                    } else {
                        String cls = glob.substring(i + 1, end);
                        if (cls.startsWith("^")) cls = "^" + cls.substring(1).replace("\\", "\\\\").replace("[", "\\[");
                        else cls = cls.replace("\\", "\\\\").replace("[", "\\[");
                        sb.append('[').append(cls).append(']');
                        i = end;
                    }
                }
                default -> sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return sb.toString();
    }

    /** One hash over the main file and every included file, so a change in any of them is seen. */
    static String sha256(byte[] main, Included inc) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(main);
            for (int i = 0; i < inc.files().size(); i++) {
                md.update((byte) 0);
                md.update(inc.files().get(i).toString().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(inc.contents().get(i));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

}
