package io.pyrometer.model.relabel;

import static io.pyrometer.model.relabel.RelabelConfig.Action.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyrometer.model.relabel.RelabelConfig.Action;
import io.pyrometer.model.relabel.RelabelConfig.NameValidation;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Prometheus's TestRelabelValidate and TestTargetLabelLegacyValidity cases. */
class RelabelConfigTest {

    private static RelabelConfig of(Action a, String target, String replacement, NameValidation scheme) {
        return RelabelConfig.of(List.of("a"), null, "some-([^-]+)-([^,]+)", null, target, replacement, a, scheme);
    }

    @Test
    void replaceAndLowercaseNeedATargetLabel() {
        assertThatThrownBy(() -> RelabelConfig.of(null, null, null, null, null, null, REPLACE))
                .hasMessage("relabel configuration for replace action requires 'target_label' value");
        assertThatThrownBy(() -> RelabelConfig.of(null, null, null, null, null, null, LOWERCASE))
                .hasMessage("relabel configuration for lowercase action requires 'target_label' value");
        assertThatThrownBy(() -> RelabelConfig.of(List.of("a"), null, null, null, "t", null, HASHMOD))
                .hasMessage("relabel configuration for hashmod requires non-zero modulus");
    }

    @Test
    void utf8SchemeAcceptsWhatLegacyRejects() {
        // With UTF-8 names (Prometheus 3's default) these are legal rules
        assertThatCode(() -> of(LOWERCASE, "${3}", null, NameValidation.UTF8)).doesNotThrowAnyException();
        assertThatCode(() -> of(REPLACE, "${3}", "${1}", NameValidation.UTF8)).doesNotThrowAnyException();
        assertThatCode(() -> of(REPLACE, "0${3}", "${1}", NameValidation.UTF8)).doesNotThrowAnyException();
        assertThatCode(() -> of(REPLACE, "-${3}", "${1}", NameValidation.UTF8)).doesNotThrowAnyException();
        assertThatCode(() -> RelabelConfig.of(List.of("a"), null, null, null, "utf-8.label", null, REPLACE))
                .doesNotThrowAnyException();

        assertThatThrownBy(() -> of(LOWERCASE, "${3}", null, NameValidation.LEGACY))
                .hasMessage("\"${3}\" is invalid 'target_label' for lowercase action");
        assertThatThrownBy(() -> of(REPLACE, "0${3}", "${1}", NameValidation.LEGACY))
                .hasMessage("\"0${3}\" is invalid 'target_label' for replace action");
        assertThatThrownBy(() -> of(REPLACE, "-${3}", "${1}", NameValidation.LEGACY))
                .hasMessage("\"-${3}\" is invalid 'target_label' for replace action");
        assertThatCode(() -> of(REPLACE, "${3}", "${1}", NameValidation.LEGACY)).doesNotThrowAnyException();
    }

    @Test
    void labelmapReplacementsWithReferencesAreValidUnderLegacy() {
        assertThatCode(() -> RelabelConfig.of(null, null, "__meta_kubernetes_pod_label_(strimzi_io_.+)", null, null, "$1",
                LABELMAP, NameValidation.LEGACY)).doesNotThrowAnyException();
        assertThatCode(() -> RelabelConfig.of(null, null, "__meta_(.+)", null, null, "${1}",
                LABELMAP, NameValidation.LEGACY)).doesNotThrowAnyException();
        assertThatThrownBy(() -> RelabelConfig.of(null, null, "(.+)", null, null, "a-$1", LABELMAP, NameValidation.LEGACY))
                .hasMessage("\"a-$1\" is invalid 'replacement' for labelmap action");
    }

    @ParameterizedTest(name = "{0} valid={1}")
    @CsvSource(delimiter = '|', value = {
            "-label|false", "label|true", "label${1}|true", "${1}label|true", "${1}|true", "${|false", "$|false",
            "${}|false", "foo${|false", "$1|true", "asd$2asd|true", "-foo${1}bar-|false", "bar.foo${1}bar|false",
            "_${1}_|true", "foo${bar}foo|true"})
    void legacyTargetTemplates(String target, boolean valid) {
        assertThat(RelabelConfig.isValidTargetTemplate(target, true)).isEqualTo(valid);
    }

    @Test
    void equalActionsTakeOnlySourceAndTarget() {
        assertThatThrownBy(() -> RelabelConfig.of(List.of("a"), null, null, null, "b", "x", KEEPEQUAL))
                .hasMessage("'replacement' can not be set for keepequal action");
        assertThatThrownBy(() -> RelabelConfig.of(List.of("a"), "/", null, null, "b", null, DROPEQUAL))
                .hasMessage("dropequal action requires only 'source_labels' and `target_label`, and no other fields");
        assertThatThrownBy(() -> RelabelConfig.of(List.of("a"), null, "x.*", null, "b", null, KEEPEQUAL))
                .hasMessage("keepequal action requires only 'source_labels' and `target_label`, and no other fields");
    }

    @Test
    void labeldropTakesOnlyARegex() {
        assertThatThrownBy(() -> RelabelConfig.of(List.of("a"), null, "x", null, null, null, LABELDROP))
                .hasMessage("labeldrop action requires only 'regex', and no other fields");
        assertThatThrownBy(() -> RelabelConfig.of(null, null, "x", null, "t", null, LABELKEEP))
                .hasMessage("labelkeep action requires only 'regex', and no other fields");
    }

    @Test
    void badRegexNamesTheRegex() {
        assertThatThrownBy(() -> RelabelConfig.of(List.of("a"), null, "(", null, "t", null, REPLACE))
                .hasMessageContaining("invalid regular expression [regex=(");
    }
}
