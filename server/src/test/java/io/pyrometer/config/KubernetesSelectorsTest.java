package io.pyrometer.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Selector syntax as k8s.io/apimachinery's labels.Parse and fields.ParseSelector accept it. */
class KubernetesSelectorsTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "app", "!app", "app=web", "app==web", "app!=web", "app=", "app.kubernetes.io/name=x",
            "env in (prod, staging)", "env notin (a,b),tier", "a=b, c!=d", "replicas>3", "replicas < 10",
            "k=v-1.2_3"})
    void validLabelSelectors(String s) {
        assertThat(KubernetesSelectors.checkLabel(s)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"=x", "app in x", "app in (a", "app=web,", "!app=x", "app=-bad", "bad key=x", "app ~ x",
            "Upper/app=x", "replicas>x", ",", "a=b c", "x in ()"})
    void invalidLabelSelectors(String s) {
        assertThat(KubernetesSelectors.checkLabel(s)).startsWith("unable to parse label selector");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "metadata.name=x", "spec.nodeName==n1,status.phase!=Running", "a=b,", "metadata.name=a\\,b", "x="})
    void validFieldSelectors(String s) {
        assertThat(KubernetesSelectors.checkField(s)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"metadata.name", "a=b,c", "a=b\\x"})
    void invalidFieldSelectors(String s) {
        assertThat(KubernetesSelectors.checkField(s)).isNotNull();
    }
}
