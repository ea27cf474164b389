package io.pyrometer.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Readers that outlive the head's isolation bookkeeping are marked, so their query is warned. */
class IsolationTest {
    @Test
    void aReaderPastTheMaxAgeIsMarkedOnceACommitItMayNotSeeEnds() {
        Isolation iso = new Isolation(0); // every reader is past the age at once
        Isolation.State r = iso.acquire();
        long id = iso.begin();
        assertThat(r.partial()).as("nothing it may not see has ended yet").isFalse();
        iso.end(id);
        assertThat(r.partial()).isTrue();
        assertThat(r.visible(id)).as("still invisible by id").isFalse();
        iso.release(r);
    }

    @Test
    void aYoungReaderHoldsBackTheWatermarkAndStaysWhole() {
        Isolation iso = new Isolation();
        Isolation.State r = iso.acquire();
        long id = iso.begin();
        iso.end(id);
        assertThat(r.partial()).isFalse();
        assertThat(iso.lowWatermark()).as("commits the reader may not see stay remembered").isLessThanOrEqualTo(id);
        iso.release(r);
        assertThat(iso.lowWatermark()).isGreaterThan(id);
    }

    @Test
    void aForcedDropMarksOnlyReadersThatMayNotSeeTheCommit() {
        Isolation iso = new Isolation();
        long first = iso.begin();
        iso.end(first);
        Isolation.State old = iso.acquire();   // sees `first`
        long second = iso.begin();
        iso.end(second);
        Isolation.State young = iso.acquire(); // sees both
        iso.forcedDrop(second);
        assertThat(old.partial()).isTrue();
        assertThat(young.partial()).isFalse();
        iso.release(old);
        iso.release(young);
    }
}
