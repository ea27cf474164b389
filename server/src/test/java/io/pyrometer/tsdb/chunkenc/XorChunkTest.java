package io.pyrometer.tsdb.chunkenc;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyrometer.model.Values;
import io.pyrometer.storage.SampleIterator;
import io.pyrometer.storage.ValueType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class XorChunkTest {

    /**
     * Expected bytes worked out by hand from Prometheus's xor.go/bstream.go:
     * header uint16 BE; t0 zig-zag varint (1000 -> 2000 -> D0 0F); v0 raw 64 bits (1.0 = 3FF0...);
     * Δt1 uvarint (1000 -> E8 07); xor of 2.0^1.0 = 0x7FF0.. -> '1' '1' leading=00001 sig=001011 + 11 ones
     * -> C2 5F FF; then dod=0 '0' and 3.0^2.0 = 0x0008.. -> '1' '1' 01100 000001 '1' -> 6C 06;
     * dod=+5 -> '10' 00000000000101 and same value '0' -> (last bit of 06) 00 0A;
     * dod=-15 -> '10' 11111111110001 '0' -> BF F1 00.
     */
    static Stream<Arguments> knownVectors() {
        return Stream.of(
                Arguments.of("one sample", new long[] {1000}, new double[] {1.0},
                        "0001 D00F 3FF0000000000000"),
                Arguments.of("same value twice", new long[] {1000, 2000, 3000}, new double[] {1.0, 1.0, 1.0},
                        "0003 D00F 3FF0000000000000 E807 00"),
                Arguments.of("new xor window", new long[] {1000, 2000}, new double[] {1.0, 2.0},
                        "0002 D00F 3FF0000000000000 E807 C25FFF"),
                Arguments.of("window widened", new long[] {1000, 2000, 3000}, new double[] {1.0, 2.0, 3.0},
                        "0003 D00F 3FF0000000000000 E807 C25FFF 6C06"),
                Arguments.of("positive dod", new long[] {1000, 2000, 3000, 4005}, new double[] {1.0, 2.0, 3.0, 3.0},
                        "0004 D00F 3FF0000000000000 E807 C25FFF 6C07 000A"),
                Arguments.of("negative dod", new long[] {1000, 2000, 3000, 4005, 4995},
                        new double[] {1.0, 2.0, 3.0, 3.0, 3.0},
                        "0005 D00F 3FF0000000000000 E807 C25FFF 6C07 000A BFF100"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("knownVectors")
    void encodesBitExactlyLikePrometheus(String name, long[] ts, double[] vs, String hex) {
        XorChunk c = XorChunk.create();
        XorAppender app = c.appender();
        for (int i = 0; i < ts.length; i++) app.append(ts[i], vs[i]);
        assertThat(HexFormat.of().withUpperCase().formatHex(c.toByteArray())).isEqualTo(hex.replace(" ", ""));
        assertDecodes(c.iterator(null), ts, vs);
    }

    @Test
    void roundTripsRandomSeries() {
        long seed = System.nanoTime();
        System.out.println("XorChunkTest.roundTripsRandomSeries seed=" + seed);
        Random r = new Random(seed);
        for (int round = 0; round < 200; round++) {
            int n = 1 + r.nextInt(round % 10 == 0 ? 2000 : 150);
            long[] ts = new long[n];
            double[] vs = new double[n];
            long t = r.nextLong(-1L << 40, 1L << 41);
            double v = r.nextDouble() * 1000;
            for (int i = 0; i < n; i++) {
                t += switch (r.nextInt(6)) {
                    case 0 -> 15_000;                       // regular scrape
                    case 1 -> 15_000 + r.nextInt(-50, 50);  // jitter (14-bit dod)
                    case 2 -> r.nextInt(1, 100_000);        // 17/20-bit dod
                    case 3 -> r.nextLong(1, 1L << 40);      // 64-bit dod
                    default -> 1;
                };
                v = switch (r.nextInt(8)) {
                    case 0 -> v;                            // unchanged
                    case 1 -> v + 1;                        // counter
                    case 2 -> Double.NaN;
                    case 3 -> Values.STALE_NAN;
                    case 4 -> r.nextBoolean() ? Double.POSITIVE_INFINITY : -0.0;
                    case 5 -> Double.longBitsToDouble(r.nextLong()); // 64 significant bits
                    default -> r.nextGaussian() * 1e6;
                };
                ts[i] = t;
                vs[i] = v;
            }
            XorChunk c = XorChunk.create();
            XorAppender app = c.appender();
            for (int i = 0; i < n; i++) app.append(ts[i], vs[i]);
            assertThat(c.numSamples()).as("seed=%d round=%d", seed, round).isEqualTo(n);
            assertDecodes(c.iterator(null), ts, vs);
        }
    }

    @Test
    void readsOffHeapSegmentWithoutCopying() {
        XorChunk heap = XorChunk.create();
        XorAppender app = heap.appender();
        long[] ts = new long[120];
        double[] vs = new double[120];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = 1_700_000_000_000L + i * 15_000L;
            vs[i] = i * 0.5;
            app.append(ts[i], vs[i]);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment off = arena.allocate(heap.byteSize() + 7);
            MemorySegment.copy(heap.data(), 0, off, 7, heap.byteSize());
            XorChunk view = XorChunk.wrap(off.asSlice(7, heap.byteSize()));
            assertThat(view.isReadOnly()).isTrue();
            assertThat(view.numSamples()).isEqualTo(120);
            assertThat(view.data().address()).isEqualTo(off.address() + 7);
            assertDecodes(view.iterator(null), ts, vs);
        }
    }

    @Test
    void appendingResumesFromEncodedBytes() {
        long[] ts = {10, 20, 30, 45, 60, 61, 100_000};
        double[] vs = {1, 1, 2, 2.5, 1e9, -3, 7};
        XorChunk whole = XorChunk.create();
        XorAppender a = whole.appender();
        for (int i = 0; i < ts.length; i++) a.append(ts[i], vs[i]);
        for (int split = 2; split < ts.length; split++) {
            XorChunk part = XorChunk.create();
            XorAppender pa = part.appender();
            for (int i = 0; i < split; i++) pa.append(ts[i], vs[i]);
            XorChunk resumed = XorChunk.openCopy(part.toByteArray());
            XorAppender ra = resumed.appender();
            for (int i = split; i < ts.length; i++) ra.append(ts[i], vs[i]);
            // Like Prometheus's Appender(), the resumed encoder takes the leading/trailing window from the
            // decoder, so bytes may differ from an uninterrupted chunk while the samples do not.
            assertThat(resumed.numSamples()).as("split=%d", split).isEqualTo(ts.length);
            assertDecodes(resumed.iterator(null), ts, vs);
        }
    }

    @Test
    void seekMovesForwardOnlyAndReuseResetsIterator() {
        XorChunk c = XorChunk.create();
        XorAppender app = c.appender();
        for (int i = 0; i < 10; i++) app.append(i * 10L, i);
        SampleIterator it = c.iterator(null);
        assertThat(it.seek(35)).isEqualTo(ValueType.FLOAT);
        assertThat(it.atT()).isEqualTo(40);
        assertThat(it.seek(5)).isEqualTo(ValueType.FLOAT);
        assertThat(it.atT()).isEqualTo(40);
        assertThat(it.seek(91)).isEqualTo(ValueType.NONE);
        SampleIterator again = c.iterator(it);
        assertThat(again).isSameAs(it);
        assertThat(again.next()).isEqualTo(ValueType.FLOAT);
        assertThat(again.atT()).isZero();
    }

    @Test
    void clearedChunkEncodesLikeANewOne() {
        XorChunk c = XorChunk.create();
        XorAppender app = c.appender();
        for (int i = 0; i < 300; i++) app.append(i * 7L, i * 1.25);
        c.clear();
        assertThat(c.numSamples()).isZero();
        app.reset(c);
        app.append(1000, 1.0);
        app.append(2000, 2.0);
        assertThat(HexFormat.of().withUpperCase().formatHex(c.toByteArray())).isEqualTo("0002D00F3FF0000000000000E807C25FFF");
    }

    @Test
    void truncatedChunkEndsWithErrorInsteadOfThrowing() {
        XorChunk c = XorChunk.create();
        XorAppender app = c.appender();
        for (int i = 0; i < 50; i++) app.append(i * 1000L + (i * i % 7), Math.sqrt(i));
        byte[] bytes = c.toByteArray();
        XorChunk cut = XorChunk.wrap(MemorySegment.ofArray(bytes).asSlice(0, bytes.length / 2));
        SampleIterator it = cut.iterator(null);
        int n = 0;
        while (it.next() == ValueType.FLOAT) n++;
        assertThat(n).isLessThan(50);
        assertThat(it.err()).hasMessageContaining("ended early");
    }

    static void assertDecodes(SampleIterator it, long[] ts, double[] vs) {
        for (int i = 0; i < ts.length; i++) {
            assertThat(it.next()).as("sample %d", i).isEqualTo(ValueType.FLOAT);
            assertThat(it.atT()).as("t of sample %d", i).isEqualTo(ts[i]);
            assertThat(Double.doubleToRawLongBits(it.atV())).as("v bits of sample %d", i)
                    .isEqualTo(Double.doubleToRawLongBits(vs[i]));
        }
        assertThat(it.next()).isEqualTo(ValueType.NONE);
        assertThat(it.err()).isNull();
    }

    @Test
    void readsBigEndianHeader() {
        byte[] b = {0x01, 0x02, 0, 0};
        assertThat(XorChunk.wrap(b).numSamples()).isEqualTo(0x0102);
        assertThat(MemorySegment.ofArray(b).get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 1);
    }
}
