package io.pyrometer.discovery;

import io.pyrometer.config.FileSdConfig;
import io.pyrometer.model.Labels;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * {@code file_sd_configs}: reads JSON/YAML target group files matching the patterns (a glob in the
 * last path component), re-reads everything when anything changes in a watched directory (via
 * {@link WatchService}) and every {@code refresh_interval} in case a watch was missed.
 *
 * <p>As Prometheus's discovery/file: group {@code i} of file {@code f} has source {@code f:i} and
 * label {@code __meta_filepath=f}; a file that fails to read or parse is logged and counted in
 * {@code prometheus_sd_file_read_errors_total} and keeps its last good groups; a file that
 * disappears (or shrinks) sends empty groups for the sources it no longer has.
 */
public final class FileDiscoverer implements Discoverer {
    private static final System.Logger LOG = System.getLogger(FileDiscoverer.class.getName());

    private final List<Path> dirs = new ArrayList<>();
    private final List<Pattern> namePatterns = new ArrayList<>();
    private final long refreshIntervalMs;
    private final DiscoveryMetrics metrics;
    /** Groups sent per file at the last refresh; only touched by the run thread. */
    private Map<String, Integer> lastRefresh = new HashMap<>();

    /**
     * @param baseDir directory that relative patterns are resolved against (the config file's)
     * @throws IllegalArgumentException when a pattern is not a valid glob
     */
    public FileDiscoverer(FileSdConfig config, Path baseDir, DiscoveryMetrics metrics) {
        for (String f : config.files()) {
            Path p = baseDir.resolve(f);
            Path dir = p.getParent() == null ? baseDir : p.getParent();
            dirs.add(dir);
            namePatterns.add(globToRegex(p.getFileName().toString()));
        }
        this.refreshIntervalMs = config.refreshIntervalMs() > 0 ? config.refreshIntervalMs() : FileSdConfig.DEFAULT_REFRESH_INTERVAL_MS;
        this.metrics = metrics;
    }

