package io.pyrometer.model.textparse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.pyrometer.model.textparse.ExpositionParser.Entry;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded mutation fuzzing: valid payloads of both formats are truncated, bit-flipped, and get
 * quotes, braces, line feeds, backslashes and other structure bytes inserted, deleted or
 * duplicated. Whatever comes in, only {@link TextParseException} may escape, every accessor must
 * work after every entry, and parsing must end (each entry consumes input). Replay a failure with
 * {@code -Dtextparse.fuzz.seed=<seed>}.
 */
class ExpositionParserFuzzTest {
    private static final int ITERATIONS = 100_000;
    private static final byte[] INSERTS = "\"{}\n\\ ,=#\t.e+-_0123456789".getBytes(StandardCharsets.US_ASCII);
    private static final String[] SNIPPETS = {"# EOF\n", "# TYPE ", "# HELP ", "# UNIT ", " # {", "NaN", "+Inf", "_created",
        "_total", "\"\"", "{\"a\"}", "\u00ff", "\u0000", "1e400", "le=\"", "quantile=\""};

    private static final String PROM = """
            # HELP go_gc_duration_seconds A summary of the GC invocation durations.
            # TYPE go_gc_duration_seconds summary
            go_gc_duration_seconds{quantile="0"} 4.9351e-05
            go_gc_duration_seconds { quantile = "0.5", a="b" } 8.3835e-05 1234
            # a comment \\n
            wind_speed{A="2",c="3"} 12345

            {"my.metric","label.name"="v\\"x\\\\"} +Inf
            # TYPE h histogram
            h_bucket{le="1"} NaN
            h_bucket{le="+Inf"} -1.5e3
            """;
    private static final String OM = """
            # HELP foo Counter
            # TYPE foo counter
            # UNIT foo_seconds seconds
            foo_total 17.0 1520879607.789 # {id="counter-test"} 5 123.456
            foo_created 1520872607.123
            foo_total{a="b"} 17.0
            foo_created{a="b"} 1520872607.123
            # TYPE s summary
            s{quantile="0.5"} 1
            s_count 2
            s_created 1
            # TYPE ss stateset
            ss{ss="foo"} 1
            {"my.metric","label.name"="v"} 1 # {trace_id="x"} 1.0
            # EOF
            """;

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a stuck next() fails instead of hanging the build
    void onlyTextParseExceptionEscapesAndParsingAlwaysEnds() {
        long seed = io.pyrometer.testing.Seeds.seed("textparse.fuzz.seed");
        System.out.println("ExpositionParserFuzzTest seed=" + seed + " (replay with -Dtextparse.fuzz.seed=" + seed + ")");
        Random r = new Random(seed);
        byte[][] bases = {
            PROM.getBytes(StandardCharsets.UTF_8), OM.getBytes(StandardCharsets.UTF_8),
            head(ExpositionPayloads.nodeExporter(seed, false), ""), head(ExpositionPayloads.nodeExporter(seed, true), "# EOF\n"),
        };
        int rejected = 0;
        long start = System.nanoTime();
        long deadline = start + 15_000_000_000L;
        int i = 0;
        for (; i < ITERATIONS && System.nanoTime() < deadline; i++) {
            int which = r.nextInt(10) < 8 ? r.nextInt(2) : 2 + r.nextInt(2);
            byte[] input = mutate(r, bases[which]);
            boolean om = r.nextBoolean();
            try {
                parseEverything(om ? new OpenMetricsParser(input, input.length, r.nextBoolean()) : new PromTextParser(input), input.length);
            } catch (TextParseException e) {
                rejected++;
                if (e.line() < 1 || e.line() > input.length + 1 || e.column() < 1 || e.detail().isBlank()) {
                    throw new AssertionError("bad error position or message: " + e.getMessage());
                }
            } catch (Throwable t) {
                fail("seed=" + seed + " iteration=" + i + " parser=" + (om ? "openmetrics" : "text") + " input(hex)="
                        + HexFormat.of().formatHex(input) + " input=" + new String(input, StandardCharsets.UTF_8), t);
            }
        }
        System.out.printf("ExpositionParserFuzzTest iterations=%d rejected=%d seconds=%.1f%n", i, rejected, (System.nanoTime() - start) / 1e9);
        assertThat(i).as("iterations within 15 s").isGreaterThan(10_000);
        assertThat(rejected).as("mutations must hit error paths").isGreaterThan(i / 10);
    }

    private static void parseEverything(ExpositionParser p, int length) throws TextParseException {
        Exemplar ex = new Exemplar();
        int entries = 0;
        for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
            if (++entries > length + 2) throw new AssertionError("no progress: more entries than bytes");
            p.metricFamily();
            p.type();
            p.line();
            switch (e) {
                case SERIES -> {
                    // plain checks: AssertJ per entry would cost more than the parsing under test
                    if (p.seriesStart() < 0 || p.seriesStart() > p.seriesEnd() || p.seriesEnd() > length) {
                        throw new AssertionError("series bounds " + p.seriesStart() + ".." + p.seriesEnd() + " outside 0.." + length);
                    }
                    p.labels();
                    p.value();
                    if (p.hasTimestamp()) p.timestampMs();
                    p.exemplar(ex);
                    p.createdTimestampMs();
                }
                case HELP -> p.help();
                case UNIT -> p.unit();
                case COMMENT -> p.comment();
                default -> { }
            }
        }
        if (p.next() != Entry.EOF) throw new AssertionError("EOF must repeat");
    }

    /** The first few kilobytes of a payload, cut at a line end, plus a trailer. */
    private static byte[] head(byte[] payload, String trailer) {
        int cut = 4096;
        while (payload[cut - 1] != '\n') cut--;
        byte[] t = trailer.getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(payload, cut + t.length);
        System.arraycopy(t, 0, out, cut, t.length);
        return out;
    }

    static byte[] mutate(Random r, byte[] base) {
        byte[] b = base;
        int n = r.nextInt(3) == 0 ? 2 + r.nextInt(2) : 1; // mostly one mutation, so many inputs get deep
        for (int k = 0; k < n; k++) {
            if (b.length == 0) return b;
            int at = r.nextInt(b.length);
            b = switch (r.nextInt(7)) {
                case 0 -> Arrays.copyOf(b, at); // truncate
                case 1 -> { // flip a byte
                    byte[] c = b.clone();
                    c[at] ^= (byte) (1 << r.nextInt(8));
                    yield c;
                }
                case 2 -> insert(b, at, new byte[] {INSERTS[r.nextInt(INSERTS.length)]});
                case 3 -> insert(b, at, SNIPPETS[r.nextInt(SNIPPETS.length)].getBytes(StandardCharsets.UTF_8));
                case 4 -> { // delete a range
                    int len = Math.min(b.length - at, 1 + r.nextInt(8));
                    byte[] c = new byte[b.length - len];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + len, c, at, b.length - at - len);
                    yield c;
                }
                case 5 -> { // duplicate a range somewhere else
                    int from = r.nextInt(b.length);
                    yield insert(b, at, Arrays.copyOfRange(b, from, Math.min(b.length, from + 1 + r.nextInt(30))));
                }
                default -> { // random byte
                    byte[] c = b.clone();
                    c[at] = (byte) r.nextInt(256);
                    yield c;
                }
            };
        }
        return b;
    }

    private static byte[] insert(byte[] b, int at, byte[] what) {
        byte[] c = new byte[b.length + what.length];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(what, 0, c, at, what.length);
        System.arraycopy(b, at, c, at + what.length, b.length - at);
        return c;
    }
}
