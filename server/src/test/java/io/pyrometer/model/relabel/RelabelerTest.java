package io.pyrometer.model.relabel;

import static io.pyrometer.model.relabel.RelabelConfig.Action.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.pyrometer.model.Labels;
import io.pyrometer.model.relabel.RelabelConfig.Action;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The cases of Prometheus's model/relabel/relabel_test.go TestRelabel, with its expected outputs. */
class RelabelerTest {

    /** One table row: {@code out == null} means the label set must be dropped. */
    record Case(String name, Labels in, List<RelabelConfig> cfgs, Labels out) {
        @Override public String toString() { return name; }
    }

    static RelabelConfig rc(Action a, List<String> src, String regex, String target, String replacement) {
        return RelabelConfig.of(src, null, regex, null, target, replacement, a);
    }

    static RelabelConfig hashmod(List<String> src, String target, long modulus) {
        return RelabelConfig.of(src, ";", null, modulus, target, null, HASHMOD);
    }

    static Stream<Case> prometheusCases() {
        Labels abc = Labels.of("a", "foo", "b", "bar", "c", "baz");
        Labels ports = Labels.of("__tmp_port", "1234", "__port1", "1234", "__port2", "5678");
        Labels lines = Labels.of("a", "line1\nline2", "b", "bar", "c", "baz");
        return Stream.of(
                new Case("replace with ${1}", abc,
                        List.of(rc(REPLACE, List.of("a"), "f(.*)", "d", "ch${1}-ch${1}")),
                        Labels.of("a", "foo", "b", "bar", "c", "baz", "d", "choo-choo")),
                new Case("chained replaces over joined sources", abc,
                        List.of(rc(REPLACE, List.of("a", "b"), "f(.*);(.*)r", "a", "b${1}${2}m"),
                                rc(REPLACE, List.of("c", "a"), "(b).*b(.*)ba(.*)", "d", "$1$2$2$3")),
                        Labels.of("a", "boobam", "b", "bar", "c", "baz", "d", "boooom")),
                new Case("drop stops before later steps", Labels.of("a", "foo"),
                        List.of(rc(DROP, List.of("a"), ".*o.*", null, null),
                                rc(REPLACE, List.of("a"), "f(.*)", "d", "ch$1-ch$1")),
                        null),
                new Case("drop on match", Labels.of("a", "foo", "b", "bar"),
                        List.of(rc(DROP, List.of("a"), ".*o.*", null, null)), null),
                new Case("replace with inner group", Labels.of("a", "abc"),
                        List.of(rc(REPLACE, List.of("a"), ".*(b).*", "d", "$1")),
                        Labels.of("a", "abc", "d", "b")),
                new Case("drop without match keeps", Labels.of("a", "foo"),
                        List.of(rc(DROP, List.of("a"), "no-match", null, null)), Labels.of("a", "foo")),
                new Case("drop regex is anchored", Labels.of("a", "foo"),
                        List.of(rc(DROP, List.of("a"), "f|o", null, null)), Labels.of("a", "foo")),
                new Case("keep without match drops", Labels.of("a", "foo"),
                        List.of(rc(KEEP, List.of("a"), "no-match", null, null)), null),
                new Case("keep on match", Labels.of("a", "foo"),
                        List.of(rc(KEEP, List.of("a"), "f.*", null, null)), Labels.of("a", "foo")),
                new Case("no replacement without a match", Labels.of("a", "boo"),
                        List.of(rc(REPLACE, List.of("a"), "f", "b", "bar")), Labels.of("a", "boo")),
                new Case("blank replacement deletes the label", Labels.of("a", "foo", "f", "baz"),
                        List.of(rc(REPLACE, List.of("a"), "(f).*", "$1", "$2")), Labels.of("a", "foo")),
                new Case("hashmod", abc, List.of(hashmod(List.of("c"), "d", 1000)),
                        Labels.of("a", "foo", "b", "bar", "c", "baz", "d", "976")),
                new Case("hashmod with newline", Labels.of("a", "foo\nbar"), List.of(hashmod(List.of("a"), "b", 1000)),
                        Labels.of("a", "foo\nbar", "b", "734")),
                new Case("labelmap with prefix", Labels.of("a", "foo", "b1", "bar", "b2", "baz"),
                        List.of(rc(LABELMAP, null, "(b.*)", null, "bar_${1}")),
                        Labels.of("a", "foo", "b1", "bar", "b2", "baz", "bar_b1", "bar", "bar_b2", "baz")),
                new Case("labelmap of __meta_", Labels.of("a", "foo", "__meta_my_bar", "aaa", "__meta_my_baz", "bbb", "__meta_other", "ccc"),
                        List.of(rc(LABELMAP, null, "__meta_(my.*)", null, "${1}")),
                        Labels.of("a", "foo", "__meta_my_bar", "aaa", "__meta_my_baz", "bbb", "__meta_other", "ccc",
                                "my_bar", "aaa", "my_baz", "bbb")),
                new Case("templated target label", Labels.of("a", "some-name-value"),
                        List.of(rc(REPLACE, List.of("a"), "some-([^-]+)-([^,]+)", "${1}", "${2}")),
                        Labels.of("a", "some-name-value", "name", "value")),
                new Case("replacement referencing a missing group is empty", Labels.of("a", "some-name-value"),
                        List.of(rc(REPLACE, List.of("a"), "some-([^-]+)-([^,]+)", "${1}", "${3}")),
                        Labels.of("a", "some-name-value")),
                new Case("target expanding to empty is skipped", Labels.of("a", "some-name-0"),
                        List.of(rc(REPLACE, List.of("a"), "some-([^-]+)-([^,]+)", "${3}", "${1}"),
                                rc(REPLACE, List.of("a"), "some-([^-]+)-([^,]+)", "${3}", "${1}"),
                                rc(REPLACE, List.of("a"), "some-([^-]+)(-[^,]+)", "${3}", "${1}")),
                        Labels.of("a", "some-name-0")),
                new Case("real-life tag parsing", Labels.of("__meta_sd_tags", "path:/secret,job:some-job,label:foo=bar"),
                        List.of(rc(REPLACE, List.of("__meta_sd_tags"), "(?:.+,|^)path:(/[^,]+).*", "__metrics_path__", "${1}"),
                                rc(REPLACE, List.of("__meta_sd_tags"), "(?:.+,|^)job:([^,]+).*", "job", "${1}"),
                                rc(REPLACE, List.of("__meta_sd_tags"), "(?:.+,|^)label:([^=]+)=([^,]+).*", "${1}", "${2}")),
                        Labels.of("__meta_sd_tags", "path:/secret,job:some-job,label:foo=bar",
                                "__metrics_path__", "/secret", "job", "some-job", "foo", "bar")),
                new Case("issue 12283: labeldrop then replace then keep",
                        Labels.of("__meta_kubernetes_pod_container_port_name", "foo",
                                "__meta_kubernetes_pod_annotation_XXX_metrics_port", "9091"),
                        List.of(rc(LABELDROP, null, "^__meta_kubernetes_pod_container_port_name$", null, null),
                                rc(REPLACE, List.of("__meta_kubernetes_pod_annotation_XXX_metrics_port"), "(.+)",
                                        "__meta_kubernetes_pod_container_port_name", "metrics"),
                                rc(KEEP, List.of("__meta_kubernetes_pod_container_port_name"), "^metrics$", null, null)),
                        Labels.of("__meta_kubernetes_pod_annotation_XXX_metrics_port", "9091",
                                "__meta_kubernetes_pod_container_port_name", "metrics")),
                new Case("labelkeep", Labels.of("a", "foo", "b1", "bar", "b2", "baz"),
                        List.of(rc(LABELKEEP, null, "(b.*)", null, null)), Labels.of("b1", "bar", "b2", "baz")),
                new Case("labeldrop", Labels.of("a", "foo", "b1", "bar", "b2", "baz"),
                        List.of(rc(LABELDROP, null, "(b.*)", null, null)), Labels.of("a", "foo")),
                new Case("upper and lower case", Labels.of("foo", "bAr123Foo"),
                        List.of(rc(UPPERCASE, List.of("foo"), null, "foo_uppercase", null),
                                rc(LOWERCASE, List.of("foo"), null, "foo_lowercase", null)),
                        Labels.of("foo", "bAr123Foo", "foo_lowercase", "bar123foo", "foo_uppercase", "BAR123FOO")),
                new Case("keepequal equal keeps", ports, List.of(rc(KEEPEQUAL, List.of("__tmp_port"), null, "__port1", null)), ports),
                new Case("dropequal equal drops", ports, List.of(rc(DROPEQUAL, List.of("__tmp_port"), null, "__port1", null)), null),
                new Case("dropequal different keeps", ports, List.of(rc(DROPEQUAL, List.of("__tmp_port"), null, "__port2", null)), ports),
                new Case("keepequal different drops", ports, List.of(rc(KEEPEQUAL, List.of("__tmp_port"), null, "__port2", null)), null),
                new Case("dot matches newline", lines, List.of(rc(REPLACE, List.of("a"), "line1.*line2", "d", "match${1}")),
                        Labels.of("a", "line1\nline2", "b", "bar", "c", "baz", "d", "match")),
                new Case("UTF-8 source label", Labels.of("utf-8.label", "line1\nline2", "b", "bar", "c", "baz"),
                        List.of(rc(REPLACE, List.of("utf-8.label"), "line1.*line2", "d", "match${1}")),
                        Labels.of("utf-8.label", "line1\nline2", "b", "bar", "c", "baz", "d", "match")),
                new Case("UTF-8 target label", lines, List.of(rc(REPLACE, List.of("a"), "line1.*line2", "utf-8.label", "match${1}")),
                        Labels.of("a", "line1\nline2", "b", "bar", "c", "baz", "utf-8.label", "match")),
                new Case("UTF-8 templated target label", lines,
                        List.of(rc(REPLACE, List.of("a"), "line1.*line2", "utf-8.label${1}", "match${1}")),
                        Labels.of("a", "line1\nline2", "b", "bar", "c", "baz", "utf-8.label", "match")),
                new Case("named groups in every reference style", lines,
                        List.of(rc(REPLACE, List.of("a"), "(line1).*(?<second>line2)", "label1_${1}", "val_${second}"),
                                rc(REPLACE, List.of("a"), "(line1).*(?<second>line2)", "label2_$1", "val_$second")),
                        Labels.of("a", "line1\nline2", "b", "bar", "c", "baz", "label1_line1", "val_line2", "label2_line1", "val_line2")),
                new Case("__type__ from the name", Labels.of("__name__", "http_requests_total"),
                        List.of(rc(REPLACE, List.of("__name__"), ".*_total$", "__type__", "counter")),
                        Labels.of("__name__", "http_requests_total", "__type__", "counter")),
                new Case("__unit__ from the name", Labels.of("__name__", "disk_usage_bytes"),
                        List.of(rc(REPLACE, List.of("__name__"), ".*_bytes$", "__unit__", "bytes")),
                        Labels.of("__name__", "disk_usage_bytes", "__unit__", "bytes")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("prometheusCases")
    void processMatchesPrometheus(Case c) {
        assertThat(Relabeler.process(c.in(), c.cfgs())).isEqualTo(c.out());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("prometheusCases")
    void reusedBuilderAndInstanceGiveTheSameResults(Case c) {
        Relabeler r = new Relabeler();
        Labels.Builder b = Labels.builder();
        // a previous, unrelated label set must leave nothing behind
        r.apply(b.reset(Labels.of("zzz", "1", "yyy", "2", "xxx", "3", "www", "4", "vvv", "5")), c.cfgs());
        boolean kept = r.apply(b.reset(c.in()), c.cfgs());
        assertThat(kept).isEqualTo(c.out() != null);
        if (kept) assertThat(b.build()).isEqualTo(c.out());
    }

    @Test
    void missingSourceLabelsJoinAsEmpty() {
        // "a;;c" : the absent middle label contributes an empty string between separators
        RelabelConfig cfg = rc(REPLACE, List.of("a", "missing", "c"), "(.*)", "joined", null);
        assertThat(Relabeler.process(Labels.of("a", "x", "c", "z"), List.of(cfg)))
                .isEqualTo(Labels.of("a", "x", "c", "z", "joined", "x;;z"));
    }

    @Test
    void replaceOfAnEmptyValueWithDefaultsDeletesTheTarget() {
        // the default regex matches "" and $1 expands to "": target removed
        RelabelConfig cfg = rc(REPLACE, List.of("missing"), null, "job", null);
        assertThat(Relabeler.process(Labels.of("job", "x", "a", "b"), List.of(cfg))).isEqualTo(Labels.of("a", "b"));
    }

    @Test
    void staticReplacementSetsALabel() {
        RelabelConfig cfg = rc(REPLACE, null, null, "cluster", "dev-us-central-0");
        assertThat(Relabeler.process(Labels.of("job", "x"), List.of(cfg)))
                .isEqualTo(Labels.of("job", "x", "cluster", "dev-us-central-0"));
    }

    @Test
    void hashmodShardsLikePrometheus() {
        // value from relabel_test.go, reused as a sharding check: md5("baz") last 8 bytes % 1000 == 976
        RelabelConfig cfg = hashmod(List.of("__address__"), "__tmp_hash", 1000);
        assertThat(Relabeler.process(Labels.of("__address__", "baz"), List.of(cfg)).get("__tmp_hash")).isEqualTo("976");
    }

    @Test
    void expandFollowsGoRegexpExpand() {
        com.google.re2j.Pattern p = io.pyrometer.model.LabelMatcher.compileAnchored("(a)(?P<n>b)(c)?");
        com.google.re2j.Matcher m = p.matcher("ab");
        assertThat(m.matches()).isTrue();
        assertThat(Relabeler.expand("$1-$n-${n}x-$3-$$-$nx-${1}0-$10", m, p)).isEqualTo("a-b-bx--$--a0-");
        assertThat(Relabeler.expand("${1", m, p)).isEqualTo("${1");
        assertThat(Relabeler.expand("$-$", m, p)).isEqualTo("$-$");
        assertThat(Relabeler.expand("$0 $01", m, p)).isEqualTo("ab ");
    }
}
