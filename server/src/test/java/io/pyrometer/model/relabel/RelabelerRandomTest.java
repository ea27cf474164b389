package io.pyrometer.model.relabel;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrometer.model.Labels;
import io.pyrometer.model.relabel.RelabelConfig.Action;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random valid configs over random label sets: never an exception, never an empty value in the result. */
class RelabelerRandomTest {
    private static final String[] NAMES = {"a", "b", "__meta_x", "__meta_y_z", "job", "instance", "__address__", "é"};
    private static final String[] VALUES = {"", "foo", "bar;baz", "a\nb", "10.0.0.1:9100", "$1", "日本", "x".repeat(300)};
    private static final String[] REGEXES = {"(.*)", "(.+)", "f(.*)", "(?<n>[^;]*);(.*)", "__meta_(.+)", "a|b", ".*o", "", "^foo$", "(\\d+)"};
    private static final String[] TEMPLATES = {"$1", "${1}", "${n}", "$2x", "$$", "x_$1", "${0}", "lit"};

    @Test
    void randomStepsNeverThrowAndKeepLabelsValid() {
        long seed = io.pyrometer.testing.Seeds.seed("RelabelerRandomTest.seed");
        System.out.println("RelabelerRandomTest seed=" + seed);
        Random rnd = new Random(seed);
        Relabeler r = new Relabeler();
        Labels.Builder b = Labels.builder();
        for (int round = 0; round < 2000; round++) {
            List<RelabelConfig> cfgs = new ArrayList<>();
            for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                RelabelConfig c = randomConfig(rnd);
                if (c != null) cfgs.add(c);
            }
            Labels.Builder in = Labels.builder();
            for (int k = rnd.nextInt(6); k > 0; k--) in.set(pick(rnd, NAMES), pick(rnd, VALUES));
            Labels input = in.build();
            Labels out = Relabeler.process(input, cfgs);
            boolean kept = r.apply(b.reset(input), cfgs);
            assertThat(kept).as("seed %d round %d", seed, round).isEqualTo(out != null);
            if (out == null) continue;
            assertThat(b.build()).as("seed %d round %d", seed, round).isEqualTo(out);
            for (int i = 0; i < out.size(); i++) assertThat(out.value(i)).as("seed %d", seed).isNotEmpty();
        }
    }

    private static RelabelConfig randomConfig(Random rnd) {
        Action a = Action.values()[rnd.nextInt(Action.values().length)];
        List<String> src = rnd.nextBoolean() ? List.of(pick(rnd, NAMES)) : List.of(pick(rnd, NAMES), pick(rnd, NAMES));
        try {
            return switch (a) {
                case LABELDROP, LABELKEEP -> RelabelConfig.of(null, null, pick(rnd, REGEXES), null, null, null, a);
                case LABELMAP -> RelabelConfig.of(null, null, pick(rnd, REGEXES), null, null, pick(rnd, TEMPLATES), a);
                case HASHMOD -> RelabelConfig.of(src, null, null, 1L + rnd.nextInt(5), "h", null, a);
                case KEEPEQUAL, DROPEQUAL, LOWERCASE, UPPERCASE -> RelabelConfig.of(src, null, null, null, pick(rnd, NAMES), null, a);
                default -> RelabelConfig.of(src, null, pick(rnd, REGEXES), null, pick(rnd, TEMPLATES), pick(rnd, TEMPLATES), a);
            };
        } catch (IllegalArgumentException e) {
            return null; // an invalid combination is rejected at load: not this test's subject
        }
    }

    private static String pick(Random rnd, String[] xs) { return xs[rnd.nextInt(xs.length)]; }
}
