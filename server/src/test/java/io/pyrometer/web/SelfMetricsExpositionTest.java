package io.pyrometer.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrometer.model.SelfMetricFamily;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exact lines written for each format, HELP escaping as each format defines it. */
class SelfMetricsExpositionTest {
    static final List<SelfMetricFamily> FAMILIES = List.of(
            SelfMetricFamily.counter("a_created_total", "Says \"hi\" \\ twice\nreally", () -> 3),
            SelfMetricFamily.gauge("b", "B.", () -> Double.POSITIVE_INFINITY));

    static String write(SelfMetricsExposition.Format f, String registry) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SelfMetricsExposition.write(out, f, registry.getBytes(StandardCharsets.UTF_8), FAMILIES);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void textAppendsHelpTypeAndSample() throws Exception {
        assertThat(write(SelfMetricsExposition.Format.TEXT, "x 1\n")).isEqualTo("""
                x 1
                # HELP a_created_total Says "hi" \\\\ twice\\nreally
                # TYPE a_created_total counter
                a_created_total 3.0
                # HELP b B.
                # TYPE b gauge
                b +Inf
                """);
    }

    @Test
    void openMetricsInsertsBeforeEofWithTheFamilyNameWithoutTotal() throws Exception {
        assertThat(write(SelfMetricsExposition.Format.OPENMETRICS, "x 1\n# EOF\n")).isEqualTo("""
                x 1
                # TYPE a_created counter
                # HELP a_created Says \\"hi\\" \\\\ twice\\nreally
                a_created_total 3.0
                # TYPE b gauge
                # HELP b B.
                b +Inf
                # EOF
                """);
    }

    @Test
    void contentTypesPickTheFormat() {
        assertThat(SelfMetricsExposition.Format.of("application/openmetrics-text; version=1.0.0; charset=utf-8"))
                .isEqualTo(SelfMetricsExposition.Format.OPENMETRICS);
        assertThat(SelfMetricsExposition.Format.of("text/plain; version=0.0.4; charset=utf-8")).isEqualTo(SelfMetricsExposition.Format.TEXT);
        assertThat(SelfMetricsExposition.Format.of("application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"))
                .isEqualTo(SelfMetricsExposition.Format.PROTOBUF);
    }
}
