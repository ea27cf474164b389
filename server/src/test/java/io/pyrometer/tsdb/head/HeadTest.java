package io.pyrometer.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrometer.model.LabelMatcher;
import io.pyrometer.model.Labels;
import io.pyrometer.storage.AppendStatus;
import io.pyrometer.storage.Appender;
import io.pyrometer.storage.Querier;
import io.pyrometer.storage.SampleIterator;
import io.pyrometer.storage.SelectHints;
import io.pyrometer.storage.SeriesSet;
import io.pyrometer.storage.ValueType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeadTest {
    @TempDir
    Path dir;
    Head head;

    static final Labels UP_A = Labels.of("__name__", "up", "job", "a", "instance", "1");
    static final Labels UP_B = Labels.of("__name__", "up", "job", "b", "instance", "2");
    static final Labels REQ = Labels.of("__name__", "http_requests_total", "job", "a", "code", "200");

    @AfterEach
    void close() {
        if (head != null) head.close();
    }

    Head open(HeadOptions o) throws IOException {
        head = Head.open(dir, o.withStripeSize(64), Long.MIN_VALUE, null);
        return head;
    }

    /** labels -> "t=v" strings, in query order. */
    static Map<Labels, List<String>> query(Querier q, LabelMatcher... ms) {
        Map<Labels, List<String>> out = new LinkedHashMap<>();
        SeriesSet set = q.select(true, SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE), List.of(ms));
        SampleIterator it = null;
        while (set.next()) {
            List<String> samples = new ArrayList<>();
            it = set.at().iterator(it);
            while (it.next() == ValueType.FLOAT) samples.add(it.atT() + "=" + it.atV());
            assertThat(it.err()).isNull();
            out.put(set.at().labels(), samples);
        }
        q.close();
        return out;
    }

    static LabelMatcher m(String name, LabelMatcher.Type t, String v) { return LabelMatcher.of(t, name, v); }

    @Test
    void appendedSamplesAreQueryableAcrossManyChunks() throws IOException {
        open(HeadOptions.defaults());
        List<String> want = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Appender app = head.appender();
            long t = i * 15_000L;
            assertThat(app.append(0, UP_A, t, i)).isPositive();
            app.commit();
            want.add(t + "=" + (double) i);
        }
        // 1000 samples at 15s cover 4h10m: chunks are cut at the 2h range boundaries and about every 120 samples
        assertThat(head.numChunks()).isBetween(9L, 10L);
        Map<Labels, List<String>> got = query(head.querier(Long.MIN_VALUE, Long.MAX_VALUE), LabelMatcher.eq("__name__", "up"));
        assertThat(got).containsOnlyKeys(UP_A);
        assertThat(got.get(UP_A)).containsExactlyElementsOf(want);
        assertThat(head.samplesAppendedTotal()).isEqualTo(1000);
        assertThat(head.minTime()).isZero();
        assertThat(head.maxTime()).isEqualTo(999 * 15_000L);
        // a range query sees only its range, both ends inclusive
        Map<Labels, List<String>> part = query(head.querier(15_000, 45_000), LabelMatcher.eq("job", "a"));
        assertThat(part.get(UP_A)).containsExactly("15000=1.0", "30000=2.0", "45000=3.0");
    }

    @Test
    void compactionQuerierSeesInFlightCommitsAndHoldsNothingBack() throws IOException {
        open(HeadOptions.defaults());
        Appender first = head.appender();
        assertThat(first.append(0, UP_A, 1_000, 1)).isPositive();
        first.commit();
        Appender inFlight = head.appender();
        assertThat(inFlight.append(0, UP_A, 2_000, 2)).isPositive();
        Querier iso = head.querier(Long.MIN_VALUE, Long.MAX_VALUE);
        Querier compaction = head.compactionQuerier(Long.MIN_VALUE, Long.MAX_VALUE);
        inFlight.commit();
        // a query keeps its point-in-time view; the compaction reader reads what is there
        assertThat(query(iso, LabelMatcher.eq("job", "a")).get(UP_A)).containsExactly("1000=1.0");
        assertThat(query(compaction, LabelMatcher.eq("job", "a")).get(UP_A)).containsExactly("1000=1.0", "2000=2.0");
        // and is not a reader that head truncation waits for
        Querier open = head.compactionQuerier(Long.MIN_VALUE, Long.MAX_VALUE);
        assertThat(head.waitForPendingReaders(0)).isTrue();
        Querier openIso = head.querier(Long.MIN_VALUE, Long.MAX_VALUE);
        assertThat(head.waitForPendingReaders(0)).isFalse();
        openIso.close();
        open.close();
    }

    @Test
    void firstChunksOfARangeEndAtStaggeredSizesWithoutAddingChunks() throws IOException {
        open(HeadOptions.defaults());
        int n = 200;
        Labels[] fast = new Labels[n];
        for (int i = 0; i < n; i++) fast[i] = Labels.of("__name__", "fast", "i", Integer.toString(i));
        for (int s = 0; s < 100; s++) { // a target scraped every second, all series in one commit
            Appender app = head.appender();
            for (Labels l : fast) assertThat(app.append(0, l, s * 1_000L, s)).isPositive();
            app.commit();
        }
        // in lockstep no chunk would be cut before 120 samples; staggered, a first chunk ends after
        // 60 to 119 of them, so about two thirds of the series have cut one by the 100th
        long cut = head.numChunks() - n;
        assertThat(cut).isBetween(n / 2L, n * 5L / 6);
        // a series scraped every minute fills one chunk per 2h range: staggering must not split it
        Labels slow = Labels.of("__name__", "slow");
        for (int s = 0; s < 240; s++) {
            Appender app = head.appender();
            assertThat(app.append(0, slow, s * 60_000L, s)).isPositive();
            app.commit();
        }
        assertThat(head.numChunks() - n - cut).isEqualTo(2);
    }

    @Test
    void chunksAreCutAtRangeBoundaries() {
        // Prometheus's rule: a chunk never spans a chunk-range boundary
        assertThat(MemSeries.rangeForTimestamp(0, 7200_000)).isEqualTo(7200_000);
        assertThat(MemSeries.rangeForTimestamp(7199_999, 7200_000)).isEqualTo(7200_000);
        assertThat(MemSeries.rangeForTimestamp(7200_000, 7200_000)).isEqualTo(14400_000);
        // 30 samples in the first 450s of a 2h range: remaining 2h holds about 16 chunks of 120
        long end = MemSeries.computeChunkEndTime(0, 29 * 15_000, 7200_000, 4);
        assertThat(end).isEqualTo(7200_000 / 4);
    }

    @Test
    void rejectionsAreStatusCodesAndCounted() throws IOException {
        open(HeadOptions.defaults());
        Appender app = head.appender();
        long ref = app.append(0, UP_A, 100_000, 1);
        app.commit();
        app = head.appender();
        assertThat(app.append(ref, UP_A, 50_000, 1)).isEqualTo(AppendStatus.OUT_OF_ORDER);
        assertThat(app.append(ref, UP_A, 100_000, 2)).isEqualTo(AppendStatus.DUPLICATE_SAMPLE);
        assertThat(app.append(ref, UP_A, 100_000, 1)).as("an exact duplicate is accepted and ignored").isEqualTo(ref);
        assertThat(app.append(0, UP_B, 100_000 - 3600_001, 1)).as("older than half a chunk range").isEqualTo(AppendStatus.OUT_OF_BOUNDS);
        assertThat(app.append(ref, UP_A, 200_000, 3)).isEqualTo(ref);
        assertThat(app.append(ref, UP_A, 150_000, 3)).as("out of order within one appender").isEqualTo(AppendStatus.OUT_OF_ORDER);
        assertThat(app.append(0, Labels.EMPTY, 200_000, 3)).isEqualTo(AppendStatus.INVALID_LABELS);
        assertThat(app.append(0, Labels.of("a", ""), 200_000, 3)).as("only empty values").isEqualTo(AppendStatus.INVALID_LABELS);
        assertThat(app.append(0, Labels.of("__name__", "up", "job", "a", "instance", "1", "extra", ""), 200_000, 3))
                .as("an empty value is an absent label: same series").isEqualTo(ref);
        app.commit();
        assertThat(head.outOfOrderSamplesTotal()).isEqualTo(2);
        assertThat(head.duplicateSamplesTotal()).isEqualTo(1);
        assertThat(head.outOfBoundSamplesTotal()).isEqualTo(1);
        assertThat(query(head.querier(0, Long.MAX_VALUE), LabelMatcher.eq("job", "a")).get(UP_A)).containsExactly("100000=1.0", "200000=3.0");
        assertThat(head.numSeries()).isEqualTo(1);
    }

    @Test
    void outOfOrderWindowAcceptsLateSamplesAndMergesThemOnQuery() throws IOException {
        open(HeadOptions.defaults().withOutOfOrderTimeWindowMs(600_000));
        Appender app = head.appender();
        for (int i = 10; i < 20; i++) app.append(0, UP_A, i * 60_000L, i);
        app.commit();
        app = head.appender();
        assertThat(app.append(0, UP_A, 9 * 60_000L + 30_000, 9.5)).isPositive();
        assertThat(app.append(0, UP_A, 15 * 60_000L + 1, 15.5)).isPositive();
        assertThat(app.append(0, UP_A, 60_000, 1)).as("older than the window").isEqualTo(AppendStatus.TOO_OLD);
        app.commit();
        // more than OOO_CAPACITY late samples: the buffer becomes an out-of-order chunk on disk
        app = head.appender();
        for (int i = 0; i < 40; i++) assertThat(app.append(0, UP_A, 10 * 60_000L + 1 + i, 100 + i)).isPositive();
        app.commit();
        List<String> got = query(head.querier(0, Long.MAX_VALUE), LabelMatcher.eq("job", "a")).get(UP_A);
        assertThat(got).hasSize(10 + 2 + 40);
        assertThat(got.getFirst()).isEqualTo("570000=9.5");
        assertThat(got).contains("900001=15.5", "600001=100.0", "600040=139.0");
        List<Long> ts = got.stream().map(s -> Long.parseLong(s.substring(0, s.indexOf('=')))).toList();
        assertThat(ts).isSorted();
        assertThat(head.outOfOrderSamplesAppendedTotal()).isEqualTo(42);
        assertThat(head.tooOldSamplesTotal()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "job=a;                 job;EQ;a;              up_a,req",
        "job!=a;                job;NEQ;a;             up_b",
        "job=~a|b (set lookup); job;RE;a|b;            up_a,up_b,req",
        "job=~.* (no scan);     job;RE;.*;             up_a,up_b,req",
        "code=~.+ (has label);  code;RE;.+;            req",
        "code!~.+ (lacks label);code;NRE;.+;           up_a,up_b",
        "code=\"\" (lacks);     code;EQ;'';            up_a,up_b",
        "instance=~[12];        instance;RE;[12];      up_a,up_b",
        "instance!~1|;          instance;NRE;1|;       up_b",
        "job!~b;                job;NRE;b;             up_a,req",
        "missing=~x.*;          nope;RE;x.*;           ''",
    })
    void matchersSelectLikePrometheus(String name, String label, LabelMatcher.Type type, String value, String want) throws IOException {
        open(HeadOptions.defaults());
        Appender app = head.appender();
        app.append(0, UP_A, 1000, 1);
        app.append(0, UP_B, 1000, 1);
        app.append(0, REQ, 1000, 1);
        app.commit();
        Map<String, Labels> byName = Map.of("up_a", UP_A, "up_b", UP_B, "req", REQ);
        List<Labels> expected = new ArrayList<>();
        if (!want.isEmpty()) for (String w : want.split(",")) expected.add(byName.get(w));
        expected.sort(null);
        Map<Labels, List<String>> got = query(head.querier(0, 2000), m(label, type, value == null ? "" : value));
        assertThat(new ArrayList<>(got.keySet())).as(name).containsExactlyElementsOf(expected);
    }

    @Test
    void labelNamesAndValuesHonourMatchers() throws IOException {
        open(HeadOptions.defaults());
        Appender app = head.appender();
        app.append(0, UP_A, 1000, 1);
        app.append(0, UP_B, 1000, 1);
        app.append(0, REQ, 1000, 1);
        app.commit();
        try (Querier q = head.querier(0, 2000)) {
            assertThat(q.labelValues("job", List.of())).containsExactly("a", "b");
            assertThat(q.labelValues("__name__", List.of(LabelMatcher.eq("job", "a")))).containsExactly("http_requests_total", "up");
            assertThat(q.labelNames(List.of())).containsExactly("__name__", "code", "instance", "job");
            assertThat(q.labelNames(List.of(LabelMatcher.eq("__name__", "up")))).containsExactly("__name__", "instance", "job");
        }
    }

    @Test
    void uncommittedAndRolledBackSamplesAreInvisible() throws IOException {
        open(HeadOptions.defaults());
        Appender app = head.appender();
        app.append(0, UP_A, 1000, 1);
        assertThat(query(head.querier(0, 5000), LabelMatcher.eq("job", "a")).getOrDefault(UP_A, List.of())).isEmpty();
        app.rollback();
        app.append(0, UP_A, 2000, 2);
        app.commit();
        assertThat(query(head.querier(0, 5000), LabelMatcher.eq("job", "a")).get(UP_A)).containsExactly("2000=2.0");
    }

    @Test
    void deletedIntervalsAreHiddenAndSurviveReplay() throws IOException {
        open(HeadOptions.defaults());
        Appender app = head.appender();
        for (int i = 0; i < 10; i++) app.append(0, UP_A, i * 1000L, i);
        app.commit();
        head.delete(2000, 7000, List.of(LabelMatcher.eq("job", "a")));
        List<String> want = List.of("0=0.0", "1000=1.0", "8000=8.0", "9000=9.0");
        assertThat(query(head.querier(0, 10_000), LabelMatcher.eq("job", "a")).get(UP_A)).containsExactlyElementsOf(want);
        head.close();
        open(HeadOptions.defaults());
        assertThat(query(head.querier(0, 10_000), LabelMatcher.eq("job", "a")).get(UP_A)).containsExactlyElementsOf(want);
    }

    @Test
    void statsListTopCardinalities() throws IOException {
        open(HeadOptions.defaults());
        Appender app = head.appender();
        for (int i = 0; i < 5; i++) app.append(0, Labels.of("__name__", "a", "i", "" + i), 1000, 1);
        for (int i = 0; i < 3; i++) app.append(0, Labels.of("__name__", "b", "i", "" + i), 1000, 1);
        app.commit();
        Head.HeadStats st = head.stats();
        assertThat(st.numSeries()).isEqualTo(8);
        assertThat(st.minTimeMs()).isEqualTo(1000);
        assertThat(st.cardinality().seriesCountByMetricName()).containsExactly(new CardinalityStats.Stat("a", 5), new CardinalityStats.Stat("b", 3));
        assertThat(st.cardinality().labelValueCountByLabelName()).containsExactly(new CardinalityStats.Stat("i", 5), new CardinalityStats.Stat("__name__", 2));
        assertThat(st.cardinality().seriesCountByLabelValuePair().getFirst()).isEqualTo(new CardinalityStats.Stat("__name__=a", 5));
        // memory by label name: sum of value length times series count, as Prometheus computes it
        assertThat(st.cardinality().memoryInBytesByLabelName()).contains(new CardinalityStats.Stat("__name__", 8), new CardinalityStats.Stat("i", 8));
    }

    @Test
    void labelStringsAreInterned() throws IOException {
        open(HeadOptions.defaults());
        Appender app = head.appender();
        app.append(0, Labels.of("__name__", new String("up"), "job", new String("node")), 1000, 1);
        app.append(0, Labels.of("__name__", new String("up"), "job", new String("node"), "x", "1"), 1000, 1);
        app.commit();
        List<Labels> got = new ArrayList<>(query(head.querier(0, 2000), LabelMatcher.eq("__name__", "up")).keySet());
        assertThat(got).hasSize(2);
        assertThat(got.get(0).get("job")).isSameAs(got.get(1).get("job"));
        assertThat(got.get(0).get("__name__")).isSameAs(got.get(1).get("__name__"));
    }

    @Test
    void concurrentAppendersAndQueriesSeeWholeCommits() throws Exception {
        open(HeadOptions.defaults());
        // fewer commits per series than MemSeries.MAX_TX: isolation is exact within that bound
        int writers = 4, commits = MemSeries.MAX_TX - 12, perCommit = 20;
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int id = w;
            threads.add(Thread.ofPlatform().start(() -> {
                long[] refs = new long[perCommit];
                Labels[] ls = new Labels[perCommit];
                for (int i = 0; i < perCommit; i++) ls[i] = Labels.of("__name__", "c", "w", "" + id, "i", "" + i);
                for (int c = 1; c <= commits; c++) {
                    Appender app = head.appender();
                    for (int i = 0; i < perCommit; i++) refs[i] = app.append(refs[i], ls[i], c, c);
                    app.commit();
                }
            }));
        }
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                while (!stop.get()) {
                    // every series of one writer must have the same number of samples: commits are atomic
                    Map<Labels, List<String>> got = query(head.querier(0, Long.MAX_VALUE), LabelMatcher.eq("w", "0"));
                    java.util.Set<Integer> sizes = new java.util.HashSet<>();
                    for (List<String> v : got.values()) sizes.add(v.size());
                    if (sizes.size() > 1) throw new AssertionError("torn commit visible: sample counts " + sizes);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        for (Thread t : threads) t.join();
        stop.set(true);
        reader.join();
        assertThat(failure.get()).isNull();
        assertThat(head.numSeries()).isEqualTo(writers * perCommit);
        assertThat(head.samplesAppendedTotal()).isEqualTo((long) writers * commits * perCommit);
        for (List<String> v : query(head.querier(0, Long.MAX_VALUE), LabelMatcher.eq("__name__", "c")).values()) assertThat(v).hasSize(commits);
    }

    @Test
    void truncationDropsEmptySeriesAndStaleRefsResolveByLabels() throws IOException {
        open(HeadOptions.defaults());
        Appender app = head.appender();
        long oldRef = app.append(0, UP_A, 1000, 1);
        long keptRef = app.append(0, UP_B, 1000, 1);
        app.commit();
        app = head.appender();
        app.append(keptRef, UP_B, 3 * 3600_000L, 2);
        app.commit();
        head.truncate(2 * 3600_000L); // UP_A has nothing left after 2h
        assertThat(head.numSeries()).isEqualTo(1);
        assertThat(head.seriesRemovedTotal()).isEqualTo(1);
        app = head.appender();
        long newRef = app.append(oldRef, UP_A, 3 * 3600_000L + 1000, 3);
        assertThat(newRef).as("a stale ref is resolved by labels into a new series").isPositive().isNotEqualTo(oldRef);
        assertThat(app.append(0, UP_A, 1000, 1)).as("before the truncation point").isEqualTo(AppendStatus.OUT_OF_BOUNDS);
        app.commit();
        assertThat(query(head.querier(0, Long.MAX_VALUE), LabelMatcher.eq("__name__", "up")))
                .containsEntry(UP_A, List.of((3 * 3600_000L + 1000) + "=3.0"))
                .containsEntry(UP_B, List.of((3 * 3600_000L) + "=2.0"));
    }

    @Test
    void headChunkFilesRotateAndOldOnesAreDeletedOnTruncation() throws IOException {
        HeadOptions small = new HeadOptions(HeadOptions.DEFAULT_CHUNK_RANGE_MS, 120, 0, 64, 4096, 1 << 20, false);
        head = Head.open(dir, small, Long.MIN_VALUE, null);
        for (int c = 0; c < 4 * 240; c++) { // 4h at 15s, 20 series
            Appender app = head.appender();
            for (int i = 0; i < 20; i++) app.append(0, Labels.of("__name__", "rot", "i", "" + i), c * 15_000L, c);
            app.commit();
        }
        long files = java.nio.file.Files.list(dir.resolve("chunks_head")).count();
        assertThat(files).as("4 KiB files hold only a few chunks").isGreaterThan(3);
        head.truncate(2 * 3600_000L);
        assertThat(java.nio.file.Files.list(dir.resolve("chunks_head")).count()).isLessThan(files);
        head.close();
        head = Head.open(dir, small, 2 * 3600_000L, null);
        Map<Labels, List<String>> got = query(head.querier(0, Long.MAX_VALUE), LabelMatcher.eq("__name__", "rot"));
        assertThat(got).hasSize(20);
        for (List<String> v : got.values()) {
            assertThat(v).hasSize(2 * 240);
            assertThat(v.getFirst()).isEqualTo((2 * 3600_000L) + "=480.0");
        }
    }
}
