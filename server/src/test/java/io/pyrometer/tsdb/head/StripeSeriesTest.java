package io.pyrometer.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrometer.model.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The head's series registry finds every series by labels and by ref through any mix of creations
 * and removals (removal is what head truncation does to series without samples left).
 */
class StripeSeriesTest {

    @Test
    void randomCreatesAndRemovesAgreeWithAMap() {
        long seed = io.pyrometer.testing.Seeds.seed("stripeseries.seed");
        System.out.println("StripeSeriesTest seed=" + seed + " (replay with -Dstripeseries.seed=" + seed + ")");
        Random rnd = new Random(seed);
        for (int stripes : new int[] {1, 4, 1024}) {
            StripeSeries reg = new StripeSeries(stripes);
            Map<Labels, MemSeries> model = new HashMap<>();
            long[] nextRef = {1};
            boolean[] created = new boolean[1];
            List<Labels> universe = new ArrayList<>();
            for (int i = 0; i < 3000; i++) universe.add(Labels.of("__name__", "m" + (i % 7), "id", Integer.toString(i)));
            for (int step = 0; step < 40_000; step++) {
                Labels l = universe.get(rnd.nextInt(universe.size()));
                if (rnd.nextInt(3) == 0 && model.containsKey(l)) {
                    reg.remove(model.remove(l));
                    assertThat(reg.getByLabels(l)).as("seed %d step %d: removed %s", seed, step, l).isNull();
                } else {
                    MemSeries s = reg.getOrCreate(l, x -> new MemSeries(nextRef[0]++, x), created);
                    assertThat(created[0]).as("seed %d step %d: created %s", seed, step, l).isEqualTo(!model.containsKey(l));
                    if (created[0]) model.put(l, s);
                    assertThat(s).isSameAs(model.get(l));
                }
            }
            for (Labels l : universe) {
                MemSeries expected = model.get(l);
                assertThat(reg.getByLabels(l)).as("seed %d: lookup of %s", seed, l).isSameAs(expected);
                if (expected != null) assertThat(reg.getByRef(expected.ref)).isSameAs(expected);
            }
            List<MemSeries> visited = new ArrayList<>();
            reg.forEach(visited::add);
            assertThat(visited).containsExactlyInAnyOrderElementsOf(model.values());
        }
    }

    @Test
    void removingASeriesLeavesAnEqualLabelledReplacementAlone() {
        StripeSeries reg = new StripeSeries(1);
        boolean[] created = new boolean[1];
        Labels l = Labels.of("__name__", "up", "job", "a");
        MemSeries first = reg.getOrCreate(l, x -> new MemSeries(1, x), created);
        reg.remove(first);
        MemSeries second = reg.getOrCreate(l, x -> new MemSeries(2, x), created);
        reg.remove(first); // a stale removal (the old series object) must not drop the new one
        assertThat(reg.getByLabels(l)).isSameAs(second);
        assertThat(reg.getByRef(2)).isSameAs(second);
    }
}
