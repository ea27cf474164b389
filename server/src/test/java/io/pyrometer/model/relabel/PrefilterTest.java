package io.pyrometer.model.relabel;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import io.pyrometer.model.LabelMatcher;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PrefilterTest {
    @Test
    void literalAndPrefixRegexesGetFilters() {
        assertThat(Prefilter.compute("__tmp_hash")).isEqualTo(new Prefilter("__tmp_hash", true));
        assertThat(Prefilter.compute("^metrics$")).isEqualTo(new Prefilter("metrics", true));
        assertThat(Prefilter.compute("__meta_kubernetes_pod_label_(.+)")).isEqualTo(new Prefilter("__meta_kubernetes_pod_label_", false));
        assertThat(Prefilter.compute("ab*c")).isEqualTo(new Prefilter("a", false));
        assertThat(Prefilter.compute("ab+c")).isEqualTo(new Prefilter("ab", false));
        assertThat(Prefilter.compute("")).isEqualTo(new Prefilter("", true));
        assertThat(Prefilter.compute("Succeeded|Failed").check("Failed")).isEqualTo(Prefilter.YES);
        assertThat(Prefilter.compute("Succeeded|Failed").check("Running")).isEqualTo(Prefilter.NO);
        assertThat(Prefilter.compute("a(b|c)")).isEqualTo(Prefilter.NONE);
        assertThat(Prefilter.compute("(?i)foo")).isEqualTo(Prefilter.NONE);
        assertThat(Prefilter.compute(".*-metrics").check("http-metrics")).isEqualTo(Prefilter.YES);
        assertThat(Prefilter.compute(".*-metrics").check("http")).isEqualTo(Prefilter.NO);
        assertThat(Prefilter.compute(".*-metrics.*")).isEqualTo(Prefilter.NONE);
        assertThat(Prefilter.compute("a?")).isEqualTo(Prefilter.NONE);
    }

    @Test
    void neverRejectsAStringTheRegexMatches() {
        long seed = io.pyrometer.testing.Seeds.seed("PrefilterTest.seed");
        System.out.println("PrefilterTest seed=" + seed);
        Random rnd = new Random(seed);
        List<String> regexes = List.of("ab", "^ab$", "ab*", "ab+", "ab?c", "a{2}b", "ab.*", "a\\$", "a$", "^", "$", "",
                "a_b", "a-b(c)", "ab\\.c", "a|b_", "|a", ".*b", ".*", "^.*a$", ".*a.*", "ab|", "a(b|c)", "a[b]c", "ab(?:c)?", "a.b", "a\\\\$", "ab{0,1}c", "a\nb");
        String alphabet = "abc.$\\_-\n";
        for (String re : regexes) {
            Pattern p = LabelMatcher.compileAnchored(re);
            Prefilter pf = Prefilter.compute(re);
            for (int i = 0; i < 3000; i++) {
                StringBuilder sb = new StringBuilder();
                int len = rnd.nextInt(5);
                for (int j = 0; j < len; j++) sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
                String s = sb.toString();
                int c = pf.check(s);
                if (c != Prefilter.MAYBE) assertThat(c == Prefilter.YES).as("regex %s input %s seed %d", re, s, seed).isEqualTo(p.matches(s));
            }
        }
    }
}
