package io.pyrometer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** logfmt lines a log shipper can parse: values with quotes, newlines and spaces stay inside their pair. */
class LoggingTest {
    private static final Pattern PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"(?:[^\"\\\\]|\\\\.)*\"|[^ \"=]+)(?: |$)");

    private static String line(String pattern, Object... params) {
        LogRecord r = new LogRecord(Level.INFO, pattern);
        r.setParameters(params);
        r.setLoggerName("io.pyrometer.cli.Server");
        r.setInstant(java.time.Instant.EPOCH);
        String out = new Logging.LineFormatter(false).format(r);
        assertThat(out).endsWith("\n");
        return out.substring(0, out.length() - 1);
    }

    /** The pairs of a logfmt line, failing when any part of it is not a pair. */
    static List<String[]> pairs(String line) {
        List<String[]> out = new ArrayList<>();
        Matcher m = PAIR.matcher(line);
        int at = 0;
        while (at < line.length()) {
            assertThat(m.find(at) && m.start() == at).as("a key=value pair at column %d of: %s", at, line).isTrue();
            out.add(new String[] {m.group(1), m.group(2)});
            at = m.end();
        }
        return out;
    }

    @Test
    void quotesAndNewlinesInsideAQuotedValueAreEscaped() {
        String l = line("error reloading config trigger={0} err=\"{1}\"", "SIGHUP",
                "error loading config from \"x.yml\": x.yml:3:1: field scrape_intervall not found\nsecond line");
        assertThat(l).contains("err=\"error loading config from \\\"x.yml\\\": x.yml:3:1: field scrape_intervall not found\\nsecond line\"");
        assertThat(pairs(l)).extracting(p -> p[0]).containsExactly("time", "level", "source", "msg", "trigger", "err");
    }

    @Test
    void bareValuesAreQuotedWhenTheyNeedIt() {
        String l = line("completed loading of configuration file file={0} trigger={1}", "/tmp/my dir/prometheus.yml", "api");
        assertThat(l).contains("file=\"/tmp/my dir/prometheus.yml\" trigger=api");
        assertThat(pairs(l)).hasSize(6);
        assertThat(line("x a={0}", "")).endsWith("a=\"\"");
        assertThat(line("x a={0}", "k=v")).endsWith("a=\"k=v\"");
    }

    @Test
    void bracketedKeyValuesBecomePairs() {
        String l = line("WAL replay completed [series={0}, samples={1}, unknown_series_refs={2}, duration_ms={3}]", "20", "2610", "0", "10");
        assertThat(l).endsWith("msg=\"WAL replay completed\" series=20 samples=2610 unknown_series_refs=0 duration_ms=10");
        String e = line("skipping undecodable WAL record [segment={0}, err={1}]", "3", "bad \"record\", type 9");
        assertThat(e).endsWith("segment=3 err=\"bad \\\"record\\\", type 9\"");
        assertThat(pairs(e)).extracting(p -> p[0]).containsExactly("time", "level", "source", "msg", "segment", "err");
    }

    @Test
    void numbersAreNotGrouped() {
        assertThat(line("head truncated [mint={0}, series={1}]", 1_700_000_000_000L, 123456)).endsWith("mint=1700000000000 series=123456");
    }
}
