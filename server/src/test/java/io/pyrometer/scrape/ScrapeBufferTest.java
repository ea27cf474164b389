package io.pyrometer.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Scrape bodies share a bounded pool of arrays instead of each target pinning its largest body. */
class ScrapeBufferTest {

    @ParameterizedTest
    @CsvSource({"0, 65536", "1, 65536", "65536, 65536", "65537, 131072", "200000, 262144", "1048576, 1048576"})
    void borrowedArraysHoldTheRequestedSize(int size, int expectedLength) {
        ScrapeBuffer.BodyPool pool = new ScrapeBuffer.BodyPool(2);
        assertThat(pool.borrow(size)).hasSize(expectedLength);
    }

    @Test
    void givenBackArraysAreReusedAndTheIdleSetIsBounded() {
        ScrapeBuffer.BodyPool pool = new ScrapeBuffer.BodyPool(2);
        byte[] a = pool.borrow(100_000), b = pool.borrow(100_000), c = pool.borrow(100_000);
        pool.give(a);
        pool.give(b);
        pool.give(c); // the class is full: left to the collector
        assertThat(pool.idleCount()).isEqualTo(2);
        assertThat(pool.borrow(70_000)).isIn(a, b);
        pool.give(new byte[1000]); // not a pool size: never kept
        assertThat(pool.idleCount()).isEqualTo(1);
    }

    @Test
    void aReleasedBufferReadsTheNextBodyWhole() throws Exception {
        ScrapeBuffer first = new ScrapeBuffer(), second = new ScrapeBuffer();
        byte[] big = "x".repeat(300_000).getBytes(StandardCharsets.US_ASCII);
        assertThat(first.readFrom(new ByteArrayInputStream(big), 0)).isTrue();
        assertThat(first.length).isEqualTo(300_000);
        first.release();
        assertThat(first.length).isZero();

        byte[] small = "up 1\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(second.readFrom(new ByteArrayInputStream(small), 0)).isTrue();
        assertThat(new String(second.buf, 0, second.length, StandardCharsets.US_ASCII)).isEqualTo("up 1\n");
        second.release();
    }

    @Test
    void bodyOverTheLimitIsRefused() throws Exception {
        ScrapeBuffer b = new ScrapeBuffer();
        assertThat(b.readFrom(new ByteArrayInputStream(new byte[200_000]), 150_000)).isFalse();
        b.release();
        assertThat(b.readFrom(new ByteArrayInputStream(new byte[100_000]), 150_000)).isTrue();
        assertThat(b.length).isEqualTo(100_000);
        b.release();
    }
}
