package io.pyrometer.tsdb.block;

import io.pyrometer.model.Labels;
import io.pyrometer.tsdb.chunks.ChunkMeta;
import io.pyrometer.tsdb.index.IndexReader;
import io.pyrometer.tsdb.index.Postings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code promtool tsdb analyze} reports for one block: stats, churn, most common label
 * pairs, label value lengths and cardinalities. {@link Analysis#format()} prints it in promtool's
 * layout (ties ordered by key, where promtool's order is unspecified).
 *
 * <pre>{@code
 * try (Block b = Block.open(dir)) { System.out.print(BlockAnalyzer.analyze(b, 20).format()); }
 * }</pre>
 */
public final class BlockAnalyzer {
    /** promtool's default {@code --limit}. */
    public static final int DEFAULT_LIMIT = 20;

    private BlockAnalyzer() {}

    public record Entry(String key, long value) {}

    public record Analysis(String ulid, long durationMs, long series, int labelNames, int uniqueLabelPairs, long labelPairEntries,
                           List<Entry> churningLabelPairs, List<Entry> churningLabelNames, List<Entry> mostCommonLabelPairs,
                           List<Entry> highestCumulativeValueLength, List<Entry> highestCardinalityLabels,
                           List<Entry> highestCardinalityMetricNames) {

        /** The report as promtool prints it. */
        public String format() {
            StringBuilder b = new StringBuilder();
            b.append("Block ID: ").append(ulid).append('\n');
            b.append("Duration: ").append(goDuration(durationMs)).append('\n');
            b.append("Series: ").append(series).append('\n');
            b.append("Label names: ").append(labelNames).append('\n');
            b.append("Postings (unique label pairs): ").append(uniqueLabelPairs).append('\n');
            b.append("Postings entries (total label pairs): ").append(labelPairEntries).append('\n');
            section(b, "Label pairs most involved in churning", churningLabelPairs);
            section(b, "Label names most involved in churning", churningLabelNames);
            section(b, "Most common label pairs", mostCommonLabelPairs);
            section(b, "Label names with highest cumulative label value length", highestCumulativeValueLength);
            section(b, "Highest cardinality labels", highestCardinalityLabels);
            section(b, "Highest cardinality metric names", highestCardinalityMetricNames);
            return b.toString();
        }

        private static void section(StringBuilder b, String title, List<Entry> es) {
            b.append('\n').append(title).append(":\n");
            for (Entry e : es) b.append(e.value).append(' ').append(e.key).append('\n');
        }
    }

    public static Analysis analyze(Block block, int limit) throws IOException {
        BlockMeta meta = block.meta();
        IndexReader ix = block.index();
        long span = meta.maxTimeMs() - meta.minTimeMs();
        Map<String, Long> namesUncovered = new HashMap<>();
        Map<String, Long> pairsUncovered = new HashMap<>();
        Map<String, Long> pairsCount = new HashMap<>();
        long entries = 0, series = 0;
        Postings all = ix.allPostings();
        while (all.next()) {
            IndexReader.SeriesEntry e = ix.series(all.at());
            series++;
            List<ChunkMeta> chks = e.chunks();
            // time of the block range this series does not cover
            long uncovered = chks.isEmpty() ? span : span - (chks.getLast().maxTimeMs() - chks.getFirst().minTimeMs());
            Labels l = e.labels();
            for (int i = 0; i < l.size(); i++) {
                String key = l.name(i) + "=" + l.value(i);
                namesUncovered.merge(l.name(i), uncovered, Long::sum);
                pairsUncovered.merge(key, uncovered, Long::sum);
                pairsCount.merge(key, 1L, Long::sum);
                entries++;
            }
        }
        List<String> names = ix.labelNames();
        List<Entry> valueLength = new ArrayList<>(), cardinality = new ArrayList<>(), metrics = new ArrayList<>();
        for (String n : names) {
            long len = 0;
            List<String> values = ix.labelValues(n);
            for (String v : values) len += v.getBytes(StandardCharsets.UTF_8).length;
            valueLength.add(new Entry(n, len));
            cardinality.add(new Entry(n, values.size()));
        }
        for (String v : ix.labelValues(Labels.METRIC_NAME)) metrics.add(new Entry(v, ix.postingsCount(Labels.METRIC_NAME, v)));
        return new Analysis(meta.ulid(), span, meta.stats().numSeries() != 0 ? meta.stats().numSeries() : series, names.size(),
                pairsCount.size(), entries, top(ratio(pairsUncovered, span), limit), top(ratio(namesUncovered, span), limit),
                top(toEntries(pairsCount), limit), top(valueLength, limit), top(cardinality, limit), top(metrics, limit));
    }

    private static List<Entry> ratio(Map<String, Long> m, long span) {
        List<Entry> out = new ArrayList<>(m.size());
        for (var e : m.entrySet()) out.add(new Entry(e.getKey(), span == 0 ? 0 : (long) ((double) e.getValue() / span)));
        return out;
    }

    private static List<Entry> toEntries(Map<String, Long> m) {
        List<Entry> out = new ArrayList<>(m.size());
        for (var e : m.entrySet()) out.add(new Entry(e.getKey(), e.getValue()));
        return out;
    }

    private static List<Entry> top(List<Entry> es, int limit) {
        es.sort((a, b) -> a.value != b.value ? Long.compare(b.value, a.value) : a.key.compareTo(b.key));
        return List.copyOf(es.subList(0, Math.min(limit, es.size())));
    }

    /** Go's {@code time.Duration.String()} for a millisecond duration ("2h0m0s", "15.501s", "500ms"). */
    public static String goDuration(long ms) {
        if (ms == 0) return "0s";
        if (ms < 0) return "-" + goDuration(-ms);
        if (ms < 1000) return ms + "ms";
        long h = ms / 3_600_000, m = ms / 60_000 % 60, s = ms / 1000 % 60, frac = ms % 1000;
        String sec = s + (frac == 0 ? "" : ("." + String.format("%03d", frac)).replaceAll("0+$", "")) + "s";
        if (h > 0) return h + "h" + m + "m" + sec;
        if (m > 0) return m + "m" + sec;
        return sec;
    }
}
