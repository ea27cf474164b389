package io.pyrometer.promql.conformance;

import io.pyrometer.model.Labels;
import io.pyrometer.promql.engine.Engine;
import io.pyrometer.storage.Appender;
import io.pyrometer.storage.Queryable;
import io.pyrometer.tsdb.DB;
import io.pyrometer.tsdb.DbOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The PromQL conformance scripts on the real TSDB ({@link DB}) instead of {@code MemStorage}: each
 * eval runs three times, on
 * <ol>
 *   <li>{@code head}: every sample appended through the head appender (WAL, head chunks, isolation);</li>
 *   <li>{@code blocks}: that head written as a block (a snapshot) and opened as a DB of its own, so
 *       only the block reader (index, XOR chunks, merges across chunks) serves the query;</li>
 *   <li>{@code mixed}: the head compacted by the DB itself with a block range of half the data's span,
 *       so older samples are in a block and newer ones in the head, series spanning both.</li>
 * </ol>
 * Each query must open exactly one querier (one isolation state per query). Counts print at the end
 * as for {@link PromqlConformanceTest}; every eval that passes there must pass here.
 */
class TsdbConformanceTest {
    private static final PromqlConformanceTest.Tally TALLY = new PromqlConformanceTest.Tally("PromQL conformance on the TSDB");
    /** A block range no conformance script's data reaches: the head is never cut by itself. */
    private static final long NEVER_CUT_MS = 1_000_000_000_000_000L;
    private static final Map<PromqlConformanceTest.Segment, Dbs> OPEN = new IdentityHashMap<>();
    private static Path root;
    static final long[] T = new long[7];
    private static Level tsdbLevel;

    @BeforeAll
    static void setUp() throws IOException {
        // tmpfs where there is one: a DB per segment fsyncs its WAL and block files thousands of times
        Path shm = Path.of("/dev/shm");
        root = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "tsdb-conformance")
                : Files.createTempDirectory("tsdb-conformance");
        Logger tsdb = Logger.getLogger("io.pyrometer.tsdb"); // a DB per segment: thousands of start/replay lines otherwise
        tsdbLevel = tsdb.getLevel();
        tsdb.setLevel(Level.WARNING);
    }

    @AfterAll
    static void tearDown() throws IOException {
        try {
            for (Dbs d : new ArrayList<>(OPEN.values())) d.close();
            OPEN.clear();
            try (Stream<Path> s = Files.walk(root)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        } finally {
            Logger.getLogger("io.pyrometer.tsdb").setLevel(tsdbLevel);
            TALLY.print();
            System.out.println("TIMES open/append/snapshot/openblocks/mixed/maintain/close ms: " + java.util.Arrays.toString(java.util.Arrays.stream(T).map(x -> x / 1_000_000).toArray()));
        }
    }

    @TestFactory
    Stream<DynamicTest> conformanceOnTsdb() throws IOException {
        Engine engine = PromqlConformanceTest.newEngine();
        return PromqlConformanceTest.tests(PromqlConformanceTest.files(), engine, TALLY, TsdbConformanceTest::storage, seg -> {
            Dbs d = OPEN.remove(seg);
            if (d != null) d.close();
        }).stream();
    }

    /** The segment's data in all three layouts: each eval runs against each in turn. */
    private static Map<String, Queryable> storage(PromqlConformanceTest.Segment seg, String file) {
        Dbs d = OPEN.computeIfAbsent(seg, s -> Dbs.load(s, file));
        Map<String, Queryable> m = new LinkedHashMap<>();
        m.put("head", new PromqlConformanceTest.CountingQueryable(d.head()));
        m.put("blocks", new PromqlConformanceTest.CountingQueryable(d.blocks()));
        m.put("mixed", new PromqlConformanceTest.CountingQueryable(d.mixed()));
        return m;
    }

    /** The three DBs of one segment. */
    record Dbs(Path dir, DB head, DB blocks, DB mixed) implements AutoCloseable {
        private static final AtomicInteger SEQ = new AtomicInteger();

        static Dbs load(PromqlConformanceTest.Segment seg, String file) {
            Path dir = root.resolve(file + "-" + SEQ.incrementAndGet());
            try {
                long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
                for (TreeMap<Long, Double> m : seg.data.values()) {
                    if (m.isEmpty()) continue;
                    min = Math.min(min, m.firstKey());
                    max = Math.max(max, m.lastKey());
                }
                long t0 = System.nanoTime();
                DB head = open(dir.resolve("head"), NEVER_CUT_MS);
                long t1 = System.nanoTime();
                append(head, seg.data);
                long t2 = System.nanoTime();
                Path snap = head.snapshot(dir.resolve("snap"), true);
                long t3 = System.nanoTime();
                DB blocks = open(snap, NEVER_CUT_MS);
                long t4 = System.nanoTime();
                long range = max > min ? Math.max(1, (max - min) / 2) : NEVER_CUT_MS;
                DB mixed = open(dir.resolve("mixed"), range);
                append(mixed, seg.data);
                long t5 = System.nanoTime();
                mixed.maintain();
                long t6 = System.nanoTime();
                T[0] += t1 - t0; T[1] += t2 - t1; T[2] += t3 - t2; T[3] += t4 - t3; T[4] += t5 - t4; T[5] += t6 - t5;
                return new Dbs(dir, head, blocks, mixed);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static DB open(Path dir, long blockRangeMs) throws IOException {
            return DB.open(dir, DbOptions.defaults().withBlockRangeMs(blockRangeMs).withRetention(0, 0).withStripeSize(16)
                    .withMaintenanceIntervalMs(NEVER_CUT_MS));
        }

        private static void append(DB db, Map<Labels, TreeMap<Long, Double>> data) {
            Appender app = db.appender();
            data.forEach((l, m) -> m.forEach((t, v) -> app.append(0, l, t, v)));
            app.commit();
        }

        @Override
        public void close() {
            long t0 = System.nanoTime();
            head.close();
            blocks.close();
            mixed.close();
            T[6] += System.nanoTime() - t0;
        }
    }
}
