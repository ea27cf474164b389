package io.pyrometer.tsdb.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrometer.model.Labels;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalTest {
    @TempDir
    Path dir;

    private static byte[] payload(Random r, int len) {
        byte[] b = new byte[len];
        r.nextBytes(b);
        return b;
    }

    private List<byte[]> readAll(Path d, WalReader.Corruption[] corruption) throws IOException {
        List<byte[]> got = new ArrayList<>();
        WalReader.Corruption c = new WalReader().read(d, Wal.Segments.list(d), (rec, len, seg) -> got.add(Arrays.copyOf(rec, len)));
        if (corruption != null) corruption[0] = c;
        return got;
    }

    @Test
    void recordsOfAnySizeRoundTripAcrossPagesAndSegments() throws IOException {
        long seed = io.pyrometer.testing.Seeds.seed("WalTest.seed");
        System.out.println("seed=" + seed);
        Random r = new Random(seed);
        List<byte[]> want = new ArrayList<>();
        try (Wal w = new Wal(dir, 4 * Wal.PAGE_SIZE, false, null)) {
            for (int i = 0; i < 300; i++) {
                int len = switch (i % 5) {
                    case 0 -> 0;
                    case 1 -> 1;
                    case 2 -> Wal.PAGE_SIZE - Wal.RECORD_HEADER_SIZE; // exactly one page
                    case 3 -> Wal.PAGE_SIZE * 2 + 17;                 // spans three pages
                    default -> r.nextInt(5000);
                };
                byte[] p = payload(r, len);
                want.add(p);
                w.log(p, p.length);
            }
        }
        assertThat(Wal.Segments.list(dir).size()).as("segments were cut at the size limit").isGreaterThan(10);
        WalReader.Corruption[] c = new WalReader.Corruption[1];
        List<byte[]> got = readAll(dir, c);
        assertThat(c[0]).isNull();
        assertThat(got).hasSameSizeAs(want);
        for (int i = 0; i < want.size(); i++) assertThat(got.get(i)).as("record %d", i).isEqualTo(want.get(i));
    }

    @Test
    void pageLayoutMatchesPrometheus() throws IOException {
        try (Wal w = new Wal(dir, Wal.DEFAULT_SEGMENT_SIZE, false, null)) {
            w.log(new byte[] {1, 2, 3}, 3);
        }
        byte[] f = Files.readAllBytes(dir.resolve("00000000"));
        // type full, length 3 big-endian, CRC32C of {1,2,3} big-endian, then the data
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(new byte[] {1, 2, 3});
        int c = (int) crc.getValue();
        assertThat(f).containsExactly(1, 0, 3, (byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c, 1, 2, 3);
    }

    @Test
    void reopeningStartsANewSegment() throws IOException {
        try (Wal w = new Wal(dir, Wal.DEFAULT_SEGMENT_SIZE, false, null)) {
            w.log(new byte[] {9}, 1);
        }
        try (Wal w = new Wal(dir, Wal.DEFAULT_SEGMENT_SIZE, false, null)) {
            assertThat(w.currentSegment()).isEqualTo(1);
            w.log(new byte[] {8}, 1);
        }
        assertThat(readAll(dir, null)).containsExactly(new byte[] {9}, new byte[] {8});
    }

    @Test
    void tornTailIsReportedAfterTheLastGoodRecordAndRepairCutsIt() throws IOException {
        Random r = new Random(42);
        try (Wal w = new Wal(dir, Wal.DEFAULT_SEGMENT_SIZE, false, null)) {
            for (int i = 0; i < 10; i++) w.log(payload(r, 1000), 1000);
            w.log(payload(r, 50_000), 50_000); // fragmented over two pages
        }
        Path seg = dir.resolve("00000000");
        long full = Files.size(seg);
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.setLength(full - 100); // cut mid-record
        }
        WalReader.Corruption[] c = new WalReader.Corruption[1];
        assertThat(readAll(dir, c)).hasSize(10);
        assertThat(c[0]).isNotNull();
        assertThat(c[0].goodBytes()).isEqualTo(10 * (1000 + Wal.RECORD_HEADER_SIZE));
        WalRepair.repair(c[0]);
        assertThat(readAll(dir, c)).hasSize(10);
        assertThat(c[0]).isNull();
    }

    @Test
    void garbageMidFileStopsAtTheLastGoodRecordAndRepairDropsLaterSegments() throws IOException {
        Random r = new Random(7);
        try (Wal w = new Wal(dir, 4 * Wal.PAGE_SIZE, false, null)) {
            for (int i = 0; i < 100; i++) w.log(payload(r, 3000), 3000);
        }
        Path seg = dir.resolve("00000001");
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.seek(5 * (3000 + Wal.RECORD_HEADER_SIZE) + 10);
            f.write(payload(r, 200));
        }
        WalReader.Corruption[] c = new WalReader.Corruption[1];
        List<byte[]> got = readAll(dir, c);
        assertThat(c[0]).isNotNull();
        assertThat(c[0].segment()).isEqualTo(1);
        assertThat(c[0].reason()).contains("CRC");
        int perSegment = 4 * Wal.PAGE_SIZE / (3000 + Wal.RECORD_HEADER_SIZE) - 1;
        assertThat(got.size()).isBetween(perSegment, perSegment + 7);
        WalRepair.repair(c[0]);
        assertThat(Wal.Segments.list(dir)).containsExactly(0, 1);
        assertThat(readAll(dir, c)).hasSameSizeAs(got);
        assertThat(c[0]).isNull();
    }

    @Test
    void recordEncodingsRoundTrip() {
        Encbuf e = new Encbuf(16);
        Records.encodeSeries(e, List.of(new Records.RefSeries(1, Labels.of("__name__", "up", "job", "a")),
                new Records.RefSeries(300, Labels.of("__name__", "x"))));
        List<Records.RefSeries> s = new ArrayList<>();
        Records.decodeSeries(new Decbuf().reset(e.array(), 0, e.len()), s);
        assertThat(s).containsExactly(new Records.RefSeries(1, Labels.of("__name__", "up", "job", "a")),
                new Records.RefSeries(300, Labels.of("__name__", "x")));

        Records.SampleBatch b = new Records.SampleBatch();
        b.add(10, 1000, 1.5);
        b.add(3, 900, Double.NaN);
        b.add(12, 2000, -0.0);
        e.reset();
        Records.encodeSamples(e, b);
        // type, base ref, base t, then (0,0,bits) for the first sample: 1 + 8 + 8 + (1+1+8)
        assertThat(e.array()[0]).isEqualTo((byte) Records.SAMPLES);
        Records.SampleBatch d = new Records.SampleBatch();
        Records.decodeSamples(new Decbuf().reset(e.array(), 0, e.len()), d);
        assertThat(d.n).isEqualTo(3);
        assertThat(Arrays.copyOf(d.refs, 3)).containsExactly(10, 3, 12);
        assertThat(Arrays.copyOf(d.ts, 3)).containsExactly(1000, 900, 2000);
        assertThat(Double.isNaN(d.vs[1])).isTrue();

        e.reset();
        Records.encodeTombstones(e, List.of(new Records.Tombstone(5, -10, 20)));
        List<Records.Tombstone> t = new ArrayList<>();
        Records.decodeTombstones(new Decbuf().reset(e.array(), 0, e.len()), t);
        assertThat(t).containsExactly(new Records.Tombstone(5, -10, 20));
    }

    @Test
    void checkpointKeepsOnlyLiveSeriesAndRecentSamples() throws IOException {
        Encbuf e = new Encbuf(64);
        try (Wal w = new Wal(dir, 2 * Wal.PAGE_SIZE, false, null)) {
            Records.encodeSeries(e.reset(), List.of(new Records.RefSeries(1, Labels.of("a", "1")), new Records.RefSeries(2, Labels.of("a", "2"))));
            w.log(e.array(), e.len());
            Records.SampleBatch b = new Records.SampleBatch();
            for (int t = 0; t < 100; t++) {
                b.add(1, t, t);
                b.add(2, t, t);
            }
            Records.encodeSamples(e.reset(), b);
            w.log(e.array(), e.len());
            w.nextSegment();
        }
        Checkpoint.Stats st = Checkpoint.create(dir, 0, 0, ref -> ref == 1, 50);
        assertThat(st.seriesKept()).isEqualTo(1);
        assertThat(st.samplesKept()).isEqualTo(50);
        Checkpoint.Ref ref = Checkpoint.last(dir);
        assertThat(ref.dir().getFileName().toString()).isEqualTo("checkpoint.00000000");
        List<byte[]> recs = readAll(ref.dir(), null);
        assertThat(recs).hasSize(2);
        Records.SampleBatch d = new Records.SampleBatch();
        Records.decodeSamples(new Decbuf().reset(recs.get(1), 0, recs.get(1).length), d);
        assertThat(d.n).isEqualTo(50);
        assertThat(d.ts[0]).isEqualTo(50);
    }

    @Test
    void snappyBlocksDecode() throws Exception {
        // "abc" as a literal, then a 1-byte-offset copy of 9 bytes from 3 back (overlapping)
        byte[] src = {12, 0x08, 'a', 'b', 'c', 0x15, 0x03};
        int[] n = new int[1];
        byte[] out = Snappy.decode(src, src.length, new byte[1], n);
        assertThat(new String(out, 0, n[0], java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("abcabcabcabc");
        byte[] bad = {12, 0x08, 'a', 'b', 'c', 0x15, 0x09}; // offset beyond what was written
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Snappy.decode(bad, bad.length, new byte[1], n))
                .isInstanceOf(Snappy.SnappyException.class);
    }

    @Test
    void snappyCompressedRecordsAreReadAsPrometheusWritesThem() throws IOException {
        // a full record flagged snappy (type 1 | 0x08) holding the block above
        byte[] data = {12, 0x08, 'a', 'b', 'c', 0x15, 0x03};
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(data);
        int c = (int) crc.getValue();
        byte[] seg = new byte[Wal.RECORD_HEADER_SIZE + data.length];
        seg[0] = (byte) (Wal.REC_FULL | WalReader.SNAPPY_MASK);
        seg[2] = (byte) data.length;
        seg[3] = (byte) (c >>> 24);
        seg[4] = (byte) (c >>> 16);
        seg[5] = (byte) (c >>> 8);
        seg[6] = (byte) c;
        System.arraycopy(data, 0, seg, Wal.RECORD_HEADER_SIZE, data.length);
        Files.write(dir.resolve("00000000"), seg);
        WalReader.Corruption[] corr = new WalReader.Corruption[1];
        assertThat(readAll(dir, corr)).containsExactly("abcabcabcabc".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(corr[0]).isNull();
    }
}
