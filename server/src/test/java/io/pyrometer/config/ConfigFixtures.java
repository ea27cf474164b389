package io.pyrometer.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The config table under {@code src/test/resources/config/}: {@code valid/*.yml} must load,
 * {@code invalid/*.yml} must fail. Each fixture says what it expects in its leading comments:
 * <pre>
 * # expect: 6:21 scrape_configs[0].scrape_timeout: scrape timeout greater than ...   (invalid only)
 * # promtool: skip &lt;why&gt;      promtool cannot judge it (a key newer than the installed promtool)
 * # promtool: accepts &lt;why&gt;   a deliberate difference: Prometheus accepts what Pyrometer refuses
 * </pre>
 */
record ConfigFixtures(Path file, boolean valid, int line, int column, String fragment, String promtool, String promtoolWhy) {

    private static final Pattern EXPECT = Pattern.compile("^# expect: (\\d+):(\\d+) (.+)$");
    private static final Pattern PROMTOOL = Pattern.compile("^# promtool: (skip|accepts) (.+)$");

    static Path root() {
        try {
            return Path.of(ConfigFixtures.class.getResource("/config").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<ConfigFixtures> all() {
        return Stream.concat(list("valid", true), list("invalid", false));
    }

    static Stream<ConfigFixtures> list(String dir, boolean valid) {
        try (Stream<Path> files = Files.list(root().resolve(dir))) {
            return files.filter(p -> p.toString().endsWith(".yml")).sorted().map(p -> read(p, valid)).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ConfigFixtures read(Path p, boolean valid) {
        List<String> lines;
        try {
            lines = Files.readAllLines(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int line = 0, col = 0;
        String fragment = null, promtool = "", why = "";
        for (String l : lines) {
            if (!l.startsWith("#")) break;
            Matcher m = EXPECT.matcher(l);
            if (m.matches()) {
                line = Integer.parseInt(m.group(1));
                col = Integer.parseInt(m.group(2));
                fragment = m.group(3);
            }
            m = PROMTOOL.matcher(l);
            if (m.matches()) {
                promtool = m.group(1);
                why = m.group(2);
            }
        }
        if (!valid && fragment == null) throw new IllegalStateException(p + " has no '# expect: line:col message' header");
        return new ConfigFixtures(p, valid, line, col, fragment, promtool, why);
    }

    @Override
    public String toString() {
        return (valid ? "valid/" : "invalid/") + file.getFileName();
    }
}
