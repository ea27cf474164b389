package io.pyrometer.model.textparse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyrometer.model.Labels;
import io.pyrometer.model.textparse.ExpositionParser.Entry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A scraper tells the parser which series text it expects next (the previous scrape's); a line
 * that repeats it skips label scanning. Whatever the parser returns must be what a parse without
 * predictions returns, and {@link ExpositionParsers#seriesLabels} must re-derive the same labels
 * from the series text alone.
 */
class SeriesPredictionTest {
    private static final String TEXT_EDGES = """
            # TYPE req histogram
            req_bucket{le="1"} 1
            req_bucket { le = "+Inf" , a="x}y\\"z" , } 2 1700000000000
            temp{room="a\\\\b"}\t20
            plain 1
            {"utf8.name",x="1"} 2
            with_quoted{"label.name"="v"} 3
            # TYPE q summary
            q{quantile="0.5"} 1
            """;
    private static final String OM_EDGES = """
            # TYPE req histogram
            req_bucket{le="1"} 1 # {trace_id="abc"} 0.5 1700000000.1
            req_bucket{le="+Inf",a="x}y\\"z"} 2 1700000000.5
            temp{room="a\\\\b"} 20
            plain 1
            {"utf8.name",x="1"} 2
            # TYPE q summary
            q{quantile="0.5"} 1
            # EOF
            """;

    static Stream<Arguments> payloads() {
        return Stream.of(
                Arguments.of("text edges", false, TEXT_EDGES.getBytes(StandardCharsets.UTF_8)),
                Arguments.of("openmetrics edges", true, OM_EDGES.getBytes(StandardCharsets.UTF_8)),
                Arguments.of("node_exporter text", false, ExpositionPayloads.nodeExporter(7L, false)),
                Arguments.of("node_exporter openmetrics", true, ExpositionPayloads.nodeExporter(7L, true)));
    }

    private static ExpositionParser parser(boolean om, byte[] body) {
        return om ? new OpenMetricsParser(body) : new PromTextParser(body);
    }

    /** Replays the series texts of an earlier parse in order, as the scrape cache does. */
    private static final class Replay implements ExpositionParser.SeriesPredictor {
        final List<byte[]> keys;
        int next;
        int hits;

        Replay(List<byte[]> keys) { this.keys = keys; }

        @Override
        public int predictedLength(byte[] buf, int start, int end) {
            if (next >= keys.size()) return -1;
            byte[] k = keys.get(next);
            if (k.length > end - start || !Arrays.equals(k, 0, k.length, buf, start, start + k.length)) return -1;
            hits++;
            return k.length;
        }
    }

    /** Everything a scraper reads from a series entry, as one comparable string. */
    private static List<String> read(ExpositionParser p, List<byte[]> keys, Replay replay) throws TextParseException {
        List<String> out = new ArrayList<>();
        for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
            if (e != Entry.SERIES) {
                out.add(e + " " + p.metricFamily());
                continue;
            }
            byte[] key = Arrays.copyOfRange(p.buf(), p.seriesStart(), p.seriesEnd());
            if (keys != null) keys.add(key);
            if (replay != null) replay.next++;
            out.add(new String(key, StandardCharsets.UTF_8) + " v=" + p.value() + " ts=" + (p.hasTimestamp() ? p.timestampMs() : "-")
                    + " labels=" + p.labels() + " type=" + p.type() + " family=" + p.metricFamily() + " line=" + p.line()
                    + " ct=" + p.createdTimestampMs());
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    void predictedLinesReadExactlyLikeParsedOnes(String name, boolean om, byte[] body) throws TextParseException {
        List<byte[]> keys = new ArrayList<>();
        List<String> plain = read(parser(om, body), keys, null);
        Replay replay = new Replay(keys);
        ExpositionParser p = parser(om, body);
        p.predictSeries(replay);
        assertThat(read(p, null, replay)).isEqualTo(plain);
        assertThat(replay.hits).as("predictions used").isGreaterThan(0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    void seriesLabelsReDeriveTheLabelsFromTheSeriesTextAlone(String name, boolean om, byte[] body) throws TextParseException {
        ExpositionParser p = parser(om, body);
        int n = 0;
        for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
            if (e != Entry.SERIES) continue;
            Labels again = ExpositionParsers.seriesLabels(p.buf(), p.seriesStart(), p.seriesEnd(), om, p.lastType());
            assertThat(again).as("line %d", p.line()).isEqualTo(p.labels());
            n++;
        }
        assertThat(n).isGreaterThan(3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    void aChangedLineAfterPredictedOnesFailsWithTheSameError(String name, boolean om, byte[] body) throws TextParseException {
        String s = new String(body, StandardCharsets.UTF_8);
        String broken = s.replaceFirst("(?m)^(req_bucket|node_cpu_seconds_total)\\{", "$1{=");
        assertThat(broken).isNotEqualTo(s);
        List<byte[]> keys = new ArrayList<>();
        read(parser(om, body), keys, null);
        byte[] bad = broken.getBytes(StandardCharsets.UTF_8);
        String expected = messageOf(parser(om, bad));
        ExpositionParser p = parser(om, bad);
        p.predictSeries(new Replay(keys));
        assertThat(messageOf(p)).isEqualTo(expected).contains("expected label name");
    }

    private static String messageOf(ExpositionParser p) {
        Throwable[] t = new Throwable[1];
        assertThatThrownBy(() -> {
            try {
                for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
                    if (e == Entry.SERIES) p.labels();
                }
            } catch (TextParseException ex) {
                t[0] = ex;
                throw ex;
            }
        }).isInstanceOf(TextParseException.class);
        return t[0].getMessage();
    }
}
