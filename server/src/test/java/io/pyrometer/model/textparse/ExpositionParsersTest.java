package io.pyrometer.model.textparse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpositionParsersTest {
    private static final byte[] BODY = "a 1\n# EOF\n".getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "application/openmetrics-text; version=1.0.0; charset=utf-8 | OpenMetricsParser",
        "Application/OpenMetrics-Text                               | OpenMetricsParser",
        "text/plain; version=0.0.4; charset=utf-8                   | PromTextParser",
        "text/plain;version=1.0.0;escaping=allow-utf-8              | PromTextParser",
        "''                                                         | PromTextParser",
        "null                                                       | PromTextParser",
        "application/json                                           | PromTextParser",
        "not a media type                                           | PromTextParser",
    })
    void picksTheParserByMediaTypeFallingBackToTheTextFormat(String contentType, String parser) {
        assertThat(ExpositionParsers.forContentType(contentType, BODY, BODY.length).getClass().getSimpleName()).isEqualTo(parser);
    }

    @Test
    void withoutFallbackAnUnusableContentTypeFailsTheScrapeInPrometheusWords() {
        assertThatThrownBy(() -> ExpositionParsers.forContentType("", BODY, BODY.length, null))
                .hasMessageContaining("non-compliant scrape target sending blank Content-Type and no fallback_scrape_protocol specified for target");
        assertThatThrownBy(() -> ExpositionParsers.forContentType("application/json", BODY, BODY.length, null))
                .hasMessageContaining("received unsupported Content-Type \"application/json\" and no fallback_scrape_protocol specified for target");
        assertThatThrownBy(() -> ExpositionParsers.forContentType("garbage", BODY, BODY.length, null))
                .hasMessageContaining("cannot parse Content-Type \"garbage\" and no fallback_scrape_protocol for target");
    }

    @Test
    void fallbackProtocolDecidesWhenTheContentTypeCannot() throws Exception {
        assertThat(ExpositionParsers.forContentType("", BODY, BODY.length, ScrapeProtocol.OPENMETRICS_TEXT_1_0_0))
                .isInstanceOf(OpenMetricsParser.class);
        assertThat(ExpositionParsers.forContentType("application/json", BODY, BODY.length, ScrapeProtocol.PROMETHEUS_TEXT_0_0_4))
                .isInstanceOf(PromTextParser.class);
        assertThat(ExpositionParsers.forContentType("application/openmetrics-text", BODY, BODY.length, ScrapeProtocol.PROMETHEUS_TEXT_0_0_4))
                .isInstanceOf(OpenMetricsParser.class);
    }

    @Test
    void acceptHeaderIsPrometheus3Default() {
        assertThat(ExpositionParsers.acceptHeader()).isEqualTo(
                "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
                        + "application/openmetrics-text;version=0.0.1;q=0.5,"
                        + "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,"
                        + "text/plain;version=0.0.4;q=0.3,*/*;q=0.2");
    }

    @Test
    void acceptHeaderFollowsConfiguredProtocolOrder() {
        assertThat(ExpositionParsers.acceptHeader(
                List.of(ScrapeProtocol.PROMETHEUS_TEXT_0_0_4, ScrapeProtocol.OPENMETRICS_TEXT_1_0_0), "underscores"))
                .isEqualTo("text/plain;version=0.0.4;q=0.6,application/openmetrics-text;version=1.0.0;escaping=underscores;q=0.5,*/*;q=0.4");
        assertThat(ScrapeProtocol.fromConfigName("OpenMetricsText1.0.0")).isEqualTo(ScrapeProtocol.OPENMETRICS_TEXT_1_0_0);
    }
}
