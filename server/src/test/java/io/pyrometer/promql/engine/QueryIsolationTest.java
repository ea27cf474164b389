package io.pyrometer.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrometer.model.LabelMatcher;
import io.pyrometer.model.Labels;
import io.pyrometer.storage.Appender;
import io.pyrometer.storage.Querier;
import io.pyrometer.storage.Queryable;
import io.pyrometer.storage.SelectHints;
import io.pyrometer.storage.SeriesSet;
import io.pyrometer.tsdb.DB;
import io.pyrometer.tsdb.DbOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One isolation state per query on the real TSDB: every selector of a query sees the same commits
 * (as Prometheus's engine, one querier per query), and a query that outlives the head's isolation
 * bookkeeping is told so by a warning instead of silently mixing commits.
 */
class QueryIsolationTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final Labels A = Labels.of("__name__", "a", "job", "j");
    private static final Labels B = Labels.of("__name__", "b", "job", "j");

    @TempDir
    Path tmp;
    private DB db;
    private final Engine engine = new Engine(EngineOptions.defaults());

    @BeforeEach
    void open() throws Exception {
        db = DB.open(tmp.resolve("data"), DbOptions.defaults().withMaintenanceIntervalMs(3_600_000));
        commit(T0, 1); // a=1, b=1 in one commit
    }

    @AfterEach
    void close() { db.close(); }

    /** Writes a and b in one commit, as one scrape writes all series of a target. */
    private void commit(long t, double v) {
        Appender app = db.appender();
        app.append(0, A, t, v);
        app.append(0, B, t, v);
        app.commit();
    }

    /**
     * The DB, with {@code afterFirstSelect} run right after the query's first select returns (as
     * if a scrape committed while the query was between its selectors); counts queriers opened.
     */
    private Queryable interleaved(Runnable afterFirstSelect, AtomicInteger queriers) {
        AtomicInteger selects = new AtomicInteger();
        return (mint, maxt) -> {
            queriers.incrementAndGet();
            Querier q = db.querier(mint, maxt);
            return new Querier() {
                @Override
                public SeriesSet select(boolean sortSeries, SelectHints hints, List<LabelMatcher> matchers) {
                    SeriesSet set = q.select(sortSeries, hints, matchers);
                    if (selects.incrementAndGet() == 1) afterFirstSelect.run();
                    return set;
                }

                @Override
                public List<String> labelValues(String name, List<LabelMatcher> matchers) { return q.labelValues(name, matchers); }

                @Override
                public List<String> labelNames(List<LabelMatcher> matchers) { return q.labelNames(matchers); }

                @Override
                public void close() { q.close(); }
            };
        };
    }

    private static double single(QueryResult r) {
        List<Value.Sample> s = ((Value.Vector) r.value()).samples();
        assertThat(s).hasSize(1);
        return s.getFirst().v();
    }

    @Test
    void bothSidesOfABinaryOperationSeeTheSameCommits() {
        AtomicInteger queriers = new AtomicInteger();
        // between reading a and reading b, one commit sets both to 2: a query sees it on both sides or on neither
        Queryable q = interleaved(() -> commit(T0 + 10_000, 2), queriers);
        QueryResult r = engine.instantQuery(q, "a / ignoring(__name__) b", T0 + 10_000);
        assertThat(single(r)).as("a/b where a and b always move together").isEqualTo(1.0);
        assertThat(queriers).as("queriers opened by one query").hasValue(1);
        assertThat(r.warnings()).isEmpty();
        // the next query sees the commit on both sides
        assertThat(single(engine.instantQuery(db, "a - ignoring(__name__) b", T0 + 10_000))).isEqualTo(0.0);
        assertThat(single(engine.instantQuery(db, "a", T0 + 10_000))).isEqualTo(2.0);
    }

    @Test
    void rangeQueryAndSubqueriesShareOneQuerier() {
        AtomicInteger queriers = new AtomicInteger();
        Queryable q = interleaved(() -> commit(T0 + 10_000, 2), queriers);
        QueryResult r = engine.rangeQuery(q, "max_over_time(a[1m:5s]) - ignoring(__name__) last_over_time(b[2m] offset -1s) + scalar(sum(a @ end()))",
                T0, T0 + 10_000, 5_000);
        assertThat(queriers).hasValue(1);
        assertThat(r.warnings()).isEmpty();
        Value.Matrix m = (Value.Matrix) r.value();
        assertThat(m.series()).singleElement().satisfies(s -> assertThat(s.vs()).containsOnly(1.0));
    }

    @Test
    void aQueryThatOutlivesTheCommitBookkeepingIsWarned() {
        // a query held open across more commits to one series than the head remembers for it
        // (MemSeries.MAX_TX = 512) may see some of those commits in one series and not another
        QueryResult r = engine.instantQuery(interleaved(() -> {
            for (int i = 1; i <= 600; i++) commit(T0 + i, 1 + i);
        }, new AtomicInteger()), "a / ignoring(__name__) b", T0 + 600);
        assertThat(r.warnings()).singleElement().asString()
                .startsWith("PromQL warning: query may have seen part of the samples of a commit made while it ran");
        // a query that starts afterwards is complete and consistent again
        QueryResult after = engine.instantQuery(db, "a / ignoring(__name__) b", T0 + 600);
        assertThat(after.warnings()).isEmpty();
        assertThat(single(after)).isEqualTo(1.0);
    }

    @Test
    void aQueryAcrossFewerCommitsThanTheBookkeepingHoldsIsNotWarned() {
        QueryResult r = engine.instantQuery(interleaved(() -> {
            for (int i = 1; i <= 100; i++) commit(T0 + i, 1 + i);
        }, new AtomicInteger()), "a / ignoring(__name__) b", T0 + 600);
        assertThat(r.warnings()).isEmpty();
        assertThat(single(r)).isEqualTo(1.0);
    }
}
