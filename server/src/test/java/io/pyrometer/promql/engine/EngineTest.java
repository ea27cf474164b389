package io.pyrometer.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pyrometer.model.Labels;
import io.pyrometer.model.Values;
import io.pyrometer.storage.Appender;
import io.pyrometer.storage.MemStorage;
import io.pyrometer.storage.Queryable;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Behaviour of the engine's public API that a Prometheus user relies on. */
class EngineTest {
    private static final long S = 1000, M = 60_000;
    private final Engine engine = new Engine(EngineOptions.defaults());

    /** Appends {@code values[i]} at {@code i * stepMs} for each series. */
    private static MemStorage storage(long stepMs, Object... labelsAndValues) {
        MemStorage s = new MemStorage();
        Appender app = s.appender();
        for (int k = 0; k < labelsAndValues.length; k += 2) {
            Labels l = (Labels) labelsAndValues[k];
            double[] vs = (double[]) labelsAndValues[k + 1];
            for (int i = 0; i < vs.length; i++) if (!Double.isNaN(vs[i]) || Values.isStaleNaN(vs[i])) app.append(0, l, i * stepMs, vs[i]);
        }
        app.commit();
        return s;
    }

    private static double[] ramp(int n, double step) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = i * step;
        return v;
    }

    private static List<Value.Sample> vector(QueryResult r) { return ((Value.Vector) r.value()).samples(); }

    @ParameterizedTest(name = "value at {0}s is {1}")
    @CsvSource({
        "0, 0",        // the sample at t itself
        "59, 0",       // newest sample at or before t
        "359, 5",      // the sample at 300s
        "600, 10",
        "899, 10",     // lookback window (t-5m, t] still holds the 600s sample
    })
    void instantSelectorUsesNewestSampleInLookbackWindow(long t, double expected) {
        MemStorage s = storage(M, Labels.of("__name__", "up"), new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        assertThat(vector(engine.instantQuery(s, "up", t * S))).singleElement()
                .satisfies(x -> assertThat(x.v()).isEqualTo(expected));
    }

    @Test
    void lookbackWindowIsLeftOpenAsInPrometheus3() {
        MemStorage s = storage(M, Labels.of("__name__", "up"), new double[] {1});
        assertThat(vector(engine.instantQuery(s, "up", 5 * M - 1))).hasSize(1);
        assertThat(vector(engine.instantQuery(s, "up", 5 * M))).isEmpty();
    }

    @Test
    void staleMarkerEndsTheSeries() {
        MemStorage s = storage(M, Labels.of("__name__", "up"), new double[] {1, Values.STALE_NAN});
        assertThat(vector(engine.instantQuery(s, "up", 30 * S))).hasSize(1);
        assertThat(vector(engine.instantQuery(s, "up", 90 * S))).isEmpty();
    }

    @Test
    void rateOfSteadyCounterIsItsSlopeAndKeepsLabelsButDropsName() {
        // +10 every 15s: 10/15 per second, whatever the extrapolation.
        MemStorage s = storage(15 * S, Labels.of("__name__", "req_total", "job", "a"), ramp(100, 10));
        List<Value.Sample> v = vector(engine.instantQuery(s, "rate(req_total[5m])", 20 * M));
        assertThat(v).singleElement().satisfies(x -> {
            assertThat(x.labels()).isEqualTo(Labels.of("job", "a"));
            assertThat(x.v()).isCloseTo(10.0 / 15, within(1e-9));
        });
    }

    @Test
    void rateOnNonCounterNameAddsPrometheusInfoWithPosition() {
        MemStorage s = storage(15 * S, Labels.of("__name__", "temperature"), ramp(40, 1));
        QueryResult r = engine.instantQuery(s, "rate(temperature[5m])", 9 * M);
        assertThat(r.infos()).containsExactly(
                "PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \"temperature\" (1:6)");
    }

    @Test
    void rangeQueryReturnsSeriesSortedByLabelsWithOnePointPerStep() {
        MemStorage s = storage(M, Labels.of("__name__", "m", "i", "b"), ramp(11, 1), Labels.of("__name__", "m", "i", "a"), ramp(11, 2));
        Value.Matrix m = (Value.Matrix) engine.rangeQuery(s, "m * 10", 0, 10 * M, 5 * M).value();
        assertThat(m.series()).extracting(Value.SeriesResult::labels).containsExactly(Labels.of("i", "a"), Labels.of("i", "b"));
        assertThat(m.series().get(0).ts()).containsExactly(0, 5 * M, 10 * M);
        assertThat(m.series().get(0).vs()).containsExactly(0, 100, 200);
    }

    @Test
    void sumUsesKahanSummationSoSmallAddendsSurvive() {
        MemStorage s = storage(M, Labels.of("__name__", "x", "i", "1"), new double[] {1e16},
                Labels.of("__name__", "x", "i", "2"), new double[] {1}, Labels.of("__name__", "x", "i", "3"), new double[] {-1e16});
        assertThat(vector(engine.instantQuery(s, "sum(x)", 0))).singleElement().satisfies(x -> assertThat(x.v()).isEqualTo(1));
    }

    @Test
    void topkKeepsDescendingOrderInInstantQueries() {
        MemStorage s = storage(M, Labels.of("__name__", "x", "i", "1"), new double[] {3},
                Labels.of("__name__", "x", "i", "2"), new double[] {7}, Labels.of("__name__", "x", "i", "3"), new double[] {5});
        assertThat(vector(engine.instantQuery(s, "topk(2, x)", 0))).extracting(Value.Sample::v).containsExactly(7.0, 5.0);
    }

    /**
     * A range query is the instant query evaluated at every step (Prometheus's definition), also
     * for the k-aggregations that select whole series per step; ties and NaNs included.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "topk(3, m)", "bottomk(2, m)", "topk by (g) (2, m)", "bottomk without (i) (1, m)",
        "limitk(2, m)", "limit_ratio(0.5, m)", "limit_ratio(-0.3, m)", "topk(scalar(k), m)",
    })
    void kAggregationRangeQueryMatchesInstantQueryAtEveryStep(String query) {
        long seed = 20261122L;
        System.out.println("kAggregation seed=" + seed);
        java.util.Random rnd = new java.util.Random(seed);
        int steps = 40;
        MemStorage s = new MemStorage();
        Appender app = s.appender();
        for (int i = 0; i < 30; i++) {
            Labels l = Labels.of("__name__", "m", "i", Integer.toString(i), "g", Integer.toString(i % 4));
            for (int t = 0; t < steps; t++) {
                int r = rnd.nextInt(12);
                if (r == 0) continue; // a gap: the lookback window may still hold an older sample
                app.append(0, l, t * M, r == 1 ? Double.NaN : rnd.nextInt(5)); // few values: many ties
            }
        }
        for (int t = 0; t < steps; t++) app.append(0, Labels.of("__name__", "k"), t * M, t % 7);
        app.commit();
        Engine engine = new Engine(EngineOptions.defaults().withExperimentalFunctions(true)); // limitk, limit_ratio
        Value.Matrix range = (Value.Matrix) engine.rangeQuery(s, query, 0, (steps - 1) * M, M).value();
        for (int t = 0; t < steps; t++) {
            long at = t * M;
            java.util.Map<Labels, Double> expected = new java.util.HashMap<>();
            for (Value.Sample x : vector(engine.instantQuery(s, query, at))) expected.put(x.labels(), x.v());
            java.util.Map<Labels, Double> actual = new java.util.HashMap<>();
            for (Value.SeriesResult r : range.series()) {
                for (int j = 0; j < r.ts().length; j++) if (r.ts()[j] == at) actual.put(r.labels(), r.vs()[j]);
            }
            assertThat(actual).as("step %d", t).isEqualTo(expected);
        }
    }

    @Test
    void histogramQuantileInterpolatesWithinClassicBucket() {
        // 100 observations: 50 <= 0.1, 90 <= 0.5, all <= +Inf. 0.9-quantile is the 0.5 bound; 0.7 is 0.3.
        MemStorage s = storage(M, Labels.of("__name__", "h_bucket", "le", "0.1"), new double[] {50},
                Labels.of("__name__", "h_bucket", "le", "0.5"), new double[] {90},
                Labels.of("__name__", "h_bucket", "le", "+Inf"), new double[] {100});
        assertThat(vector(engine.instantQuery(s, "histogram_quantile(0.7, h_bucket)", 0))).singleElement()
                .satisfies(x -> assertThat(x.v()).isCloseTo(0.3, within(1e-12)));
    }

    @Test
    void oneToOneMatchingWithDuplicateRightSideFailsWithPrometheusMessage() {
        MemStorage s = storage(M, Labels.of("__name__", "a", "job", "x"), new double[] {1},
                Labels.of("__name__", "b", "job", "x", "i", "1"), new double[] {1}, Labels.of("__name__", "b", "job", "x", "i", "2"), new double[] {1});
        assertThatThrownBy(() -> engine.instantQuery(s, "a + on(job) b", 0))
                .isInstanceOfSatisfying(PromQLException.class, e -> assertThat(e.type()).isEqualTo(PromQLException.ErrorType.EXECUTION))
                .hasMessage("found duplicate series for the match group {job=\"x\"} on the right hand-side of the operation: "
                        + "[{__name__=\"b\", i=\"1\", job=\"x\"}, {__name__=\"b\", i=\"2\", job=\"x\"}]"
                        + ";many-to-many matching not allowed: matching labels must be unique on one side");
    }

    @Test
    void droppingNamesIntoTheSameLabelsetFails() {
        MemStorage s = storage(M, Labels.of("__name__", "a", "job", "x"), new double[] {1}, Labels.of("__name__", "b", "job", "x"), new double[] {2});
        assertThatThrownBy(() -> engine.instantQuery(s, "abs({job=\"x\"})", 0)).hasMessage("vector cannot contain metrics with the same labelset");
    }

    @Test
    void tooManySamplesFailsWithPrometheusMessage() {
        Engine small = new Engine(EngineOptions.defaults().withMaxSamples(5));
        MemStorage s = storage(M, Labels.of("__name__", "x"), ramp(20, 1));
        assertThatThrownBy(() -> small.instantQuery(s, "count_over_time(x[10m])", 10 * M))
                .hasMessage("query processing would load too many samples into memory in query execution");
        assertThat(vector(small.instantQuery(s, "x", 10 * M))).hasSize(1);
    }

    @Test
    void cancelledQueryFailsAsCanceled() {
        MemStorage s = storage(M, Labels.of("__name__", "x"), ramp(5, 1));
        CancellationToken token = new CancellationToken();
        token.cancel();
        assertThatThrownBy(() -> engine.instantQuery(s, engine.parse("x"), "x", 0, token))
                .isInstanceOfSatisfying(PromQLException.class, e -> assertThat(e.type()).isEqualTo(PromQLException.ErrorType.CANCELED));
    }

    @Test
    void slowStorageTimesOut() {
        MemStorage s = storage(M, Labels.of("__name__", "x", "i", "1"), ramp(5, 1), Labels.of("__name__", "x", "i", "2"), ramp(5, 1));
        Queryable slow = (mint, maxt) -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return s.querier(mint, maxt);
        };
        Engine quick = new Engine(EngineOptions.defaults().withTimeoutMs(10));
        assertThatThrownBy(() -> quick.instantQuery(slow, "x", 0))
                .isInstanceOfSatisfying(PromQLException.class, e -> assertThat(e.type()).isEqualTo(PromQLException.ErrorType.TIMEOUT));
        // a per-query timeout tighter than the engine's applies too
        assertThatThrownBy(() -> engine.instantQuery(slow, engine.parse("x"), "x", 0, CancellationToken.withTimeout(10)))
                .isInstanceOfSatisfying(PromQLException.class, e -> assertThat(e.type()).isEqualTo(PromQLException.ErrorType.TIMEOUT))
                .hasMessageStartingWith("query timed out in ");
    }

    @Test
    void syntaxErrorIsBadData() {
        assertThatThrownBy(() -> engine.instantQuery(new MemStorage(), "sum(", 0))
                .isInstanceOfSatisfying(PromQLException.class, e -> assertThat(e.type()).isEqualTo(PromQLException.ErrorType.BAD_DATA));
    }

    @Test
    void subqueryStepsAreAlignedToMultiplesOfTheStep() {
        // x = t/1s at every second; x[1m:20s] evaluated at 70s holds the points at 20s, 40s, 60s.
        MemStorage s = storage(S, Labels.of("__name__", "x"), ramp(100, 1));
        assertThat(vector(engine.instantQuery(s, "sum_over_time(x[1m:20s])", 70 * S))).singleElement()
                .satisfies(x -> assertThat(x.v()).isEqualTo(20 + 40 + 60));
    }

    @Test
    void atModifierPinsEvaluationTimeForEveryStep() {
        MemStorage s = storage(M, Labels.of("__name__", "x"), ramp(11, 1));
        Value.Matrix m = (Value.Matrix) engine.rangeQuery(s, "x @ 120", 0, 10 * M, 5 * M).value();
        assertThat(m.series()).singleElement().satisfies(r -> assertThat(r.vs()).containsExactly(2, 2, 2));
    }

    @Test
    void absentReturnsLabelsOfEqualityMatchers() {
        List<Value.Sample> v = vector(engine.instantQuery(new MemStorage(), "absent(nope{job=\"a\", i=~\"x.*\"})", 0));
        assertThat(v).singleElement().satisfies(x -> {
            assertThat(x.labels()).isEqualTo(Labels.of("job", "a"));
            assertThat(x.v()).isEqualTo(1);
        });
    }

    @Test
    void matrixResultOfInstantQueryHoldsRawSamplesOfTheLeftOpenWindow() {
        MemStorage s = storage(M, Labels.of("__name__", "x"), ramp(11, 1));
        Value.Matrix m = (Value.Matrix) engine.instantQuery(s, "x[3m]", 10 * M).value();
        assertThat(m.series()).singleElement().satisfies(r -> assertThat(r.ts()).containsExactly(8 * M, 9 * M, 10 * M));
    }

    @Test
    void rangeQueryRejectsNonPositiveStep() {
        assertThatThrownBy(() -> engine.rangeQuery(new MemStorage(), "1", 0, 10, 0))
                .isInstanceOfSatisfying(PromQLException.class, e -> assertThat(e.type()).isEqualTo(PromQLException.ErrorType.BAD_DATA));
    }
    @ParameterizedTest(name = "label_replace template {0} gives {1}")
    @CsvSource({
        "'${1}x', 'ax'",
        "'$1x', ''",      // Go reads the group name greedily: $1x is the (missing) group "1x"
        "'$$1', '$1'",
        "'pre-$1', 'pre-a'",
    })
    void labelReplaceExpandsTemplatesAsGo(String template, String expected) {
        MemStorage s = storage(M, Labels.of("__name__", "up", "job", "a"), new double[] {1});
        List<Value.Sample> v = vector(engine.instantQuery(s, "label_replace(up, \"dst\", \"" + template + "\", \"job\", \"(.*)\")", 0));
        assertThat(v).singleElement().satisfies(x -> assertThat(x.labels().get("dst")).isEqualTo(expected));
    }

    @Test
    void countValuesFormatsValuesWithoutExponent() {
        MemStorage s = storage(M, Labels.of("__name__", "x", "i", "1"), new double[] {1e6},
                Labels.of("__name__", "x", "i", "2"), new double[] {0.1}, Labels.of("__name__", "x", "i", "3"), new double[] {1e6});
        List<Value.Sample> v = vector(engine.instantQuery(s, "count_values(\"v\", x)", 0));
        assertThat(v).extracting(x -> x.labels().get("v") + "=" + x.v()).containsExactlyInAnyOrder("1000000=2.0", "0.1=1.0");
    }

    @Test
    void delayedNameRemovalKeepsTheNameUntilTheResultIsBuilt() {
        MemStorage s = storage(15 * S, Labels.of("__name__", "req_total", "job", "a"), ramp(40, 1));
        String q = "label_replace(rate(req_total[5m]), \"was\", \"$1\", \"__name__\", \"(.*)\")";
        Engine delayed = new Engine(EngineOptions.defaults().withDelayedNameRemoval(true));
        assertThat(vector(delayed.instantQuery(s, q, 9 * M))).singleElement()
                .satisfies(x -> assertThat(x.labels()).isEqualTo(Labels.of("job", "a", "was", "req_total")));
        assertThat(vector(engine.instantQuery(s, q, 9 * M))).singleElement()
                .satisfies(x -> assertThat(x.labels()).isEqualTo(Labels.of("job", "a")));
    }

    @Test
    void histogramQuantileReportsForcedMonotonicity() {
        MemStorage s = storage(M, Labels.of("__name__", "h_bucket", "le", "1"), new double[] {10},
                Labels.of("__name__", "h_bucket", "le", "2"), new double[] {8},
                Labels.of("__name__", "h_bucket", "le", "+Inf"), new double[] {10});
        QueryResult r = engine.instantQuery(s, "histogram_quantile(0.5, h_bucket)", 0);
        assertThat(vector(r)).singleElement().satisfies(x -> assertThat(x.v()).isCloseTo(0.5, within(1e-12)));
        assertThat(r.infos()).singleElement().asString()
                .startsWith("PromQL info: input to histogram_quantile needed to be fixed for monotonicity");
    }

    @Test
    void limitRatioOfRAndMinusOneMinusRAreComplements() {
        Object[] data = new Object[40];
        for (int i = 0; i < 20; i++) {
            data[2 * i] = Labels.of("__name__", "x", "i", Integer.toString(i));
            data[2 * i + 1] = new double[] {i};
        }
        MemStorage s = storage(M, data);
        Engine exp = new Engine(EngineOptions.defaults().withExperimentalFunctions(true));
        assertThat(vector(exp.instantQuery(s, "count(limit_ratio(0.3, x) or limit_ratio(-0.7, x))", 0)))
                .singleElement().satisfies(x -> assertThat(x.v()).isEqualTo(20));
        assertThat(vector(exp.instantQuery(s, "limit_ratio(0.3, x) and limit_ratio(-0.7, x)", 0))).isEmpty();
    }

    @Test
    void sortByLabelUsesNaturalOrder() {
        MemStorage s = storage(M, Labels.of("__name__", "x", "i", "a10"), new double[] {1},
                Labels.of("__name__", "x", "i", "a2"), new double[] {1}, Labels.of("__name__", "x", "i", "a1"), new double[] {1});
        Engine exp = new Engine(EngineOptions.defaults().withExperimentalFunctions(true));
        assertThat(vector(exp.instantQuery(s, "sort_by_label(x, \"i\")", 0))).extracting(x -> x.labels().get("i"))
                .containsExactly("a1", "a2", "a10");
    }

    @Test
    void rangeQueryOfStepInvariantSubtreeEvaluatesItOnce() {
        // Each step sees the same value; the storage is queried for one instant only.
        MemStorage s = storage(M, Labels.of("__name__", "x"), ramp(11, 1));
        long[] selects = {0};
        Queryable counting = (mint, maxt) -> {
            selects[0]++;
            assertThat(maxt - mint).isLessThan(6 * M);
            return s.querier(mint, maxt);
        };
        Value.Matrix m = (Value.Matrix) engine.rangeQuery(counting, "sum(x @ 300)", 0, 10 * M, M).value();
        assertThat(m.series()).singleElement().satisfies(r -> assertThat(r.vs()).containsOnly(5));
        assertThat(selects[0]).isEqualTo(1);
    }
    @Test
    void rangeQueryOverElevenThousandStepsIsRejectedLikeTheApi() {
        assertThatThrownBy(() -> engine.rangeQuery(new MemStorage(), "1", 0, 11_000 * S, S))
                .isInstanceOfSatisfying(PromQLException.class, e -> assertThat(e.type()).isEqualTo(PromQLException.ErrorType.BAD_DATA))
                .hasMessageStartingWith("exceeded maximum resolution of 11,000 points per timeseries");
        assertThat(engine.rangeQuery(new MemStorage(), "1", 0, 10_999 * S, S).value()).isInstanceOf(Value.Matrix.class);
    }

    @Test
    void hugeSubqueryFailsAsTooManySamplesInsteadOfExhaustingMemory() {
        Engine small = new Engine(EngineOptions.defaults().withMaxSamples(1000));
        assertThatThrownBy(() -> small.instantQuery(new MemStorage(), "max_over_time(vector(1)[1y:1s])", 0))
                .hasMessage("query processing would load too many samples into memory in query execution");
    }
}
