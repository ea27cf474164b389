package io.pyrometer.alerting.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyrometer.model.Labels;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Alertmanager's matcher syntax (cases after upstream pkg/labels/parse_test.go, written by hand). */
class MatchersTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "foo=bar|foo|=|bar",
            "foo = \"bar\"|foo|=|bar",
            "foo!=bar|foo|!=|bar",
            "foo=~\"b.*\"|foo|=~|b.*",
            "foo!~b.*|foo|!~|b.*",
            "foo=\"\"|foo||''",
            "msg=\"a \\\"quoted\\\" word\"|msg|=|a \"quoted\" word",
            "x=\"line\\nbreak\"|x|=|'line\nbreak'",
            "x=back\\slash|x|=|back\\slash",
            "\"service name\"=api|service name|=|api",
    })
    void parsesOneMatcher(String in, String name, String op, String value) {
        Matcher m = Matchers.parse(in);
        assertThat(m.name()).isEqualTo(name);
        assertThat(m.type().op()).isEqualTo(op == null ? "=" : op);
        assertThat(m.value()).isEqualTo(value == null ? "" : value);
    }

    @Test
    void listsSplitOnCommasOutsideQuotesWithOptionalBraces() {
        List<Matcher> ms = Matchers.parseList("{foo=\"a,b\", bar!~\"x|y\", }");
        assertThat(ms).extracting(Matcher::toString).containsExactly("foo=\"a,b\"", "bar!~\"x|y\"");
    }

    @Test
    void badInputIsRejectedWithAlertmanagersWords() {
        assertThatThrownBy(() -> Matchers.parse("foo")).hasMessage("bad matcher format: foo");
        assertThatThrownBy(() -> Matchers.parse("foo=\"a\"b\"")).hasMessageStartingWith("matcher value contains unescaped double quote");
        assertThatThrownBy(() -> Matchers.parse("foo=\"open")).hasMessageStartingWith("matcher value contains unescaped double quote");
        assertThatThrownBy(() -> Matchers.parse("1foo=x")).hasMessageStartingWith("bad matcher format");
        assertThatThrownBy(() -> Matchers.parse("foo=~(")).hasMessageStartingWith("error parsing regexp");
    }

    @Test
    void regexesAreAnchoredAndAbsentLabelsAreEmpty() {
        Labels l = Labels.of("job", "api-server");
        assertThat(Matchers.parse("job=~api").matches(l)).isFalse();
        assertThat(Matchers.parse("job=~api.*").matches(l)).isTrue();
        assertThat(Matchers.parse("job!~api.*").matches(l)).isFalse();
        assertThat(Matchers.parse("env=\"\"").matches(l)).isTrue();
        assertThat(Matchers.parse("env!=prod").matches(l)).isTrue();
        assertThat(Matchers.parse("env=~.+").matches(l)).isFalse();
    }
}
