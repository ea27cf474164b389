package io.pyrometer.tsdb.head;

import io.pyrometer.tsdb.wal.Checkpoint;
import io.pyrometer.tsdb.wal.Decbuf;
import io.pyrometer.tsdb.wal.Records;
import io.pyrometer.tsdb.wal.Wal;
import io.pyrometer.tsdb.wal.WalReader;
import io.pyrometer.tsdb.wal.WalRepair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds the head at start-up: full chunks from {@code chunks_head/}, then the WAL checkpoint,
 * then every later WAL segment. Samples already inside a full chunk are skipped. A corrupted
 * record ends the replay there: the WAL is cut at the last good record, the corruption logged and
 * counted, and start-up goes on with what was read.
 */
final class WalReplayer implements WalReader.RecordHandler {
    private static final System.Logger LOG = System.getLogger(WalReplayer.class.getName());

    private final Head head;
    private final Map<Long, List<long[]>> mmapped = new HashMap<>(); // series ref -> (chunkRef, mint, maxt, ooo)
    // series ref -> {newest time in its full in-order chunks, newest in-order time replayed so far}
    private final Map<Long, long[]> mmappedMaxT = new HashMap<>();
    private final Map<Long, Long> refMap = new HashMap<>();          // WAL ref -> head ref where they differ
    private final Decbuf dec = new Decbuf();
    private final Records.SampleBatch samples = new Records.SampleBatch();
    private final List<Records.RefSeries> series = new ArrayList<>();
    private final List<Records.Tombstone> stones = new ArrayList<>();
    private final boolean[] created = new boolean[1];
    private long samplesRead;
    private long unknownRefs;
    private long mint = Long.MAX_VALUE;
    private long maxt = Long.MIN_VALUE;

    private WalReplayer(Head head) { this.head = head; }

    static void replay(Head head, Path walDir) throws IOException {
        WalReplayer r = new WalReplayer(head);
        long t0 = System.nanoTime();
        head.chunkFiles.open((seriesRef, chunkRef, minT, maxT, ooo) ->
                r.mmapped.computeIfAbsent(seriesRef, k -> new ArrayList<>()).add(new long[] {chunkRef, minT, maxT, ooo ? 1 : 0}));
        if (Files.isDirectory(walDir)) r.replayWal(walDir);
        if (r.maxt != Long.MIN_VALUE) head.updateTimes(r.mint, r.maxt);
        LOG.log(System.Logger.Level.INFO, "WAL replay completed [series={0}, samples={1}, unknown_series_refs={2}, duration_ms={3}]",
                String.valueOf(head.numSeries()), String.valueOf(r.samplesRead), String.valueOf(r.unknownRefs),
                String.valueOf((System.nanoTime() - t0) / 1_000_000));
    }

    private void replayWal(Path walDir) throws IOException {
        WalReader reader = new WalReader();
        Checkpoint.Ref cp = Checkpoint.last(walDir);
        int from = 0;
        if (cp != null) {
            WalReader.Corruption c = reader.read(cp.dir(), Wal.Segments.list(cp.dir()), this);
            if (c != null) {
                head.walCorruptions.increment();
                LOG.log(System.Logger.Level.WARNING, "WAL checkpoint corrupted; using what was read [dir={0}, reason={1}]", cp.dir(), c.reason());
            }
            LOG.log(System.Logger.Level.INFO, "WAL checkpoint loaded [dir={0}]", cp.dir());
            from = cp.index() + 1;
        }
        List<Integer> segs = new ArrayList<>();
        for (int i : Wal.Segments.list(walDir)) if (i >= from) segs.add(i);
        int last = segs.isEmpty() ? -1 : segs.getLast();
        for (int seg : segs) {
            WalReader.Corruption c = reader.read(walDir, List.of(seg), this);
            if (c != null) {
                head.walCorruptions.increment();
                WalRepair.repair(c);
                break;
            }
            LOG.log(System.Logger.Level.INFO, "WAL segment loaded [segment={0}, max_segment={1}]", String.valueOf(seg), String.valueOf(last));
        }
    }

    @Override
    public void record(byte[] rec, int len, int segment) {
        dec.reset(rec, 0, len);
        try {
            switch (Records.type(rec, len)) {
                case Records.SERIES -> series();
                case Records.SAMPLES -> samples();
                case Records.TOMBSTONES -> tombstones();
                default -> { } // record types this version does not use (exemplars, metadata, histograms)
            }
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "skipping undecodable WAL record [segment={0}, err={1}]", String.valueOf(segment), e.getMessage());
        }
    }

    private void series() {
        series.clear();
        Records.decodeSeries(dec, series);
        for (Records.RefSeries rs : series) {
            MemSeries s = head.getOrCreateWithRef(rs.ref(), rs.labels(), created);
            s.logged = true;
            if (s.ref != rs.ref()) refMap.put(rs.ref(), s.ref);
            if (!created[0]) continue;
            List<long[]> chunks = mmapped.remove(rs.ref());
            if (chunks == null) continue;
            long mm = Long.MIN_VALUE;
            for (long[] c : chunks) {
                if (c[2] < head.minValidTime()) continue; // already in a block
                if (c[3] == 1) continue; // out-of-order chunks are rebuilt from the WAL (see OooChunks.flush)
                s.addMmappedChunk(c[0], c[1], c[2]);
                mm = Math.max(mm, c[2]);
                head.chunksCreated.increment();
                mint = Math.min(mint, c[1]);
                maxt = Math.max(maxt, c[2]);
            }
            if (mm != Long.MIN_VALUE) mmappedMaxT.put(s.ref, new long[] {mm, Long.MIN_VALUE});
        }
    }

    private void samples() {
        Records.decodeSamples(dec, samples);
        for (int i = 0; i < samples.n; i++) {
            long ref = samples.refs[i];
            Long mapped = refMap.get(ref);
            MemSeries s = head.series.getByRef(mapped == null ? ref : mapped);
            if (s == null) {
                unknownRefs++;
                continue;
            }
            long t = samples.ts[i];
            if (t < head.minValidTime()) continue;
            long[] mm = mmappedMaxT.isEmpty() ? null : mmappedMaxT.get(s.ref);
            if (mm != null && t <= mm[0]) {
                // Replaying in commit order: a sample newer than every earlier one of its series was
                // in order when committed and is in a full chunk already; an older one was out of
                // order and lives only in the WAL, so it is appended again.
                if (t >= mm[1]) {
                    mm[1] = t;
                    continue;
                }
            }
            long st = s.append(t, samples.vs[i], 0, head, true);
            if (st == MemSeries.APPENDED || st == MemSeries.OOO_APPENDED) {
                samplesRead++;
                if (t < mint) mint = t;
                if (t > maxt) maxt = t;
                if (t > head.maxTime()) head.updateTimes(t, t); // the OOO window is relative to the newest sample
            }
        }
    }

    private void tombstones() {
        stones.clear();
        Records.decodeTombstones(dec, stones);
        for (Records.Tombstone t : stones) {
            Long mapped = refMap.get(t.ref());
            head.addTombstone(mapped == null ? t.ref() : mapped, t.mintMs(), t.maxtMs());
        }
    }
}
