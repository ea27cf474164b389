package io.pyrometer.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrometer.model.LabelMatcher;
import io.pyrometer.model.Labels;
import io.pyrometer.storage.Appender;
import io.pyrometer.storage.Querier;
import io.pyrometer.storage.SampleIterator;
import io.pyrometer.storage.SelectHints;
import io.pyrometer.storage.SeriesSet;
import io.pyrometer.storage.ValueType;
import io.pyrometer.testing.Seeds;
import io.pyrometer.tsdb.chunkenc.XorAppender;
import io.pyrometer.tsdb.chunkenc.XorChunk;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The open chunks' arena: what a series' chunk bytes are, what a query sees, what churn gives back. */
class HeadArenaTest {
    @TempDir
    Path dir;
    Head head;

    @AfterEach
    void close() {
        if (head != null) head.close();
    }

    private Head open() throws IOException {
        head = Head.open(dir, HeadOptions.defaults().withStripeSize(64), Long.MIN_VALUE, null);
        return head;
    }

    private static Labels series(int i) {
        return Labels.of("__name__", "m", "i", Integer.toString(i));
    }

    /**
     * Every chunk the head writes (to chunks_head, and the open one a query copies) holds exactly
     * the bytes a standalone XOR appender writes for its samples, whatever slot classes the chunk
     * grew through; XorChunkTest ties those bytes to Prometheus's.
     */
    @Test
    void headChunksAreByteIdenticalToTheStandaloneEncoding() throws IOException {
        long seed = Seeds.seed("HeadArenaTest.bytes");
        Random r = new Random(seed);
        open();
        int n = 4;
        List<List<long[]>> written = new ArrayList<>(); // per series: (t, value bits)
        for (int i = 0; i < n; i++) written.add(new ArrayList<>());
        long t = 1_700_000_000_000L;
        for (int s = 0; s < 700; s++) {
            t += r.nextInt(20) == 0 ? r.nextInt(1 << 22) : 15_000 + r.nextInt(5) - 2; // jitter, sometimes a gap
            Appender app = head.appender();
            for (int i = 0; i < n; i++) {
                double v = switch (i) {
                    case 0 -> 1;                                            // constant
                    case 1 -> s * 7.0;                                      // counter
                    case 2 -> r.nextDouble() * 1e6;                         // full-precision gauge
                    default -> r.nextBoolean() ? Double.NaN : -r.nextLong(); // odd values
                };
                assertThat(app.append(0, series(i), t, v)).isPositive();
                written.get(i).add(new long[] {t, Double.doubleToRawLongBits(v)});
            }
            app.commit();
        }
        for (int i = 0; i < n; i++) {
            MemSeries ms = head.series.getByRef(head.getOrCreate(series(i), new boolean[1]).ref);
            HeadSeries hs = ms.snapshot(Long.MIN_VALUE, Long.MAX_VALUE, null, null, head.chunkFiles, head.arena);
            int next = 0;
            for (HeadSeries.ChunkMeta c : hs.inOrderChunks()) {
                byte[] got = c.heap() != null ? c.heap().toByteArray() : head.chunkFiles.read(c.ref()).toArray(ValueLayout.JAVA_BYTE);
                int samples = ((got[0] & 0xff) << 8) | (got[1] & 0xff);
                XorChunk want = XorChunk.create();
                XorAppender a = want.appender();
                for (int k = next; k < next + samples; k++) a.append(written.get(i).get(k)[0], Double.longBitsToDouble(written.get(i).get(k)[1]));
                assertThat(got).as("seed %d series %d chunk at sample %d", seed, i, next).isEqualTo(want.toByteArray());
                next += samples;
            }
            assertThat(next).as("seed %d series %d", seed, i).isEqualTo(700);
        }
    }

    /** A query reads the samples of when it started, though the open chunk then grows, is cut and its slot reused. */
    @Test
    void aQueryKeepsItsCopyOfTheOpenChunk() throws IOException {
        open();
        for (int s = 0; s < 10; s++) append(0, s * 1000L, s + 0.5);
        Querier q = head.querier(Long.MIN_VALUE, Long.MAX_VALUE);
        SeriesSet set = q.select(false, SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE), List.of(LabelMatcher.eq("i", "0")));
        assertThat(set.next()).isTrue();
        SampleIterator it = set.at().iterator(null);
        for (int s = 10; s < 400; s++) { // grows through several classes, cut at 240 samples at the latest
            append(0, s * 1000L, Math.sin(s) * 1e9);
            append(1, s * 1000L, Math.cos(s) * 1e9); // takes freed slots
        }
        List<String> got = new ArrayList<>();
        while (it.next() == ValueType.FLOAT) got.add(it.atT() + "=" + it.atV());
        q.close();
        assertThat(got).hasSize(10).startsWith("0=0.5").endsWith("9000=9.5");
    }

    /**
     * Isolation with the per-series commit list allocated lazily: a querier opened before a run of
     * commits sees none of them (the series spills to a list while the querier holds them back),
     * and once it closes the next querier sees all (the series is back to one inline entry).
     */
    @Test
    void aQuerierOpenDuringCommitsSeesNoneOfThem() throws IOException {
        open();
        append(0, 0, 1);
        Querier early = head.querier(Long.MIN_VALUE, Long.MAX_VALUE);
        for (int s = 1; s <= 20; s++) append(0, s * 1000L, s + 1);
        assertThat(HeadTest.query(early, LabelMatcher.eq("i", "0")).get(series(0))).containsExactly("0=1.0");
        for (int s = 21; s <= 25; s++) append(0, s * 1000L, s + 1);
        assertThat(HeadTest.query(head.querier(Long.MIN_VALUE, Long.MAX_VALUE), LabelMatcher.eq("i", "0")).get(series(0)))
                .hasSize(26).endsWith("25000=26.0");
    }

    /** Dropping every series gives the arena's slabs back, but for at most one per size class. */
    @Test
    void seriesChurnReleasesArenaSlabs() throws IOException {
        open();
        for (int s = 0; s < 30; s++) {
            Appender app = head.appender();
            for (int i = 0; i < 5000; i++) app.append(0, series(i), s * 1000L, i * 1.5 + s * 0.25);
            app.commit();
        }
        assertThat(head.openChunkBytes()).isGreaterThanOrEqualTo(5000L * 32);
        long before = head.openChunkArenaBytes();
        assertThat(before).isGreaterThanOrEqualTo(head.openChunkBytes());
        head.truncate(Long.MAX_VALUE);
        assertThat(head.numSeries()).isZero();
        assertThat(head.openChunkBytes()).isZero();
        assertThat(head.openChunkArenaBytes()).isLessThanOrEqualTo(22L * ChunkArena.SLAB_BYTES).isLessThan(before);
    }

    private void append(int series, long t, double v) {
        Appender app = head.appender();
        assertThat(app.append(0, series(series), t, v)).isPositive();
        app.commit();
    }
}
