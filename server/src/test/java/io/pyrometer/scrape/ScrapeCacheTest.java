package io.pyrometer.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The scrape cache against a plain map model of Prometheus's semantics: a series seen in the
 * previous scrape and missing now is reported stale once; a failed scrape counts as empty;
 * entries unseen for more than 10 scrapes are evicted; refs stay with their keys through
 * eviction, arena compaction and reordering.
 */
class ScrapeCacheTest {
    private static final int EVICT_AFTER = 10;

    /** The model: key -> last and previous iteration seen. */
    private static final class Model {
        final Map<String, int[]> seen = new HashMap<>();
        int iter;
    }

    @Test
    void matchesTheMapModelOverRandomScrapes() {
        long seed = Long.getLong("scrapecache.seed", 20261122L);
        System.out.println("ScrapeCacheTest seed=" + seed + " (replay with -Dscrapecache.seed=" + seed + ")");
        Random r = new Random(seed);
        ScrapeCache cache = new ScrapeCache();
        Model m = new Model();
        List<String> universe = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            universe.add("metric_" + (i % 37) + "{path=\"/api/" + i + "\",pad=\"" + "x".repeat(r.nextInt(200)) + "\"}");
        }
        List<String> current = new ArrayList<>(universe.subList(0, 500));
        for (int round = 0; round < 300; round++) {
            // churn: drop some, add some, sometimes reorder or duplicate a line
            int op = r.nextInt(10);
            if (op == 0) Collections.shuffle(current, r);
            if (op <= 3) {
                for (int k = r.nextInt(40); k > 0 && !current.isEmpty(); k--) current.remove(r.nextInt(current.size()));
                for (int k = r.nextInt(40); k > 0; k--) current.add(r.nextInt(current.size() + 1), universe.get(r.nextInt(universe.size())));
            }
            List<String> lines = new ArrayList<>(current);
            if (op == 4 && !lines.isEmpty()) lines.add(lines.get(r.nextInt(lines.size())));
            boolean fail = r.nextInt(12) == 0;
            scrape(cache, m, lines, fail, r.nextInt(Math.max(1, lines.size())), seed, round);
        }
    }

    private static void scrape(ScrapeCache cache, Model m, List<String> lines, boolean fail, int failAt, long seed, int round) {
        cache.beginIteration();
        m.iter++;
        Map<String, Integer> prevOfTouched = new HashMap<>();
        int n = fail ? failAt : lines.size();
        for (int i = 0; i < n; i++) {
            byte[] b = ("x " + lines.get(i) + " 1").getBytes(StandardCharsets.UTF_8);
            int s = 2, e = b.length - 2;
            int id = cache.predicted(b, s, e);
            if (id < 0) id = cache.get(b, s, e, ScrapeCache.hash(b, s, e));
            boolean known = m.seen.containsKey(lines.get(i));
            assertThat(id >= 0).as("seed=%d round=%d line %s known", seed, round, lines.get(i)).isEqualTo(known);
            if (id < 0) {
                id = cache.put(b, s, e, ScrapeCache.hash(b, s, e), 0);
                cache.setRef(id, refOf(lines.get(i)));
                m.seen.put(lines.get(i), new int[] {-1, -1});
            }
            assertThat(cache.ref(id)).isEqualTo(refOf(lines.get(i)));
            assertThat(new String(cache.keyArena(), cache.keyOffset(id), cache.keyLength(id), StandardCharsets.UTF_8)).isEqualTo(lines.get(i));
            cache.touch(id);
            int[] st = m.seen.get(lines.get(i));
            if (st[0] != m.iter) {
                prevOfTouched.put(lines.get(i), st[0]);
                st[1] = st[0];
                st[0] = m.iter;
            }
        }
        if (fail) {
            cache.abortIteration();
            for (var e : prevOfTouched.entrySet()) m.seen.get(e.getKey())[0] = e.getValue();
        }
        List<Long> stale = new ArrayList<>();
        cache.endIteration(id -> stale.add(cache.ref(id)));
        List<Long> expected = new ArrayList<>();
        for (var e : m.seen.entrySet()) if (e.getValue()[0] == m.iter - 1) expected.add(refOf(e.getKey()));
        m.seen.values().removeIf(st -> m.iter - st[0] > EVICT_AFTER);
        assertThat(new TreeSet<>(stale)).as("seed=%d round=%d stale", seed, round).isEqualTo(new TreeSet<>(expected));
        assertThat(stale).as("each stale series reported once").hasSameSizeAs(expected);
        assertThat(cache.size()).as("seed=%d round=%d size after eviction", seed, round).isEqualTo(m.seen.size());
    }

    private static long refOf(String key) {
        return (key.hashCode() & 0xffffffffL) + 1;
    }

    @Test
    void theParserIsOfferedTheNextKeyOfThePreviousScrapeOnlyWhenAllowed() {
        ScrapeCache cache = new ScrapeCache();
        byte[] body = "a{x=\"1\"} 1\nb{x=\"2\"} 2\n".getBytes(StandardCharsets.UTF_8);
        cache.beginIteration();
        int a = cache.put(body, 0, 8, ScrapeCache.hash(body, 0, 8), 0);
        cache.touch(a);
        int b = cache.put(body, 11, 19, ScrapeCache.hash(body, 11, 19), 0);
        cache.touch(b);
        cache.endIteration(id -> { });

        cache.beginIteration();
        assertThat(cache.predictedLength(body, 0, body.length)).as("not enabled: other format").isEqualTo(-1);
        cache.predictForParser(true);
        assertThat(cache.predictedLength(body, 0, body.length)).isEqualTo(8);
        assertThat(cache.predicted(body, 0, 8)).isEqualTo(a);
        cache.touch(a);
        assertThat(cache.predictedLength(body, 0, body.length)).as("b is expected at a's line").isEqualTo(-1);
        assertThat(cache.predictedLength(body, 11, body.length)).isEqualTo(8);
        byte[] other = Arrays.copyOf(body, body.length);
        other[17] = '3';
        assertThat(cache.predictedLength(other, 11, other.length)).isEqualTo(-1);
    }
}
