package io.pyrometer.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrometer.model.Labels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The v2 body byte for byte as Prometheus's {@code json.Marshal(models.PostableAlerts)} writes it;
 * expected strings are written by hand from Go's rules (field order of the generated marshaller,
 * omitempty, strfmt.DateTime's millisecond RFC 3339, encoding/json's HTML-safe escaping).
 */
class AlertsJsonTest {
    private static String encode(Alert... alerts) {
        return new String(new AlertsJson().encode(List.of(alerts)), StandardCharsets.UTF_8);
    }

    @Test
    void fieldsInGoOrderWithOmittedEmptiesAndZeroTime() {
        Alert firing = new Alert(Labels.of("severity", "page", "alertname", "HighLatency"),
                Labels.of("summary", "p99 > 1s & rising", "description", "<b>"), 1_700_000_000_123L, 0,
                "http://prom:9090/graph?g0.expr=up&g0.tab=1");
        Alert resolved = new Alert(Labels.of("alertname", "x"), Labels.EMPTY, 1_700_000_000_123L, 1_700_000_300_000L, "");
        assertThat(encode(firing, resolved)).isEqualTo("["
                + "{\"annotations\":{\"description\":\"\\u003cb\\u003e\",\"summary\":\"p99 \\u003e 1s \\u0026 rising\"},"
                + "\"endsAt\":\"0001-01-01T00:00:00.000Z\",\"startsAt\":\"2023-11-14T22:13:20.123Z\","
                + "\"generatorURL\":\"http://prom:9090/graph?g0.expr=up\\u0026g0.tab=1\","
                + "\"labels\":{\"alertname\":\"HighLatency\",\"severity\":\"page\"}},"
                + "{\"endsAt\":\"2023-11-14T22:18:20.000Z\",\"startsAt\":\"2023-11-14T22:13:20.123Z\",\"labels\":{\"alertname\":\"x\"}}"
                + "]");
    }

    @Test
    void emptyBatchAndEmptyLabels() {
        assertThat(encode()).isEqualTo("[]");
        assertThat(encode(new Alert(Labels.EMPTY, Labels.EMPTY, 0, 0, null)))
                .isEqualTo("[{\"endsAt\":\"0001-01-01T00:00:00.000Z\",\"startsAt\":\"0001-01-01T00:00:00.000Z\",\"labels\":{}}]");
    }

    @Test
    void stringsEscapedAsGoEncodingJson() {
        String v = "a\"b\\c\n\r\t\b\f\u0001\u001f\u007f é 😀 \u2028\u2029 lone\ud800 end";
        String json = encode(new Alert(Labels.of("alertname", v), Labels.EMPTY, 0, 0, ""));
        assertThat(json).contains("\"alertname\":\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001\\u001f\u007f é 😀 \\u2028\\u2029 lone\\ufffd end\"");
    }

    @Test
    void timesInUtcWithMilliseconds() {
        assertThat(encode(new Alert(Labels.EMPTY, Labels.EMPTY, 1_709_208_000_000L, -1, "")))
                .contains("\"endsAt\":\"1969-12-31T23:59:59.999Z\"").contains("\"startsAt\":\"2024-02-29T12:00:00.000Z\"");
        assertThat(encode(new Alert(Labels.EMPTY, Labels.EMPTY, 951_868_800_000L, 951_868_800_000L - 1, "")))
                .contains("\"startsAt\":\"2000-03-01T00:00:00.000Z\"").contains("\"endsAt\":\"2000-02-29T23:59:59.999Z\"");
    }

    @Test
    void encoderIsReusableAndGrows() {
        AlertsJson enc = new AlertsJson();
        String big = "x".repeat(40_000);
        byte[] first = enc.encode(List.of(new Alert(Labels.of("alertname", big), Labels.EMPTY, 0, 0, "")));
        assertThat(first.length).isGreaterThan(40_000);
        String small = new String(enc.encode(List.of(new Alert(Labels.of("alertname", "y"), Labels.EMPTY, 0, 0, ""))),
                StandardCharsets.UTF_8);
        assertThat(small).endsWith("\"labels\":{\"alertname\":\"y\"}}]");
    }
}
