package io.pyrometer.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyrometer.testing.Seeds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChunkArenaTest {

    @ParameterizedTest(name = "{0} bytes -> slot of {1}")
    @CsvSource({"1, 32", "32, 32", "33, 48", "129, 160", "1025, 1280", "5120, 5120", "5121, 6144", "70000, 70656"})
    void allocatesTheSmallestClassThatFits(int bytes, int capacity) {
        ChunkArena a = new ChunkArena();
        int h = a.allocate(bytes);
        assertThat(a.capacity(h)).isEqualTo(capacity).isEqualTo(ChunkArena.slotSize(bytes));
        assertThat(ChunkArena.offset(h) + a.capacity(h)).isLessThanOrEqualTo(a.array(h).length);
        assertThat(a.slotBytes()).isEqualTo(capacity);
    }

    @Test
    void growKeepsTheBytesAndMovesToALargerSlot() {
        ChunkArena a = new ChunkArena();
        int h = a.allocate(32);
        for (int i = 0; i < 32; i++) a.array(h)[ChunkArena.offset(h) + i] = (byte) i;
        int g = a.grow(h, 32, 33);
        assertThat(a.capacity(g)).isEqualTo(48);
        for (int i = 0; i < 32; i++) assertThat(a.array(g)[ChunkArena.offset(g) + i]).isEqualTo((byte) i);
        assertThat(a.slotBytes()).isEqualTo(48);
        assertThatThrownBy(() -> a.free(h)).isInstanceOf(IllegalStateException.class).hasMessageContaining("freed twice");
    }

    @Test
    void hugeChunksGrowByHalfAndGoBackWhenFreed() {
        ChunkArena a = new ChunkArena();
        int h = a.allocate(5121);
        int g = a.grow(h, 5121, 5122);
        assertThat(a.capacity(g)).isGreaterThanOrEqualTo(6144 * 3 / 2);
        a.free(g);
        assertThat(a.slotBytes()).isZero();
        assertThat(a.slabBytes()).isZero();
    }

    /**
     * Slots never overlap, and after a churn (every series gone) and a trim the arena gives its
     * slabs back but for at most one per class, so memory follows the number of active series.
     */
    @Test
    void randomChurnKeepsSlotsDisjointAndTrimReleasesEmptySlabs() {
        long seed = Seeds.seed("ChunkArenaTest.churn");
        Random r = new Random(seed);
        ChunkArena a = new ChunkArena();
        Map<Integer, Byte> live = new HashMap<>(); // handle -> fill byte
        List<Integer> handles = new ArrayList<>();
        for (int step = 0; step < 200_000; step++) {
            if (handles.isEmpty() || r.nextInt(3) > 0 && handles.size() < 20_000) {
                int h = a.allocate(1 + r.nextInt(r.nextInt(10) == 0 ? 8000 : 600));
                byte fill = (byte) r.nextInt();
                java.util.Arrays.fill(a.array(h), ChunkArena.offset(h), ChunkArena.offset(h) + a.capacity(h), fill);
                assertThat(live.put(h, fill)).as("seed %d: handle %d handed out twice", seed, h).isNull();
                handles.add(h);
            } else {
                int h = handles.remove(r.nextInt(handles.size()));
                byte fill = live.remove(h);
                byte[] arr = a.array(h);
                int from = ChunkArena.offset(h), to = from + a.capacity(h);
                for (int i = from; i < to; i++) {
                    if (arr[i] != fill) throw new AssertionError("seed " + seed + ": slot " + h + " overwritten at byte " + (i - from));
                }
                a.free(h);
            }
        }
        for (int h : handles) a.free(h);
        assertThat(a.slotBytes()).isZero();
        assertThat(a.trim()).as("seed %d: spare slabs", seed).isPositive();
        assertThat(a.slabBytes()).as("seed %d", seed).isLessThanOrEqualTo(22L * ChunkArena.SLAB_BYTES);
    }
}
