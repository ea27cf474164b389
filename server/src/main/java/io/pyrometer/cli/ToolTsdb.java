package io.pyrometer.cli;

import io.pyrometer.model.LabelMatcher;
import io.pyrometer.promql.parser.ParseException;
import io.pyrometer.promql.parser.Parser;
import io.pyrometer.storage.MergeQuerier;
import io.pyrometer.storage.Querier;
import io.pyrometer.storage.SampleIterator;
import io.pyrometer.storage.Series;
import io.pyrometer.storage.SeriesSet;
import io.pyrometer.storage.ValueType;
import io.pyrometer.tsdb.block.Block;
import io.pyrometer.tsdb.block.BlockAnalyzer;
import io.pyrometer.tsdb.block.BlockMeta;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code pyrometer tool tsdb analyze|dump|create-blocks-from openmetrics}, as promtool's
 * {@code tsdb} commands. The data directory is only read: the head is replayed from a copy of the
 * WAL ({@link ToolReadOnlyDb}), never from the live files.
 */
final class ToolTsdb {
    static final String DEFAULT_DB = "data/";
    static final String DEFAULT_MATCH = "{__name__=~'(?s:.*)'}";

    private ToolTsdb() {}

    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || ToolCommand.isHelp(args.getFirst())) {
            out.println("""
                    usage: pyrometer tool tsdb <command> [<flags>] [<args> ...]

                    Run tsdb commands.

                    Commands:
                      tsdb list [<flags>] [<db path>]
                      tsdb analyze [<flags>] [<db path>] [<block id>]
                      tsdb dump [<flags>] [<db path>]
                      tsdb create-blocks-from openmetrics [<flags>] <input file> [<output directory>]""");
            return args.isEmpty() ? ToolCommand.FAILURE : ToolCommand.SUCCESS;
        }
        List<String> rest = args.subList(1, args.size());
        return switch (args.getFirst()) {
            case "list" -> list(rest, out, err);
            case "analyze" -> analyze(rest, out, err);
            case "dump" -> dump(rest, out, err);
            case "create-blocks-from" -> {
                if (!rest.isEmpty() && rest.getFirst().equals("openmetrics")) yield ToolBackfill.run(rest.subList(1, rest.size()), out, err);
                if (!rest.isEmpty() && ToolCommand.isHelp(rest.getFirst())) {
                    out.println("usage: pyrometer tool tsdb create-blocks-from openmetrics [<flags>] <input file> [<output directory>]");
                    yield ToolCommand.SUCCESS;
                }
                yield ToolCommand.usageError(err, "expected command \"openmetrics\" after \"create-blocks-from\"");
            }
            default -> ToolCommand.usageError(err, "expected command list, analyze, dump or create-blocks-from but got \"" + args.getFirst() + "\"");
        };
    }

    private static int list(List<String> args, PrintStream out, PrintStream err) {
        Flags f = new Flags("pyrometer tool tsdb list", """
                List tsdb blocks.

                Args:
                  [<db path>]  Database path (default is data/).

                Short flags: -r for --human-readable, -h for --help.""")
                .bool("human-readable", "Print human readable values.");
        Integer rc = parse(f, args, Map.of('r', "human-readable"), 1, out, err);
        if (rc != null) return rc;
        Path dir = Path.of(f.positional().isEmpty() ? DEFAULT_DB : f.positional().getFirst());
        try {
            checkDir(dir);
            List<String[]> rows = new ArrayList<>();
            rows.add(BLOCK_HEADER);
            for (Path p : ToolReadOnlyDb.blockDirsByMinTime(dir)) {
                try (Block b = Block.open(p)) {
                    rows.add(blockRow(b.meta(), b.size(), f.getBool("human-readable")));
                }
            }
            ToolFormat.table(out, 13, rows);
            return ToolCommand.SUCCESS;
        } catch (IOException | RuntimeException e) {
            err.println(e.getMessage());
            return ToolCommand.FAILURE;
        }
    }

    private static int analyze(List<String> args, PrintStream out, PrintStream err) {
        Flags f = new Flags("pyrometer tool tsdb analyze", """
                Analyze churn, label pair cardinality and compaction efficiency.

                Args:
                  [<db path>]   Database path (default is data/).
                  [<block id>]  Block to analyze (default is the last block).""")
                .string("limit", "20", "How many items to show in each list.");
        Integer rc = parse(f, args, Map.of(), 2, out, err);
        if (rc != null) return rc;
        int limit;
        try {
            limit = Integer.parseInt(f.get("limit"));
        } catch (NumberFormatException e) {
            return ToolCommand.usageError(err, "strconv.ParseInt: parsing \"" + f.get("limit") + "\": invalid syntax for flag '--limit'");
        }
        Path dir = Path.of(f.positional().isEmpty() ? DEFAULT_DB : f.positional().get(0));
        String blockId = f.positional().size() > 1 ? f.positional().get(1) : "";
        try {
            checkDir(dir);
            List<Path> blocks = ToolReadOnlyDb.blockDirsByMinTime(dir);
            Path chosen = null;
            if (blockId.isEmpty() && !blocks.isEmpty()) chosen = blocks.getLast();
            for (Path b : blocks) if (b.getFileName().toString().equals(blockId)) chosen = b;
            if (chosen == null) {
                err.println("block " + blockId + " not found");
                return ToolCommand.FAILURE;
            }
            try (Block b = Block.open(chosen)) {
                out.print(BlockAnalyzer.analyze(b, limit).format());
            }
            return ToolCommand.SUCCESS;
        } catch (IOException | RuntimeException e) {
            err.println(e.getMessage());
            return ToolCommand.FAILURE;
        }
    }

    private static int dump(List<String> args, PrintStream out, PrintStream err) {
        Flags f = new Flags("pyrometer tool tsdb dump", """
                Dump samples from a TSDB.

                Args:
                  [<db path>]  Database path (default is data/).""")
                .string("min-time", Long.toString(Long.MIN_VALUE), "Minimum timestamp to dump.")
                .string("max-time", Long.toString(Long.MAX_VALUE), "Maximum timestamp to dump.")
                .string("match", DEFAULT_MATCH, "Series selector. Can be specified multiple times.");
        List<String> matches = new ArrayList<>();
        List<String> rest = ToolCommand.takeRepeated(args, "match", matches);
        Integer rc = parse(f, rest, Map.of(), 1, out, err);
        if (rc != null) return rc;
        if (matches.isEmpty()) matches.add(DEFAULT_MATCH);
        long mint, maxt;
        try {
            mint = Long.parseLong(f.get("min-time"));
            maxt = Long.parseLong(f.get("max-time"));
        } catch (NumberFormatException e) {
            return ToolCommand.usageError(err, "invalid --min-time or --max-time: milliseconds since the epoch expected (" + e.getMessage() + ")");
        }
        List<List<LabelMatcher>> selectors = new ArrayList<>();
        for (String m : matches) {
            try {
                selectors.add(Parser.parseMetricSelector(m));
            } catch (ParseException e) {
                err.println(e.getMessage());
                return ToolCommand.FAILURE;
            }
        }
        Path dir = Path.of(f.positional().isEmpty() ? DEFAULT_DB : f.positional().getFirst());
        try {
            checkDir(dir);
            try (ToolReadOnlyDb db = ToolReadOnlyDb.open(dir, err)) {
                return dumpSamples(db.querier(mint, maxt), selectors, out, err);
            }
        } catch (IOException | RuntimeException e) {
            err.println(e.getMessage());
            return ToolCommand.FAILURE;
        }
    }

    /** One {@code {labels} value timestamp} line per sample, series in label order, as promtool's %s %g %d. */
    static int dumpSamples(Querier q, List<List<LabelMatcher>> selectors, PrintStream target, PrintStream err) {
        // one write per 64 KiB rather than per line: System.out flushes on every println
        PrintStream out = new PrintStream(new java.io.BufferedOutputStream(new java.io.FilterOutputStream(target) {
            @Override
            public void write(byte[] b, int off, int len) { target.write(b, off, len); }
        }, 1 << 16), false, java.nio.charset.StandardCharsets.UTF_8);
        try (q) {
            SeriesSet ss;
            if (selectors.size() == 1) {
                ss = q.select(true, null, selectors.getFirst());
            } else {
                List<Querier> each = new ArrayList<>();
                for (List<LabelMatcher> m : selectors) each.add(new FixedSelector(q, m));
                ss = new MergeQuerier(each).select(true, null, List.of());
            }
            StringBuilder line = new StringBuilder(128);
            SampleIterator it = null;
            while (ss.next()) {
                Series s = ss.at();
                String lbs = ToolFormat.labels(s.labels());
                it = s.iterator(it);
                for (ValueType vt = it.next(); vt != ValueType.NONE; vt = it.next()) {
                    if (vt != ValueType.FLOAT) continue; // promtool's dump prints float samples only
                    line.setLength(0);
                    line.append(lbs).append(' ').append(ToolFormat.goG(it.atV())).append(' ').append(it.atT());
                    line.append('\n');
                    out.append(line);
                }
                if (it.err() != null) {
                    err.println(it.err().getMessage());
                    return ToolCommand.FAILURE;
                }
            }
            if (ss.err() != null) {
                err.println(ss.err().getMessage());
                return ToolCommand.FAILURE;
            }
            for (String w : ss.warnings()) err.println(w);
            return ToolCommand.SUCCESS;
        } finally {
            out.flush();
            target.flush();
        }
    }

    /** One selector of a multi-{@code --match} dump: ignores the matchers it is given. */
    private record FixedSelector(Querier base, List<LabelMatcher> matchers) implements Querier {
        @Override
        public SeriesSet select(boolean sortSeries, io.pyrometer.storage.SelectHints hints, List<LabelMatcher> ignored) {
            return base.select(true, hints, matchers);
        }

        @Override
        public List<String> labelValues(String name, List<LabelMatcher> m) { return base.labelValues(name, matchers); }

        @Override
        public List<String> labelNames(List<LabelMatcher> m) { return base.labelNames(matchers); }

        @Override
        public void close() {} // the base querier is closed by its owner
    }

    static void checkDir(Path dir) throws IOException {
        if (!Files.exists(dir)) throw new IOException("opening the db dir: stat " + dir + ": no such file or directory");
        if (!Files.isDirectory(dir)) throw new IOException("opening the db dir: " + dir + " is not a directory");
    }

    /**
     * Parses flags; returns an exit code when the command is done (help printed, usage error),
     * or null to go on.
     */
    static Integer parse(Flags f, List<String> args, Map<Character, String> shorts, int maxPositional, PrintStream out, PrintStream err) {
        try {
            f.parse(ToolCommand.shortFlags(args, shorts));
        } catch (Flags.UsageException e) {
            return ToolCommand.usageError(err, e.getMessage());
        }
        if (f.helpRequested()) {
            f.printHelp(out);
            return ToolCommand.SUCCESS;
        }
        if (f.positional().size() > maxPositional) {
            return ToolCommand.usageError(err, "unexpected " + f.positional().get(maxPositional));
        }
        return null;
    }

    /** promtool's block table: header once, then one row per block. */
    static String[] blockRow(BlockMeta m, long sizeBytes, boolean humanReadable) {
        return new String[] {m.ulid(),
                humanReadable ? ToolFormat.utc(m.minTimeMs()) : Long.toString(m.minTimeMs()),
                humanReadable ? ToolFormat.utc(m.maxTimeMs()) : Long.toString(m.maxTimeMs()),
                BlockAnalyzer.goDuration(m.maxTimeMs() - m.minTimeMs()),
                Long.toString(m.stats().numSamples()), Long.toString(m.stats().numChunks()), Long.toString(m.stats().numSeries()),
                humanReadable ? ToolFormat.base2Bytes(sizeBytes) : Long.toString(sizeBytes)};
    }

    static final String[] BLOCK_HEADER = {"BLOCK ULID", "MIN TIME", "MAX TIME", "DURATION", "NUM SAMPLES", "NUM CHUNKS", "NUM SERIES", "SIZE"};
}
