package io.pyrometer.cli;

import io.pyrometer.model.Durations;
import io.pyrometer.model.Labels;
import io.pyrometer.model.textparse.ExpositionParser.Entry;
import io.pyrometer.model.textparse.OpenMetricsParser;
import io.pyrometer.model.textparse.TextParseException;
import io.pyrometer.storage.ArraySeries;
import io.pyrometer.tsdb.block.Block;
import io.pyrometer.tsdb.block.BlockMeta;
import io.pyrometer.tsdb.block.BlockWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code pyrometer tool tsdb create-blocks-from openmetrics}: promtool's backfill. Every sample
 * needs a timestamp and the file must end with {@code # EOF}. Blocks cover ranges aligned to the
 * block duration (2h, or the largest of 2h·3^n not above {@code --max-block-duration}); the file
 * is parsed once per range so only one block's samples are held in memory. Each block spans its
 * first to its last sample (max time exclusive), as Prometheus's block writer makes it. Samples
 * are sorted per series (promtool 2.42 drops out-of-order ones); of several samples with one
 * timestamp the first is kept, as promtool does, and a warning counts the others.
 */
final class ToolBackfill {
    static final long DEFAULT_BLOCK_DURATION_MS = 2 * 3600_000L;

    private ToolBackfill() {}

    /** A failure with promtool's message. */
    static final class BackfillException extends Exception {
        BackfillException(String message) { super(message, null, false, false); }
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        Flags f = new Flags("pyrometer tool tsdb create-blocks-from openmetrics", """
                Import samples from OpenMetrics input and produce TSDB blocks. Please refer to the storage docs for more details.

                Args:
                  <input file>          OpenMetrics file to read samples from.
                  [<output directory>]  Output directory for generated blocks (default is data/).

                Short flags: -r for --human-readable, -q for --quiet, -h for --help.""")
                .bool("human-readable", "Print human readable values.")
                .bool("quiet", "Do not print created blocks.")
                .string("max-block-duration", "2h", "Maximum duration created blocks may span. Anything less than 2h is ignored.")
                .string("label", "", "Label to attach to metrics. Can be specified multiple times. Example --label=label_name=label_value");
        List<String> labelFlags = new ArrayList<>();
        List<String> rest = ToolCommand.takeRepeated(args, "label", labelFlags);
        Integer rc = ToolTsdb.parse(f, rest, Map.of('r', "human-readable", 'q', "quiet"), 2, out, err);
        if (rc != null) return rc;
        if (f.positional().isEmpty()) return ToolCommand.usageError(err, "required argument 'input file' not provided");
        long maxBlockMs;
        try {
            maxBlockMs = Durations.parseMs(f.get("max-block-duration"));
        } catch (IllegalArgumentException e) {
            return ToolCommand.usageError(err, "invalid --max-block-duration: " + e.getMessage());
        }
        Map<String, String> custom = new LinkedHashMap<>();
        for (String l : labelFlags) {
            int eq = l.indexOf('=');
            if (eq <= 0) return ToolCommand.usageError(err, "expected KEY=VALUE got '" + l + "'");
            custom.put(l.substring(0, eq), l.substring(eq + 1));
        }
        Path input = Path.of(f.positional().getFirst());
        Path outDir = Path.of(f.positional().size() > 1 ? f.positional().get(1) : ToolTsdb.DEFAULT_DB);
        byte[] body;
        try {
            body = Files.readAllBytes(input);
        } catch (NoSuchFileException e) {
            err.println("open " + input + ": no such file or directory");
            return ToolCommand.FAILURE;
        } catch (IOException e) {
            err.println("read " + input + ": " + e.getMessage());
            return ToolCommand.FAILURE;
        }
        try {
            Dropped dropped = new Dropped();
            backfill(body, input.toString(), outDir, maxBlockMs, custom, f.getBool("human-readable"), f.getBool("quiet"), out, dropped);
            if (dropped.count > 0) {
                err.println("warning: " + dropped.count + " samples dropped: same series and timestamp as an earlier sample but another value,"
                        + " the first one is kept, as promtool does [first=" + dropped.example + "]");
            }
            return ToolCommand.SUCCESS;
        } catch (BackfillException e) {
            err.println(e.getMessage());
            return ToolCommand.FAILURE;
        } catch (IOException | RuntimeException e) {
            err.println("block creation: " + e.getMessage());
            return ToolCommand.FAILURE;
        }
    }

    /** The block duration promtool uses for {@code --max-block-duration}: 2h·3^n, n in [0, 9], the largest not above it. */
    static long compatibleBlockDuration(long maxBlockMs) {
        long d = DEFAULT_BLOCK_DURATION_MS;
        for (int i = 1; i < 10 && d * 3 <= maxBlockMs; i++) d *= 3;
        return d;
    }

    /** Samples left out because an earlier one had the same series and timestamp but another value. */
    static final class Dropped {
        long count;
        String example;
    }

    /** Writes the blocks; returns their metas in time order. */
    static List<BlockMeta> backfill(byte[] body, String source, Path outDir, long maxBlockMs, Map<String, String> customLabels,
                                    boolean humanReadable, boolean quiet, PrintStream out, Dropped dropped) throws BackfillException, IOException {
        long[] minMax = minAndMaxTimestamps(body, source);
        long blockMs = compatibleBlockDuration(maxBlockMs);
        long mint = blockMs * (minMax[0] / blockMs); // Go's truncating division, as promtool
        long maxt = minMax[1];
        List<BlockMeta> written = new ArrayList<>();
        Labels.Builder lb = Labels.builder();
        for (long t = mint; t <= maxt; ) {
            RangeSamples r = collect(body, source, t, t + blockMs, customLabels, lb);
            if (!r.series.isEmpty()) {
                BlockMeta meta = writeBlock(outDir, r, dropped);
                written.add(meta);
                if (!quiet) {
                    List<String[]> rows = new ArrayList<>(2);
                    if (written.size() == 1) rows.add(ToolTsdb.BLOCK_HEADER);
                    long size;
                    try (Block b = Block.open(outDir.resolve(meta.ulid()))) {
                        size = b.size();
                    }
                    rows.add(ToolTsdb.blockRow(meta, size, humanReadable));
                    ToolFormat.table(out, 13, rows);
                }
            }
            if (r.nextTs == Long.MAX_VALUE) break;
            t += blockMs * Math.max(1, (r.nextTs - t) / blockMs); // skip ranges without samples
        }
        return written;
    }

    private static long[] minAndMaxTimestamps(byte[] body, String source) throws BackfillException {
        OpenMetricsParser p = new OpenMetricsParser(body);
        long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
        try {
            for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
                if (e != Entry.SERIES) continue;
                if (!p.hasTimestamp()) {
                    throw new BackfillException("getting min and max timestamp: expected timestamp for series got none [series="
                            + p.labels() + ", at=" + source + ":" + p.line() + "]: backfilling needs a timestamp on every sample");
                }
                min = Math.min(min, p.timestampMs());
                max = Math.max(max, p.timestampMs());
            }
        } catch (TextParseException e) {
            throw new BackfillException("getting min and max timestamp: next: " + source + ":" + e.getMessage());
        }
        return new long[] {min == Long.MAX_VALUE ? 0 : min, max == Long.MIN_VALUE ? 0 : max};
    }

    /** Samples of one series in one block range, in file order until sorted. */
    private static final class SeriesSamples {
        long[] ts = new long[8];
        double[] vs = new double[8];
        int n;

        void add(long t, double v) {
            if (n == ts.length) {
                ts = Arrays.copyOf(ts, n * 2);
                vs = Arrays.copyOf(vs, n * 2);
            }
            ts[n] = t;
            vs[n++] = v;
        }
    }

    private record RangeSamples(Map<Labels, SeriesSamples> series, long nextTs) {}

    private static RangeSamples collect(byte[] body, String source, long from, long to, Map<String, String> customLabels, Labels.Builder lb)
            throws BackfillException {
        OpenMetricsParser p = new OpenMetricsParser(body);
        Map<Labels, SeriesSamples> series = new HashMap<>();
        long next = Long.MAX_VALUE;
        try {
            for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
                if (e != Entry.SERIES) continue;
                long t = p.timestampMs();
                if (t < from) continue;
                if (t >= to) {
                    next = Math.min(next, t);
                    continue;
                }
                Labels l = p.labels();
                if (!customLabels.isEmpty()) {
                    lb.reset(l);
                    customLabels.forEach(lb::set);
                    l = lb.build();
                }
                series.computeIfAbsent(l, k -> new SeriesSamples()).add(t, p.value());
            }
        } catch (TextParseException e) {
            throw new BackfillException("block creation: process blocks: parse: " + source + ":" + e.getMessage());
        }
        return new RangeSamples(series, next);
    }

    private static BlockMeta writeBlock(Path outDir, RangeSamples r, Dropped dropped) throws IOException {
        List<ArraySeries> list = new ArrayList<>(r.series.size());
        long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
        for (var e : r.series.entrySet()) {
            ArraySeries s = sorted(e.getKey(), e.getValue(), dropped);
            list.add(s);
            min = Math.min(min, s.timestampsMs()[0]);
            max = Math.max(max, s.timestampsMs()[s.timestampsMs().length - 1]);
        }
        return new BlockWriter(outDir).write(list, min, max + 1);
    }

    /**
     * Sorts by timestamp (stable: file order among equal timestamps) and keeps the first sample of
     * each timestamp; repeats with another value are counted in {@code dropped}.
     */
    private static ArraySeries sorted(Labels labels, SeriesSamples s, Dropped dropped) {
        Integer[] idx = new Integer[s.n];
        for (int i = 0; i < s.n; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> Long.compare(s.ts[a], s.ts[b]));
        long[] ts = new long[s.n];
        double[] vs = new double[s.n];
        int n = 0;
        for (Integer i : idx) {
            if (n > 0 && ts[n - 1] == s.ts[i]) {
                if (Double.doubleToLongBits(vs[n - 1]) != Double.doubleToLongBits(s.vs[i])) {
                    if (dropped.count++ == 0) {
                        dropped.example = ToolFormat.labels(labels) + " " + ToolFormat.goG(vs[n - 1]) + " " + ts[n - 1] + ", dropped value "
                                + ToolFormat.goG(s.vs[i]);
                    }
                }
                continue;
            }
            ts[n] = s.ts[i];
            vs[n++] = s.vs[i];
        }
        return new ArraySeries(labels, Arrays.copyOf(ts, n), Arrays.copyOf(vs, n));
    }
}
