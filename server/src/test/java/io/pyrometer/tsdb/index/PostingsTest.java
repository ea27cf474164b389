package io.pyrometer.tsdb.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class PostingsTest {

    static long[] randomSorted(Random r, int n, int universe) {
        TreeSet<Long> s = new TreeSet<>();
        while (s.size() < n) s.add((long) r.nextInt(universe));
        return s.stream().mapToLong(Long::longValue).toArray();
    }

    /** A postings list laid out as in the index file: big-endian uint32 refs. */
    static Postings mapped(Arena arena, long[] refs) {
        MemorySegment seg = arena.allocate(4L * refs.length + 8);
        for (int i = 0; i < refs.length; i++) seg.set(Decbuf.BE_INT, 8 + 4L * i, (int) refs[i]);
        return new PostingsOps.ListPostings(seg, 8, refs.length);
    }

    @Test
    void intersectMergeAndWithoutAgreeWithSetAlgebra() {
        long seed = io.pyrometer.testing.Seeds.seed("PostingsTest.seed");
        System.out.println("PostingsTest seed=" + seed);
        Random r = new Random(seed);
        try (Arena arena = Arena.ofConfined()) {
            for (int round = 0; round < 200; round++) {
                int universe = 1 + r.nextInt(5_000);
                int k = 1 + r.nextInt(4);
                List<long[]> lists = new ArrayList<>();
                for (int i = 0; i < k; i++) lists.add(randomSorted(r, r.nextInt(Math.min(universe, 800) + 1), universe));
                TreeSet<Long> inter = set(lists.getFirst()), union = new TreeSet<>();
                for (long[] l : lists) {
                    inter.retainAll(set(l));
                    union.addAll(set(l));
                }
                assertThat(Postings.toArray(Postings.intersect(wrap(arena, lists)))).as("seed=%d round=%d", seed, round)
                        .containsExactly(inter.stream().mapToLong(Long::longValue).toArray());
                assertThat(Postings.toArray(Postings.merge(wrap(arena, lists)))).as("seed=%d round=%d", seed, round)
                        .containsExactly(union.stream().mapToLong(Long::longValue).toArray());
                TreeSet<Long> diff = set(lists.getFirst());
                if (k > 1) diff.removeAll(set(lists.get(1)));
                Postings w = k > 1 ? Postings.without(mapped(arena, lists.getFirst()), mapped(arena, lists.get(1))) : mapped(arena, lists.getFirst());
                assertThat(Postings.toArray(w)).as("seed=%d round=%d", seed, round).containsExactly(diff.stream().mapToLong(Long::longValue).toArray());
            }
        }
    }

    @Test
    void seekFindsFirstAtOrAfterAndNeverGoesBack() {
        try (Arena arena = Arena.ofConfined()) {
            Postings p = mapped(arena, new long[] {2, 4, 8, 16, 32, 64, 128});
            assertThat(p.seek(5)).isTrue();
            assertThat(p.at()).isEqualTo(8);
            assertThat(p.seek(1)).isTrue();
            assertThat(p.at()).isEqualTo(8);
            assertThat(p.seek(64)).isTrue();
            assertThat(p.at()).isEqualTo(64);
            assertThat(p.next()).isTrue();
            assertThat(p.at()).isEqualTo(128);
            assertThat(p.seek(129)).isFalse();
            assertThat(p.next()).isFalse();
        }
    }

    @Test
    void refsAboveTwoToThe31AreUnsigned() {
        try (Arena arena = Arena.ofConfined()) {
            Postings p = mapped(arena, new long[] {1, 0x8000_0000L, 0xFFFF_FFFFL});
            assertThat(Postings.toArray(p)).containsExactly(1, 0x8000_0000L, 0xFFFF_FFFFL);
        }
    }

    static List<Postings> wrap(Arena arena, List<long[]> lists) {
        List<Postings> out = new ArrayList<>();
        for (long[] l : lists) out.add(mapped(arena, l));
        return out;
    }

    static TreeSet<Long> set(long[] a) {
        TreeSet<Long> s = new TreeSet<>();
        for (long x : a) s.add(x);
        return s;
    }
}
