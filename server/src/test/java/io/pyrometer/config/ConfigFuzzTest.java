package io.pyrometer.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Bad input never throws anything but {@link ConfigException}: valid fixtures are mutated at random
 * (characters deleted, inserted, lines swapped or re-indented) and every outcome must be a config
 * or a positioned refusal. The seed is printed so a failure can be replayed with -Dconfig.fuzz.seed.
 */
class ConfigFuzzTest {
    private static final String ALPHABET = " :-[]{}\"'\n\t#&*!|>%@`,?0123456789abcxyz_.$/";

    @Test
    void mutatedConfigsLoadOrFailWithAPositionedConfigException() throws Exception {
        long seed = io.pyrometer.testing.Seeds.seed("config.fuzz.seed");
        System.out.println("ConfigFuzzTest seed=" + seed);
        SplittableRandom rnd = new SplittableRandom(seed);
        List<String> sources = ConfigFixtures.list("valid", true).map(fx -> read(fx.file())).filter(s -> !s.isEmpty()).toList();
        int refused = 0;
        for (int i = 0; i < 1000; i++) {
            String src = sources.get(rnd.nextInt(sources.size()));
            String mutated = mutate(src, rnd);
            try {
                ConfigLoader.parse(mutated, Path.of("fuzz.yml"));
            } catch (ConfigException e) {
                refused++;
                assertThat(e.getMessage()).as("seed=%d input:%n%s", seed, mutated).startsWith("fuzz.yml:");
            } catch (RuntimeException | StackOverflowError e) {
                throw new AssertionError("seed=" + seed + " iteration=" + i + " input:\n" + mutated, e);
            }
        }
        assertThat(refused).as("mutations should mostly be refused").isGreaterThan(50);
    }

    private static String mutate(String s, SplittableRandom rnd) {
        StringBuilder sb = new StringBuilder(s);
        int edits = 1 + rnd.nextInt(4);
        for (int e = 0; e < edits && !sb.isEmpty(); e++) {
            int at = rnd.nextInt(sb.length());
            switch (rnd.nextInt(4)) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> sb.insert(at, ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
                case 2 -> sb.replace(at, at + 1, String.valueOf(ALPHABET.charAt(rnd.nextInt(ALPHABET.length()))));
                default -> {
                    int lineStart = sb.lastIndexOf("\n", at) + 1;
                    sb.insert(lineStart, rnd.nextBoolean() ? "  " : "- ");
                }
            }
        }
        return sb.toString();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
