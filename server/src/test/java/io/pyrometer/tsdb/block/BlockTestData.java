package io.pyrometer.tsdb.block;

import io.pyrometer.model.Labels;
import io.pyrometer.storage.ArraySeries;
import io.pyrometer.storage.SampleIterator;
import io.pyrometer.storage.Series;
import io.pyrometer.storage.SeriesSet;
import io.pyrometer.storage.ValueType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Series fixtures and helpers shared by block tests. */
final class BlockTestData {
    static final long T0 = 1_700_000_000_000L;

    private BlockTestData() {}

    /** {@code n} samples every {@code stepMs} from {@code start}, value = base + i. */
    static ArraySeries series(Labels l, long start, long stepMs, int n, double base) {
        long[] ts = new long[n];
        double[] vs = new double[n];
        for (int i = 0; i < n; i++) {
            ts[i] = start + i * stepMs;
            vs[i] = base + i;
        }
        return new ArraySeries(l, ts, vs);
    }

    /** Drains a series set into labels → "t=v" strings, in set order. */
    static Map<Labels, List<String>> drain(SeriesSet ss) {
        Map<Labels, List<String>> out = new LinkedHashMap<>();
        SampleIterator it = null;
        while (ss.next()) {
            Series s = ss.at();
            it = s.iterator(it);
            List<String> samples = new ArrayList<>();
            while (it.next() == ValueType.FLOAT) samples.add(it.atT() + "=" + it.atV());
            if (it.err() != null) throw new AssertionError("iterator failed", it.err());
            out.put(s.labels(), samples);
        }
        if (ss.err() != null) throw new AssertionError("series set failed", ss.err());
        return out;
    }

    static List<String> samples(ArraySeries s) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < s.timestampsMs().length; i++) out.add(s.timestampsMs()[i] + "=" + s.values()[i]);
        return out;
    }
}
