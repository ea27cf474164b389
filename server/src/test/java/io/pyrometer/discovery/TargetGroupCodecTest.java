package io.pyrometer.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyrometer.model.Labels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetGroupCodecTest {
    private static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    @Test
    void readsTheDocumentedJsonFormat() throws Exception {
        List<TargetGroup> gs = TargetGroupCodec.parseJson(b("""
                [
                  {"targets": ["10.0.0.1:9100", "10.0.0.2:9100"], "labels": {"env": "prod", "job": "node"}},
                  {"targets": ["db:9187"], "extra": {"ignored": true}}
                ]"""));
        assertThat(gs).hasSize(2);
        assertThat(gs.get(0).targets()).containsExactly(Labels.of("__address__", "10.0.0.1:9100"), Labels.of("__address__", "10.0.0.2:9100"));
        assertThat(gs.get(0).labels()).isEqualTo(Labels.of("env", "prod", "job", "node"));
        assertThat(gs.get(1).labels()).isEqualTo(Labels.EMPTY);
    }

    @Test
    void readsYamlWithScalarValuesAsStrings() throws Exception {
        List<TargetGroup> gs = TargetGroupCodec.parseYaml(b("""
                - targets: ['a:1']
                  labels:
                    port: 80
                    tls: true
                """));
        assertThat(gs.getFirst().labels()).isEqualTo(Labels.of("port", "80", "tls", "true"));
        assertThat(TargetGroupCodec.parseYaml(b(""))).isEmpty();
    }

    @Test
    void yamlIsStrictAboutUnknownKeysAndNamesTheLine() {
        assertThatThrownBy(() -> TargetGroupCodec.parseYaml(b("- targets: ['a:1']\n  lables: {a: b}\n")))
                .isInstanceOf(TargetGroupCodec.FormatException.class)
                .hasMessageContaining("field lables not found in type targetgroup.Group")
                .satisfies(e -> assertThat(((TargetGroupCodec.FormatException) e).line()).isEqualTo(2));
    }

    @Test
    void rejectsNullGroupsLikePrometheus() {
        assertThatThrownBy(() -> TargetGroupCodec.parseJson(b("[null]"))).hasMessageContaining("nil target group item found");
        assertThatThrownBy(() -> TargetGroupCodec.parseYaml(b("- \n"))).hasMessageContaining("nil target group item found");
    }

    @Test
    void malformedJsonReportsLineAndColumn() {
        assertThatThrownBy(() -> TargetGroupCodec.parseJson(b("[\n {\"targets\": [\"a:1\",]}\n]")))
                .isInstanceOf(TargetGroupCodec.FormatException.class)
                .hasMessageContaining("line=2");
        assertThatThrownBy(() -> TargetGroupCodec.parseJson(b("")))
                .hasMessageContaining("unexpected end of JSON input");
        assertThatThrownBy(() -> TargetGroupCodec.parseJson(b("{\"targets\": []}")))
                .hasMessageContaining("expected a list of target groups");
        assertThatThrownBy(() -> TargetGroupCodec.parseJson(b("[{\"targets\": [1]}]")))
                .hasMessageContaining("target must be a string, got a number");
    }
}
