package io.pyrometer.tsdb.block;

import static io.pyrometer.tsdb.block.BlockTestData.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.pyrometer.model.LabelMatcher;
import io.pyrometer.model.Labels;
import io.pyrometer.storage.SampleIterator;
import io.pyrometer.storage.SeriesSet;
import io.pyrometer.storage.ValueType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flips random bytes of a block's index or chunk file: opening and querying must either work or
 * fail with an {@link IOException} / an iterator error naming the problem, never with another
 * exception.
 */
class BlockCorruptionTest {
    @TempDir
    Path data;

    @Test
    void randomByteFlipsAreReportedNotThrown() throws IOException {
        List<io.pyrometer.storage.ArraySeries> in = new ArrayList<>();
        for (int i = 0; i < 40; i++) in.add(series(Labels.of("__name__", "m" + (i % 3), "i", "v" + i), T0, 15_000, 150, i));
        BlockMeta meta = new BlockWriter(data.resolve("src")).write(in, T0, T0 + 7_200_000);
        Path src = data.resolve("src").resolve(meta.ulid());
        long seed = System.nanoTime();
        System.out.println("BlockCorruptionTest seed=" + seed);
        Random r = new Random(seed);
        int detected = 0;
        for (int round = 0; round < 120; round++) {
            Path dir = data.resolve("r" + round).resolve(meta.ulid());
            copy(src, dir);
            Path victim = dir.resolve(r.nextBoolean() ? "index" : "chunks/000001");
            byte[] b = Files.readAllBytes(victim);
            for (int k = 1 + r.nextInt(3); k > 0; k--) b[r.nextInt(b.length)] ^= (byte) (1 + r.nextInt(255));
            Files.write(victim, b);
            try {
                if (!queryAll(dir)) detected++;
            } catch (IOException e) {
                detected++;
                assertThat(e.getMessage()).as("seed=%d round=%d", seed, round).containsAnyOf("index", "chunk", "000001");
            } catch (RuntimeException e) {
                throw new AssertionError("seed=" + seed + " round=" + round + " file=" + victim.getFileName() + ": unexpected " + e, e);
            }
        }
        // flips landing only in alignment padding go unnoticed, as in Prometheus; most are caught by a CRC
        assertThat(detected).as("seed=%d", seed).isGreaterThan(60);
    }

    /** True when everything read cleanly, false when an error was reported through err(). */
    private static boolean queryAll(Path dir) throws IOException {
        try (Block b = Block.open(dir); BlockQuerier q = b.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            SeriesSet ss = q.select(true, null, List.of(LabelMatcher.of(LabelMatcher.Type.RE, "__name__", ".+")));
            SampleIterator it = null;
            boolean clean = true;
            while (ss.next()) {
                it = ss.at().iterator(it);
                while (it.next() == ValueType.FLOAT) {
                    it.atT();
                }
                if (it.err() != null) clean = false;
            }
            return clean && ss.err() == null;
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (var s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
    }
}
