package io.pyrometer.tsdb.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyrometer.model.Labels;
import io.pyrometer.tsdb.chunks.ChunkMeta;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexWriterTest {
    @TempDir
    Path dir;

    /**
     * One series {a="b"} with one chunk (mint 0, maxt 0, ref 8), laid out by hand from the format
     * (docs/format/index.md); CRCs are checked against the JDK's CRC32C over each section's body.
     */
    @Test
    void writesTheDocumentedLayoutByteForByte() throws IOException {
        Path f = dir.resolve("index");
        try (IndexWriter w = new IndexWriter(f, List.of("b", "a"))) {
            assertThat(w.addSeries(Labels.of("a", "b"), List.of(new ChunkMeta(8, 0, 0)))).isEqualTo(2); // offset 32 / 16
        }
        byte[] b = Files.readAllBytes(f);
        assertThat(b).hasSize(150);
        assertThat(hex(b, 0, 5)).isEqualTo("baaad70002");
        // symbol table at 5: len 8, count 2, "a", "b"
        assertThat(hex(b, 5, 17)).isEqualTo("0000000800000002" + "0161" + "0162");
        assertCrc(b, 9, 8);
        // zero padding to 32, then the series: len 7 | 1 label: sym 0 = sym 1 | 1 chunk: mint 0, Δ 0, ref 8
        assertThat(hex(b, 21, 32)).isEqualTo("00".repeat(11));
        assertThat(hex(b, 32, 40)).isEqualTo("07" + "010001" + "01000008");
        assertCrc(b, 33, 7);
        // all-postings list at 44 and a="b" at 60: len 8, count 1, series 2
        assertThat(hex(b, 44, 56)).isEqualTo("000000080000000100000002");
        assertThat(hex(b, 60, 72)).isEqualTo("000000080000000100000002");
        assertCrc(b, 48, 8);
        // postings offset table at 76: len 14, 2 entries: (2, "", "", 44) (2, "a", "b", 60)
        assertThat(hex(b, 76, 94)).isEqualTo("0000000e00000002" + "0200002c" + "02016101623c");
        assertCrc(b, 80, 14);
        // TOC: symbols 5, series 21, label indices 44, label offset table 76, postings 44, postings table 76
        ByteBuffer toc = ByteBuffer.wrap(b, 98, 48);
        assertThat(new long[] {toc.getLong(), toc.getLong(), toc.getLong(), toc.getLong(), toc.getLong(), toc.getLong()})
                .containsExactly(5, 21, 44, 76, 44, 76);
        assertCrc(b, 98, 48);
    }

    @Test
    void readerFindsSeriesPostingsAndValuesInUtf8Order() throws IOException {
        Path f = dir.resolve("index");
        // U+FF5E sorts before U+1F600 in UTF-8/code points, after it in UTF-16
        String bmp = "\uFF5E", astral = "\uD83D\uDE00";
        Labels l1 = Labels.of("__name__", "m", "v", bmp);
        Labels l2 = Labels.of("__name__", "m", "v", astral);
        try (IndexWriter w = new IndexWriter(f, List.of("__name__", "m", "v", bmp, astral))) {
            w.addSeries(l1, List.of(new ChunkMeta(8, 10, 20), new ChunkMeta(40, 21, 30)));
            w.addSeries(l2, List.of(new ChunkMeta(70, -5, 5)));
        }
        try (Arena arena = Arena.ofConfined()) {
            IndexReader r = IndexReader.open(f, arena);
            assertThat(r.labelNames()).containsExactly("__name__", "v");
            assertThat(r.labelValues("v")).containsExactly(bmp, astral);
            long[] refs = Postings.toArray(r.postings("v", astral));
            assertThat(refs).hasSize(1);
            IndexReader.SeriesEntry e = r.series(refs[0]);
            assertThat(e.labels()).isEqualTo(l2);
            assertThat(e.chunks()).containsExactly(new ChunkMeta(70, -5, 5));
            assertThat(r.series(Postings.toArray(r.postings("v", bmp))[0]).chunks())
                    .containsExactly(new ChunkMeta(8, 10, 20), new ChunkMeta(40, 21, 30));
            assertThat(r.postings("v", "missing")).isSameAs(Postings.EMPTY);
            assertThat(Postings.toArray(r.allPostings())).hasSize(2);
        }
    }

    @Test
    void readsVersion3AndRefusesVersion1() throws IOException {
        Path f = dir.resolve("index");
        try (IndexWriter w = new IndexWriter(f, List.of("a", "b"))) {
            w.addSeries(Labels.of("a", "b"), List.of(new ChunkMeta(8, 0, 0)));
        }
        byte[] b = Files.readAllBytes(f);
        b[4] = 3;
        Files.write(f, b);
        try (Arena arena = Arena.ofConfined()) {
            assertThat(IndexReader.open(f, arena).labelValues("a")).containsExactly("b");
        }
        b[4] = 1;
        Files.write(f, b);
        try (Arena arena = Arena.ofConfined()) {
            assertThatThrownBy(() -> IndexReader.open(f, arena)).hasMessageContaining("unsupported index file version 1").hasMessageContaining(f.toString());
        }
    }

    @Test
    void rejectsOutOfOrderSeriesAndOverlappingChunks() throws IOException {
        try (IndexWriter w = new IndexWriter(dir.resolve("index"), List.of("a", "b", "c"))) {
            w.addSeries(Labels.of("a", "c"), List.of());
            assertThatThrownBy(() -> w.addSeries(Labels.of("a", "b"), List.of())).hasMessageContaining("out-of-order series");
            assertThatThrownBy(() -> w.addSeries(Labels.of("b", "c"), List.of(new ChunkMeta(8, 0, 10), new ChunkMeta(16, 10, 20))))
                    .hasMessageContaining("chunk minT 10 is not higher than previous chunk maxT 10");
            assertThatThrownBy(() -> w.addSeries(Labels.of("b", "x"), List.of())).hasMessageContaining("symbol entry for \"x\" does not exist");
        }
    }

    static String hex(byte[] b, int from, int to) {
        return HexFormat.of().formatHex(b, from, to);
    }

    static void assertCrc(byte[] b, int from, int len) {
        CRC32C c = new CRC32C();
        c.update(b, from, len);
        assertThat(ByteBuffer.wrap(b, from + len, 4).getInt()).as("CRC32C after [%d, %d)", from, from + len).isEqualTo((int) c.getValue());
    }
}
