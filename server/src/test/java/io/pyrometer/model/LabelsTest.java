package io.pyrometer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LabelsTest {
    @Test
    void sortsByNameAndPrintsLikePrometheus() {
        Labels l = Labels.of("job", "node", "__name__", "up", "instance", "a:1");
        assertThat(l.toString()).isEqualTo("{__name__=\"up\", instance=\"a:1\", job=\"node\"}");
        assertThat(l.get("job")).isEqualTo("node");
        assertThat(l.get("missing")).isEmpty();
    }

    @Test
    void builderDropsEmptyValuesAndEqualityIgnoresInsertionOrder() {
        Labels a = Labels.builder().set("b", "2").set("a", "1").set("c", "").build();
        assertThat(a).isEqualTo(Labels.of("a", "1", "b", "2"));
        assertThat(a.hashCode()).isEqualTo(Labels.of("a", "1", "b", "2").hashCode());
        assertThat(a.stableHash()).isEqualTo(Labels.of("b", "2", "a", "1").stableHash());
        assertThat(a.stableHash()).isNotEqualTo(Labels.of("a", "12").stableHash());
    }

    @Test
    void rejectsDuplicateNames() {
        assertThatThrownBy(() -> Labels.of("a", "1", "a", "2")).hasMessageContaining("duplicate label name [name=a]");
    }

    @Test
    void comparesPairwiseWithPrefixFirst() {
        assertThat(Labels.of("a", "1").compareTo(Labels.of("a", "1", "b", "1"))).isNegative();
        assertThat(Labels.of("a", "2").compareTo(Labels.of("a", "1", "b", "1"))).isPositive();
    }

    @Test
    void ordersLikeGoByUtf8Bytes() {
        // U+FFFD is EF BF BD, U+1F600 is F0 9F 98 80: Go puts U+FFFD first; UTF-16 units (D83D < FFFD) would not
        Labels bmp = Labels.of("v", "\uFFFD");
        Labels astral = Labels.of("v", "\uD83D\uDE00");
        assertThat(bmp.compareTo(astral)).isNegative();
        assertThat(astral.compareTo(bmp)).isPositive();
        assertThat(Labels.of("v", "a").compareTo(Labels.of("v", "b"))).isNegative();
        assertThat(Labels.of("v", "ab").compareTo(Labels.of("v", "a"))).isPositive();
    }

    @Test
    void escapesValuesLikeGo() {
        assertThat(Labels.of("a", "x\"y\\z\n").toString()).isEqualTo("{a=\"x\\\"y\\\\z\\n\"}");
    }

    @Test
    void regexMatchersAreAnchoredAndDotMatchesNewline() {
        LabelMatcher m = LabelMatcher.of(LabelMatcher.Type.RE, "a", "fo.");
        assertThat(m.matches("foo")).isTrue();
        assertThat(m.matches("xfoo")).isFalse();
        assertThat(m.matches("fo\n")).isTrue();
        assertThatThrownBy(() -> LabelMatcher.of(LabelMatcher.Type.RE, "a", "(?<=x)y"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid regular expression");
    }
}
