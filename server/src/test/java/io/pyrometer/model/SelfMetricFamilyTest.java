package io.pyrometer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyrometer.model.textparse.MetricType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SelfMetricFamilyTest {
    @Test
    void aCounterNamedLikePrometheusIsAcceptedAndItsOpenMetricsFamilyDropsTotal() {
        SelfMetricFamily f = SelfMetricFamily.counter("prometheus_tsdb_head_series_created_total", "Total number of series created in the head", () -> 1);
        assertThat(f.openMetricsName()).isEqualTo("prometheus_tsdb_head_series_created");
        assertThat(SelfMetricFamily.gauge("g", "h", () -> 1).openMetricsName()).isEqualTo("g");
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @CsvSource({
            "COUNTER,   series_created,     must end in _total",
            "GAUGE,     1bad,               invalid metric name",
            "HISTOGRAM, h_total,            only counters and gauges",
    })
    void invalidFamiliesAreRefusedWithTheReason(MetricType type, String name, String why) {
        assertThatThrownBy(() -> new SelfMetricFamily(name, "help", type, () -> 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(why).hasMessageContaining(name);
    }
}
