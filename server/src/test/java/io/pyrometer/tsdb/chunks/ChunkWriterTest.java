package io.pyrometer.tsdb.chunks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyrometer.tsdb.chunkenc.Encoding;
import io.pyrometer.tsdb.chunkenc.XorAppender;
import io.pyrometer.tsdb.chunkenc.XorChunk;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkWriterTest {
    @TempDir
    Path dir;

    static XorChunk chunk(long t0, int n) {
        XorChunk c = XorChunk.create();
        XorAppender a = c.appender();
        for (int i = 0; i < n; i++) a.append(t0 + i * 1000L, i);
        return c;
    }

    @Test
    void writesHeaderLengthEncodingDataAndCrc() throws IOException {
        XorChunk c = chunk(1000, 1); // 12 bytes: 0001 D00F 3FF0...? value 0.0 here
        long ref;
        try (ChunkWriter w = new ChunkWriter(dir)) {
            ref = w.write(Encoding.XOR, c.data());
        }
        assertThat(ref).isEqualTo(8); // segment 0, right after the 8-byte header
        byte[] f = Files.readAllBytes(dir.resolve("000001"));
        assertThat(HexFormat.of().formatHex(f, 0, 8)).isEqualTo("85bd40dd01000000");
        assertThat(f[8]).isEqualTo((byte) c.byteSize()); // uvarint length of data
        assertThat(f[9]).isEqualTo((byte) 1);            // XOR
        assertThat(java.util.Arrays.copyOfRange(f, 10, 10 + c.byteSize())).isEqualTo(c.toByteArray());
        CRC32C crc = new CRC32C();
        crc.update(f, 9, 1 + c.byteSize());
        assertThat(java.nio.ByteBuffer.wrap(f, 10 + c.byteSize(), 4).getInt()).isEqualTo((int) crc.getValue());
        assertThat(f).hasSize(10 + c.byteSize() + 4);
    }

    @Test
    void cutsSegmentsAtTheSizeLimitAndReadsBackEveryRef() throws IOException {
        List<XorChunk> chunks = new ArrayList<>();
        List<Long> refs = new ArrayList<>();
        try (ChunkWriter w = new ChunkWriter(dir, 300)) {
            for (int i = 0; i < 20; i++) {
                XorChunk c = chunk(i * 1_000_000L, 5 + i);
                chunks.add(c);
                refs.add(w.write(Encoding.XOR, c.data()));
            }
            assertThat(w.segments()).isGreaterThan(1);
        }
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) assertThat(Files.size(p)).isLessThanOrEqualTo(300);
        }
        try (Arena arena = Arena.ofConfined()) {
            ChunkReader r = ChunkReader.open(dir, arena);
            for (int i = 0; i < chunks.size(); i++) {
                assertThat(r.chunk(refs.get(i)).toByteArray()).as("chunk %d ref %x", i, refs.get(i)).isEqualTo(chunks.get(i).toByteArray());
            }
            assertThat(ChunkFormat.segmentIndex(refs.getLast())).isEqualTo(r.segmentCount() - 1);
        }
    }

    @Test
    void rejectsBadMagicNamingTheFile() throws IOException {
        Files.write(dir.resolve("000001"), new byte[] {1, 2, 3, 4, 1, 0, 0, 0});
        try (Arena arena = Arena.ofConfined()) {
            assertThatThrownBy(() -> ChunkReader.open(dir, arena)).hasMessageContaining("invalid magic number 1020304").hasMessageContaining("000001");
        }
    }
}
