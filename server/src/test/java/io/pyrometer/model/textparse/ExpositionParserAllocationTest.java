package io.pyrometer.model.textparse;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrometer.model.textparse.ExpositionParser.Entry;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scrape hot path ({@code next()}, {@code value()}, timestamps, series bytes) must not allocate:
 * measured with the JVM's per-thread allocation counter over many payloads (JMH -prof gc says the
 * same in ExpositionParserBench).
 */
class ExpositionParserAllocationTest {

    @ParameterizedTest(name = "openMetrics={0}")
    @ValueSource(booleans = {false, true})
    void nextAndValueAllocateNothingPerSample(boolean openMetrics) throws TextParseException {
        byte[] body = ExpositionPayloads.nodeExporter(42, openMetrics);
        ExpositionParser p = openMetrics ? new OpenMetricsParser(body, body.length) : new PromTextParser(body, body.length);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        double sink = drain(p, body, 50); // warm up, grow buffers
        long before = mx.getThreadAllocatedBytes(tid);
        int rounds = 400;
        sink += drain(p, body, rounds);
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        long samples = (long) rounds * ExpositionPayloads.SERIES;
        assertThat(sink).isNotZero();
        // A few hundred bytes of measurement noise are tolerated; one object per sample would be 4.8+ MB.
        assertThat(allocated).as("bytes allocated for %d samples", samples).isLessThan(2048);
    }

    private static double drain(ExpositionParser p, byte[] body, int rounds) throws TextParseException {
        double sum = 0;
        for (int i = 0; i < rounds; i++) {
            reset(p, body);
            for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
                if (e == Entry.SERIES) {
                    sum += p.value() + (p.hasTimestamp() ? p.timestampMs() : 0) + p.seriesEnd() - p.seriesStart();
                }
            }
        }
        return sum;
    }

    static void reset(ExpositionParser p, byte[] body) {
        switch (p) {
            case PromTextParser t -> t.reset(body, body.length);
            case OpenMetricsParser o -> o.reset(body, body.length);
        }
    }

    @Test
    void payloadHasTheAdvertisedShape() throws TextParseException {
        for (boolean om : new boolean[] {false, true}) {
            byte[] body = ExpositionPayloads.nodeExporter(7, om);
            ExpositionParser p = ExpositionParsers.forContentType(om ? "application/openmetrics-text" : "text/plain", body, body.length);
            int series = 0;
            int meta = 0;
            for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
                if (e == Entry.SERIES) series++;
                else meta++;
            }
            assertThat(series).isEqualTo(ExpositionPayloads.SERIES);
            assertThat(meta).isGreaterThan(100);
        }
    }
}