    @Override
    public void run(Consumer<List<TargetGroup>> updates) throws InterruptedException {
        WatchService ws;
        try {
            ws = FileSystems.getDefault().newWatchService();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "msg=\"Error adding file watcher\" err=\"{0}\"", e.getMessage());
            ws = null; // still refresh periodically
        }
        Set<Path> watched = new HashSet<>();
        try {
            while (true) {
                // watch first: a change between reading and watching would otherwise wait for the refresh interval
                if (ws != null) watchDirs(ws, watched);
                refresh(updates);
                waitForChange(ws);
            }
        } finally {
            if (ws != null) {
                try {
                    ws.close();
                } catch (IOException ignored) {
                    // closing a watch service only releases the inotify descriptor
                }
            }
        }
    }

    /** Blocks until a watched directory changes or the refresh interval passes. */
    private void waitForChange(WatchService ws) throws InterruptedException {
        if (ws == null) {
            Thread.sleep(refreshIntervalMs);
            return;
        }
        try {
            WatchKey key = ws.poll(refreshIntervalMs, TimeUnit.MILLISECONDS);
            while (key != null) {
                // any event but a pure attribute change means re-reading; drain the burst editors cause
                key.pollEvents();
                key.reset();
                key = ws.poll();
            }
        } catch (ClosedWatchServiceException e) {
            Thread.sleep(refreshIntervalMs);
        }
    }

    private void watchDirs(WatchService ws, Set<Path> watched) {
        for (Path d : dirs) {
            if (watched.contains(d) || !Files.isDirectory(d)) continue;
            try {
                d.register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
                        StandardWatchEventKinds.ENTRY_MODIFY);
                watched.add(d);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.ERROR, "msg=\"Error adding file watch\" path={0} err=\"{1}\"", d, e.getMessage());
            }
        }
    }

    /** Reads every matching file once and sends what changed; one scan of the configured patterns. */
    void refresh(Consumer<List<TargetGroup>> updates) throws InterruptedException {
        long t0 = System.nanoTime();
        Map<String, Integer> ref = new LinkedHashMap<>();
        try {
            for (Path file : listFiles()) {
                String name = file.toString();
                List<TargetGroup> groups;
                try {
                    groups = readFile(file);
                } catch (IOException | TargetGroupCodec.FormatException e) {
                    if (Thread.currentThread().isInterrupted()) throw new InterruptedException();
                    metrics.fileReadErrors.inc();
                    LOG.log(System.Logger.Level.ERROR, "msg=\"Error reading file\" path={0} err=\"{1}\"", name, describe(e));
                    ref.put(name, lastRefresh.getOrDefault(name, 0)); // keep what was sent: no deletion below
                    continue;
                }
                updates.accept(groups);
                ref.put(name, groups.size());
            }
            // empty updates for sources that disappeared
            for (Map.Entry<String, Integer> e : lastRefresh.entrySet()) {
                int had = e.getValue();
                int has = ref.getOrDefault(e.getKey(), 0);
                if (!ref.containsKey(e.getKey())) metrics.fileMtime.remove(e.getKey());
                if (has >= had) continue;
                List<TargetGroup> gone = new ArrayList<>(had - has);
                for (int i = has; i < had; i++) gone.add(TargetGroup.empty(source(e.getKey(), i)));
                updates.accept(gone);
            }
            lastRefresh = ref;
        } finally {
            metrics.fileScanDuration.observe((System.nanoTime() - t0) / 1e9);
        }
    }

    private static String describe(Exception e) {
        if (e instanceof NoSuchFileException) return "no such file or directory";
        return e.getMessage();
    }

    /** Files matching the patterns, each directory's in lexical order like Go's filepath.Glob. */
    List<Path> listFiles() {
        List<Path> out = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        for (int i = 0; i < dirs.size(); i++) {
            Path dir = dirs.get(i);
            Pattern pat = namePatterns.get(i);
            List<Path> matched = new ArrayList<>();
            try (var stream = Files.newDirectoryStream(dir)) {
                for (Path p : stream) {
                    if (pat.matcher(p.getFileName().toString()).matches() && !Files.isDirectory(p)) matched.add(p);
                }
            } catch (IOException e) {
                continue; // a missing directory matches nothing, as with Go's Glob
            }
            matched.sort(null);
            for (Path p : matched) if (seen.add(p)) out.add(p);
        }
        return out;
    }

    private List<TargetGroup> readFile(Path file) throws IOException, TargetGroupCodec.FormatException {
        byte[] content = Files.readAllBytes(file);
        long mtimeMs = Files.getLastModifiedTime(file).toMillis();
        String name = file.toString();
        String lower = name.toLowerCase(Locale.ROOT);
        List<TargetGroup> parsed;
        if (lower.endsWith(".json")) parsed = TargetGroupCodec.parseJson(content);
        else if (lower.endsWith(".yml") || lower.endsWith(".yaml")) parsed = TargetGroupCodec.parseYaml(content);
        else throw new IOException("only .json, .yml and .yaml files are supported");
        List<TargetGroup> out = new ArrayList<>(parsed.size());
        for (int i = 0; i < parsed.size(); i++) {
            TargetGroup g = parsed.get(i);
            Labels labels = g.labels().toBuilder().set(TargetLabelNames.FILE_PATH, name).build();
            out.add(new TargetGroup(source(name, i), g.targets(), labels));
        }
        metrics.fileMtime.labelValues(name).set(mtimeMs / 1000);
        return out;
    }

    static String source(String file, int i) {
        return file + ":" + i;
    }

    /** Go's filepath.Match syntax ({@code * ? [a-z] [^a]} and {@code \} escapes) as a regex for one path component. */
    static Pattern globToRegex(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> re.append("[^/]*");
                case '?' -> re.append("[^/]");
                case '\\' -> {
                    if (++i >= glob.length()) throw new IllegalArgumentException("syntax error in pattern [pattern=" + glob + "]");
                    re.append(Pattern.quote(String.valueOf(glob.charAt(i))));
                }
                case '[' -> {
                    int end = glob.indexOf(']', i + 2);
                    if (end < 0) throw new IllegalArgumentException("syntax error in pattern [pattern=" + glob + "]");
                    String cls = glob.substring(i + 1, end);
                    re.append('[');
                    if (cls.startsWith("^")) {
                        re.append('^');
                        cls = cls.substring(1);
                    }
                    re.append(cls.replace("\\", "\\\\").replace("[", "\\[").replace("&&", "\\&\\&")).append(']');
                    i = end;
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }
}
