package io.pyrometer.tsdb.block;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A block's {@code meta.json} (see {@code server/docs/format/meta.md}). {@code maxTimeMs} is
 * exclusive. Written in the layout of Go's {@code json.MarshalIndent(meta, "", "\t")}.
 */
public record BlockMeta(String ulid, long minTimeMs, long maxTimeMs, Stats stats, Compaction compaction, int version) {
    public static final String META_FILENAME = "meta.json";
    public static final int META_VERSION_1 = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Stats(long numSamples, long numSeries, long numChunks, long numTombstones) {
        public static final Stats EMPTY = new Stats(0, 0, 0, 0);
    }

    /** A parent block as listed in {@code compaction.parents}. */
    public record BlockDesc(String ulid, long minTimeMs, long maxTimeMs) {}

    public record Compaction(int level, List<String> sources, List<BlockDesc> parents, boolean deletable, boolean failed) {
        public Compaction {
            sources = List.copyOf(sources);
            parents = List.copyOf(parents);
        }

        /** A fresh level-1 block is its own source. */
        public static Compaction level1(String ulid) {
            return new Compaction(1, List.of(ulid), List.of(), false, false);
        }
    }

    public BlockDesc desc() {
        return new BlockDesc(ulid, minTimeMs, maxTimeMs);
    }

    public BlockMeta withStats(Stats s) {
        return new BlockMeta(ulid, minTimeMs, maxTimeMs, s, compaction, version);
    }

    /** The JSON text, tab-indented like Prometheus writes it. */
    public String toJson() {
        StringBuilder b = new StringBuilder(512);
        b.append("{\n\t\"ulid\": \"").append(ulid).append("\",\n");
        b.append("\t\"minTime\": ").append(minTimeMs).append(",\n");
        b.append("\t\"maxTime\": ").append(maxTimeMs).append(",\n");
        List<String> st = new ArrayList<>();
        if (stats.numSamples != 0) st.add("\"numSamples\": " + stats.numSamples);
        if (stats.numSeries != 0) st.add("\"numSeries\": " + stats.numSeries);
        if (stats.numChunks != 0) st.add("\"numChunks\": " + stats.numChunks);
        if (stats.numTombstones != 0) st.add("\"numTombstones\": " + stats.numTombstones);
        b.append("\t\"stats\": ");
        object(b, st, "\t");
        b.append(",\n\t\"compaction\": {\n\t\t\"level\": ").append(compaction.level);
        if (!compaction.sources.isEmpty()) {
            b.append(",\n\t\t\"sources\": [\n");
            for (int i = 0; i < compaction.sources.size(); i++) {
                b.append("\t\t\t\"").append(compaction.sources.get(i)).append('"').append(i + 1 < compaction.sources.size() ? ",\n" : "\n");
            }
            b.append("\t\t]");
        }
        if (compaction.deletable) b.append(",\n\t\t\"deletable\": true");
        if (!compaction.parents.isEmpty()) {
            b.append(",\n\t\t\"parents\": [\n");
            for (int i = 0; i < compaction.parents.size(); i++) {
                BlockDesc p = compaction.parents.get(i);
                b.append("\t\t\t{\n\t\t\t\t\"ulid\": \"").append(p.ulid).append("\",\n\t\t\t\t\"minTime\": ").append(p.minTimeMs)
                        .append(",\n\t\t\t\t\"maxTime\": ").append(p.maxTimeMs).append("\n\t\t\t}")
                        .append(i + 1 < compaction.parents.size() ? ",\n" : "\n");
            }
            b.append("\t\t]");
        }
        if (compaction.failed) b.append(",\n\t\t\"failed\": true");
        b.append("\n\t},\n\t\"version\": ").append(version).append("\n}");
        return b.toString();
    }

    private static void object(StringBuilder b, List<String> fields, String indent) {
        if (fields.isEmpty()) {
            b.append("{}");
            return;
        }
        b.append("{\n");
        for (int i = 0; i < fields.size(); i++) {
            b.append(indent).append('\t').append(fields.get(i)).append(i + 1 < fields.size() ? ",\n" : "\n");
        }
        b.append(indent).append('}');
    }

    /** Parses {@code meta.json} text; errors name {@code source} and the offending field. */
    public static BlockMeta parse(String json, String source) throws IOException {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException("invalid JSON in " + source + ": " + e.getOriginalMessage(), e);
        }
        if (n == null || !n.isObject()) throw new IOException("invalid " + source + ": not a JSON object");
        int version = n.path("version").asInt(0);
        if (version != META_VERSION_1) throw new IOException("unexpected meta file version " + version + " in " + source);
        String ulid = n.path("ulid").asText("");
        if (!Ulid.isValid(ulid)) throw new IOException("invalid ulid \"" + ulid + "\" in " + source);
        if (!n.path("minTime").isIntegralNumber() || !n.path("maxTime").isIntegralNumber()) {
            throw new IOException("invalid " + source + ": minTime and maxTime must be integers");
        }
        JsonNode s = n.path("stats");
        Stats stats = new Stats(s.path("numSamples").asLong(0), s.path("numSeries").asLong(0),
                s.path("numChunks").asLong(0), s.path("numTombstones").asLong(0));
        JsonNode c = n.path("compaction");
        List<String> sources = new ArrayList<>();
        c.path("sources").forEach(x -> sources.add(x.asText()));
        List<BlockDesc> parents = new ArrayList<>();
        c.path("parents").forEach(x -> parents.add(new BlockDesc(x.path("ulid").asText(), x.path("minTime").asLong(), x.path("maxTime").asLong())));
        Compaction comp = new Compaction(c.path("level").asInt(1), sources, parents,
                c.path("deletable").asBoolean(false), c.path("failed").asBoolean(false));
        return new BlockMeta(ulid, n.path("minTime").asLong(), n.path("maxTime").asLong(), stats, comp, version);
    }

    public static BlockMeta read(Path blockDir) throws IOException {
        Path f = blockDir.resolve(META_FILENAME);
        return parse(Files.readString(f, StandardCharsets.UTF_8), f.toString());
    }

    /** Writes {@code meta.json} via {@code meta.json.tmp}, fsync and rename. */
    public void write(Path blockDir) throws IOException {
        Path tmp = blockDir.resolve(META_FILENAME + ".tmp");
        FsUtil.writeSynced(tmp, toJson().getBytes(StandardCharsets.UTF_8));
        FsUtil.replace(tmp, blockDir.resolve(META_FILENAME));
    }
}
