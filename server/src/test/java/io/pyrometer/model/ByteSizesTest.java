package io.pyrometer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected values follow alecthomas/units ParseBase2Bytes, which Prometheus uses for body_size_limit. */
class ByteSizesTest {

    @ParameterizedTest(name = "{0} -> {1} bytes")
    @CsvSource({
            "0, 0",
            "1B, 1",
            "512B, 512",
            "1KB, 1024",
            "1KiB, 1024",
            "10MB, 10485760",
            "10MiB, 10485760",
            "1GiB, 1073741824",
            "1GB512MB, 1610612736",
            "1.5KB, 1536",
            "2TB, 2199023255552",
    })
    void parsesBase2Sizes(String text, long bytes) {
        assertThat(ByteSizes.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "1024  | units: unknown unit  in 1024",
            "10kB  | units: unknown unit kB in 10kB",
            "10b   | units: unknown unit b in 10b",
            "MB    | units: invalid MB",
            "1GiB512MB | units: unknown unit GiB in 1GiB512MB",
    })
    void rejectsLikePrometheus(String text, String message) {
        assertThatThrownBy(() -> ByteSizes.parse(text)).hasMessage(message);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"0, 0B", "1, 1B", "1024, 1KiB", "1536, 1KiB512B", "10485760, 10MiB", "1073741824, 1GiB"})
    void formatsLikeBase2BytesString(long bytes, String text) {
        assertThat(ByteSizes.format(bytes)).isEqualTo(text);
    }
}
