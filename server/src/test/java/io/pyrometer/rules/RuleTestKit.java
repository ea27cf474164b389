package io.pyrometer.rules;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyrometer.model.LabelMatcher;
import io.pyrometer.model.Labels;
import io.pyrometer.notifier.Alert;
import io.pyrometer.promql.engine.Engine;
import io.pyrometer.promql.engine.EngineOptions;
import io.pyrometer.promql.parser.ParserOptions;
import io.pyrometer.storage.Appender;
import io.pyrometer.storage.MemStorage;
import io.pyrometer.storage.Querier;
import io.pyrometer.storage.SampleIterator;
import io.pyrometer.storage.SelectHints;
import io.pyrometer.storage.SeriesSet;
import io.pyrometer.storage.ValueType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** A rule manager over {@link MemStorage} with a manual clock and a sender that records what it is given. */
final class RuleTestKit {
    static final long T0 = 1_700_000_000_000L; // a whole minute
    static final String EXTERNAL_URL = "http://prom.example:9090";

    final MemStorage storage = new MemStorage();
    final AtomicLong clock = new AtomicLong(T0);
    final List<Alert> sent = new CopyOnWriteArrayList<>();
    final PrometheusRegistry registry = new PrometheusRegistry();
    final RuleManager manager;
    final Path dir;

    RuleTestKit(Path dir) {
        this.dir = dir;
        Engine engine = new Engine(EngineOptions.defaults());
        manager = new RuleManager(new RuleManager.Options(EngineQueries.of(engine, storage), storage, storage, sent::addAll,
                clock::get, new RuleMetrics(registry), 60_000, 3_600_000, 600_000, EXTERNAL_URL, ParserOptions.DEFAULT));
    }

    /** Writes {@code rules.yml} and (re)loads it with a 1m default interval. */
    RuleGroup load(String yaml) throws IOException, RuleFileException {
        Files.writeString(dir.resolve("rules.yml"), yaml);
        manager.update(60_000, 0, Labels.EMPTY, List.of(dir.resolve("*.yml").toString()));
        return manager.groups().isEmpty() ? null : manager.groups().getFirst();
    }

    void add(long t, double v, String... labels) {
        Appender a = storage.appender();
        a.append(0, Labels.of(labels), t, v);
        a.commit();
    }

    /** Every sample of the series matching {@code metric}, by series; values as {@code t=v}. */
    Map<Labels, List<String>> series(String metric) {
        Map<Labels, List<String>> out = new TreeMap<>();
        try (Querier q = storage.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            SeriesSet ss = q.select(true, SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE), List.of(LabelMatcher.eq("__name__", metric)));
            SampleIterator it = null;
            while (ss.next()) {
                it = ss.at().iterator(it);
                List<String> vs = new ArrayList<>();
                while (it.next() == ValueType.FLOAT) {
                    double v = it.atV();
                    vs.add((it.atT() - T0) / 1000 + "s=" + (io.pyrometer.model.Values.isStaleNaN(v) ? "stale" : String.valueOf(v)));
                }
                out.put(ss.at().labels(), vs);
            }
        }
        return out;
    }

    /** Evaluates {@code g} at {@code T0 + offsetS} seconds, with the clock there. */
    void evalAt(RuleGroup g, long offsetS) {
        clock.set(T0 + offsetS * 1000);
        g.iterate(T0 + offsetS * 1000);
    }
}
