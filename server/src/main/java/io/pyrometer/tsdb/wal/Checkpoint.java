package io.pyrometer.tsdb.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * WAL checkpoints as in Prometheus: {@code checkpoint.NNNNNNNN} is a directory of WAL segments
 * holding what is still needed from every segment up to and including {@code NNNNNNNN}: the
 * series the head keeps, their samples at or after the head's new minimum time, and their
 * tombstones. Written to {@code checkpoint.NNNNNNNN.tmp} and renamed, so a crash leaves either
 * the old or the new checkpoint.
 */
public final class Checkpoint {
    public static final String PREFIX = "checkpoint.";
    private static final System.Logger LOG = System.getLogger(Checkpoint.class.getName());

    private Checkpoint() {}

    /** A checkpoint directory and the last segment index it covers. */
    public record Ref(Path dir, int index) {}

    /** What a checkpoint kept and dropped. */
    public record Stats(int seriesKept, int seriesDropped, long samplesKept, long samplesDropped, int tombstonesKept) {}

    /** The newest complete checkpoint in {@code walDir}, or null. */
    public static Ref last(Path walDir) throws IOException {
        Ref best = null;
        if (!Files.isDirectory(walDir)) return null;
        try (var s = Files.list(walDir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (!n.startsWith(PREFIX) || n.length() != PREFIX.length() + 8 || !Files.isDirectory(p)) continue;
                int idx;
                try {
                    idx = Integer.parseInt(n.substring(PREFIX.length()));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (best == null || idx > best.index()) best = new Ref(p, idx);
            }
        }
        return best;
    }

    /**
     * Creates {@code checkpoint.<to>} from the previous checkpoint and segments {@code from..to},
     * then deletes older checkpoints. The caller deletes the covered segments afterwards.
     */
    public static Stats create(Path walDir, int from, int to, LongPredicate keepSeries, long mintMs) throws IOException {
        Ref prev = last(walDir);
        Path tmp = walDir.resolve(PREFIX + Wal.Segments.name(to) + ".tmp");
        deleteRecursively(tmp);
        Filter f = new Filter(keepSeries, mintMs);
        try (Wal out = new Wal(tmp, Wal.DEFAULT_SEGMENT_SIZE, false, null)) {
            f.out = out;
            WalReader r = new WalReader();
            if (prev != null) {
                WalReader.Corruption c = r.read(prev.dir(), Wal.Segments.list(prev.dir()), f);
                if (c != null) throw new IOException("corrupted checkpoint [dir=" + prev.dir() + ", reason=" + c.reason() + "]");
            }
            List<Integer> segs = new ArrayList<>();
            for (int i : Wal.Segments.list(walDir)) if (i >= from && i <= to) segs.add(i);
            WalReader.Corruption c = r.read(walDir, segs, f);
            if (c != null) throw new IOException("corrupted WAL segment during checkpoint [segment=" + c.segment() + ", reason=" + c.reason() + "]");
            if (f.failure != null) throw f.failure;
        }
        Path dst = walDir.resolve(PREFIX + Wal.Segments.name(to));
        deleteRecursively(dst);
        Files.move(tmp, dst, StandardCopyOption.ATOMIC_MOVE);
        if (prev != null && prev.index() != to) deleteRecursively(prev.dir());
        deleteOlder(walDir, to);
        Stats st = new Stats(f.seriesKept, f.seriesDropped, f.samplesKept, f.samplesDropped, f.stonesKept);
        LOG.log(System.Logger.Level.INFO, "WAL checkpoint created [dir={0}, from={1}, to={2}, series_kept={3}, series_dropped={4}, samples_kept={5}, samples_dropped={6}]",
                dst, String.valueOf(from), String.valueOf(to), String.valueOf(st.seriesKept()), String.valueOf(st.seriesDropped()), String.valueOf(st.samplesKept()), String.valueOf(st.samplesDropped()));
        return st;
    }

    private static void deleteOlder(Path walDir, int to) throws IOException {
        try (var s = Files.list(walDir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (n.startsWith(PREFIX) && n.length() == PREFIX.length() + 8) {
                    try {
                        if (Integer.parseInt(n.substring(PREFIX.length())) < to) deleteRecursively(p);
                    } catch (NumberFormatException ignored) {
                        // not ours
                    }
                }
            }
        }
    }

    static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
        }
    }

    /** Rewrites records keeping only what the head still needs. */
    private static final class Filter implements WalReader.RecordHandler {
        final LongPredicate keep;
        final long mint;
        final Decbuf dec = new Decbuf();
        final Encbuf enc = new Encbuf(4096);
        final Records.SampleBatch in = new Records.SampleBatch();
        final Records.SampleBatch kept = new Records.SampleBatch();
        final List<Records.RefSeries> series = new ArrayList<>();
        final List<Records.Tombstone> stones = new ArrayList<>();
        Wal out;
        IOException failure;
        int seriesKept, seriesDropped, stonesKept;
        long samplesKept, samplesDropped;

        Filter(LongPredicate keep, long mint) {
            this.keep = keep;
            this.mint = mint;
        }

        @Override
        public void record(byte[] rec, int len, int segment) {
            if (failure != null) return;
            enc.reset();
            dec.reset(rec, 0, len);
            switch (Records.type(rec, len)) {
                case Records.SERIES -> filterSeries();
                case Records.SAMPLES -> filterSamples();
                case Records.TOMBSTONES -> filterStones();
                default -> { } // unknown record types are dropped, as Prometheus does for types it does not keep
            }
            if (enc.len() > 1) {
                try {
                    out.log(enc.array(), enc.len());
                } catch (IOException e) {
                    failure = e;
                }
            }
        }

        private void filterSeries() {
            series.clear();
            Records.decodeSeries(dec, series);
            enc.putByte(Records.SERIES);
            for (Records.RefSeries s : series) {
                if (keep.test(s.ref())) {
                    Records.encodeOneSeries(enc, s.ref(), s.labels());
                    seriesKept++;
                } else {
                    seriesDropped++;
                }
            }
        }

        private void filterSamples() {
            Records.decodeSamples(dec, in);
            kept.clear();
            for (int i = 0; i < in.n; i++) {
                if (in.ts[i] >= mint && keep.test(in.refs[i])) kept.add(in.refs[i], in.ts[i], in.vs[i]);
            }
            samplesKept += kept.n;
            samplesDropped += in.n - kept.n;
            if (kept.n > 0) Records.encodeSamples(enc, kept);
        }

        private void filterStones() {
            stones.clear();
            Records.decodeTombstones(dec, stones);
            List<Records.Tombstone> k = new ArrayList<>();
            for (Records.Tombstone t : stones) if (t.maxtMs() >= mint && keep.test(t.ref())) k.add(t);
            stonesKept += k.size();
            if (!k.isEmpty()) Records.encodeTombstones(enc, k);
        }
    }
}
