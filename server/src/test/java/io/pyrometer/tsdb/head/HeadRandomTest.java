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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Randomised model check: random appends (in order, late, duplicate) against a plain sorted map
 * per series, then random range reads mixing next() and seek(), before and after a reopen.
 */
class HeadRandomTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "oooWindow={0}")
    @ValueSource(longs = {0, 600_000})
    void headMatchesASimpleModel(long oooWindow) throws IOException {
        long seed = Long.getLong("seed", System.nanoTime());
        System.out.println("HeadRandomTest seed=" + seed + " oooWindow=" + oooWindow);
        Random r = new Random(seed);
        HeadOptions o = HeadOptions.defaults().withStripeSize(16).withOutOfOrderTimeWindowMs(oooWindow);
        Map<Labels, TreeMap<Long, Double>> model = new HashMap<>();
        List<Labels> labels = new ArrayList<>();
        for (int i = 0; i < 20; i++) labels.add(Labels.of("__name__", "r", "i", Integer.toString(i)));
        Head head = Head.open(dir, o, Long.MIN_VALUE, null);
        try {
            long now = 0;
            for (int c = 0; c < 400; c++) {
                Appender app = head.appender();
                now += 1 + r.nextInt(30_000);
                for (int k = 0; k < 10; k++) {
                    Labels l = labels.get(r.nextInt(labels.size()));
                    TreeMap<Long, Double> m = model.computeIfAbsent(l, x -> new TreeMap<>());
                    long t = r.nextInt(10) == 0 ? now - r.nextInt(900_000) : now + r.nextInt(1000);
                    double v = r.nextInt(5);
                    long st = app.append(0, l, t, v);
                    if (st > 0 && !m.containsKey(t)) m.put(t, v);
                    if (st == AppendStatus.DUPLICATE_SAMPLE) assertThat(m.get(t)).isNotEqualTo(v);
                }
                if (r.nextInt(20) == 0) {
                    app.rollback();
                    model.clear(); // rebuild from the head below: rolled-back samples must be absent
                    model.putAll(read(head, Long.MIN_VALUE, Long.MAX_VALUE));
                } else {
                    app.commit();
                }
            }
            check(head, model, r);
            head.close();
            head = Head.open(dir, o, Long.MIN_VALUE, null);
            check(head, model, r);
        } finally {
            head.close();
        }
    }

    private static Map<Labels, TreeMap<Long, Double>> read(Head head, long mint, long maxt) {
        Map<Labels, TreeMap<Long, Double>> out = new HashMap<>();
        try (Querier q = head.querier(mint, maxt)) {
            SeriesSet set = q.select(false, SelectHints.range(mint, maxt), List.of(LabelMatcher.eq("__name__", "r")));
            while (set.next()) {
                TreeMap<Long, Double> m = new TreeMap<>();
                SampleIterator it = set.at().iterator(null);
                while (it.next() == ValueType.FLOAT) assertThat(m.put(it.atT(), it.atV())).as("no duplicate timestamps").isNull();
                out.put(set.at().labels(), m);
            }
        }
        return out;
    }

    private static void check(Head head, Map<Labels, TreeMap<Long, Double>> model, Random r) {
        Map<Labels, TreeMap<Long, Double>> all = read(head, Long.MIN_VALUE, Long.MAX_VALUE);
        model.values().removeIf(TreeMap::isEmpty);
        assertThat(all.keySet()).isEqualTo(model.keySet());
        for (Labels l : model.keySet()) {
            TreeMap<Long, Double> want = model.get(l), got = all.get(l);
            for (Map.Entry<Long, Double> e : want.entrySet()) {
                assertThat(got.get(e.getKey())).as("%s at %d (got %d samples, want %d) %s", l, e.getKey(), got.size(), want.size(),
                        head.series.getByLabels(l).debugString()).isEqualTo(e.getValue());
            }
            for (Long t : got.keySet()) assertThat(want).as("%s has unexpected sample at %d", l, t).containsKey(t);
        }
        long maxT = head.maxTime();
        for (int q = 0; q < 50; q++) {
            long mint = r.nextLong(maxT + 1), maxt = mint + r.nextLong(3_000_000);
            try (Querier qr = head.querier(mint, maxt)) {
                SeriesSet set = qr.select(true, SelectHints.range(mint, maxt), List.of(LabelMatcher.eq("__name__", "r")));
                while (set.next()) {
                    List<Map.Entry<Long, Double>> want = new ArrayList<>(model.get(set.at().labels()).subMap(mint, true, maxt, true).entrySet());
                    SampleIterator it = set.at().iterator(null);
                    int i = 0;
                    while (true) {
                        ValueType vt;
                        if (r.nextBoolean() && i < want.size()) {
                            // seek to a random point at or after the next expected sample
                            int j = i + r.nextInt(Math.min(5, want.size() - i));
                            long target = j == i ? want.get(i).getKey() : want.get(j - 1).getKey() + 1;
                            vt = it.seek(target);
                            i = j;
                        } else {
                            vt = it.next();
                        }
                        if (i >= want.size()) {
                            assertThat(vt).isEqualTo(ValueType.NONE);
                            break;
                        }
                        assertThat(vt).isEqualTo(ValueType.FLOAT);
                        assertThat(it.atT()).isEqualTo(want.get(i).getKey());
                        assertThat(it.atV()).isEqualTo(want.get(i).getValue());
                        i++;
                    }
                }
            }
        }
    }

    @Test
    void seekNeverMovesBackwards() throws IOException {
        Head head = Head.open(dir, HeadOptions.defaults().withStripeSize(16), Long.MIN_VALUE, null);
        try {
            Appender app = head.appender();
            for (int t = 0; t < 500; t++) app.append(0, Labels.of("__name__", "s"), t * 1000L, t);
            app.commit();
            try (Querier q = head.querier(0, Long.MAX_VALUE)) {
                SeriesSet set = q.select(false, null, List.of(LabelMatcher.eq("__name__", "s")));
                assertThat(set.next()).isTrue();
                SampleIterator it = set.at().iterator(null);
                assertThat(it.seek(300_000)).isEqualTo(ValueType.FLOAT);
                assertThat(it.atT()).isEqualTo(300_000);
                assertThat(it.seek(10_000)).isEqualTo(ValueType.FLOAT);
                assertThat(it.atT()).as("seek stays when already past the target").isEqualTo(300_000);
                assertThat(it.seek(499_500)).isEqualTo(ValueType.NONE);
            }
        } finally {
            head.close();
        }
    }
}
