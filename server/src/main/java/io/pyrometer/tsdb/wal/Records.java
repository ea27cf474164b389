package io.pyrometer.tsdb.wal;

import io.pyrometer.model.Labels;
import java.util.Arrays;
import java.util.List;

/**
 * WAL record encodings, byte-compatible with Prometheus's {@code tsdb/record} package.
 *
 * <pre>
 * series:     type(1)=1 │ { ref BE64 │ n uvarint │ { name uvarintStr │ value uvarintStr }×n }…
 * samples:    type(1)=2 │ baseRef BE64 │ baseT BE64 │ { ref-baseRef varint │ t-baseT varint │ value BE64 }…
 * tombstones: type(1)=3 │ { ref BE64 │ mint varint │ maxt varint }…
 * </pre>
 */
public final class Records {
    private Records() {}

    public static final int SERIES = 1;
    public static final int SAMPLES = 2;
    public static final int TOMBSTONES = 3;

    /** One series definition. */
    public record RefSeries(long ref, Labels labels) {}

    /** One deleted interval of one series (both ends inclusive). */
    public record Tombstone(long ref, long mintMs, long maxtMs) {}

    /** The record type byte, or -1 for an empty record. */
    public static int type(byte[] rec, int len) { return len == 0 ? -1 : rec[0] & 0xFF; }

    public static void encodeSeries(Encbuf buf, List<RefSeries> series) {
        buf.putByte(SERIES);
        for (RefSeries s : series) encodeOneSeries(buf, s.ref(), s.labels());
    }

    /** Appends one series entry to a series record already started with {@link #SERIES}. */
    public static void encodeOneSeries(Encbuf buf, long ref, Labels labels) {
        buf.putBE64(ref);
        buf.putUvarint(labels.size());
        for (int i = 0; i < labels.size(); i++) {
            buf.putUvarintStr(labels.name(i));
            buf.putUvarintStr(labels.value(i));
        }
    }

    /** Decodes a series record; labels are returned as given (sorted, as written). */
    public static void decodeSeries(Decbuf d, List<RefSeries> out) {
        if (d.getByte() != SERIES) throw new IllegalArgumentException("not a series record");
        while (d.remaining() > 0 && d.err() == null) {
            long ref = d.getBE64();
            int n = (int) d.getUvarint();
            if (n < 0 || n > d.remaining()) throw new IllegalArgumentException("invalid label count [count=" + n + "]");
            String[] pairs = new String[n * 2];
            for (int i = 0; i < pairs.length; i++) pairs[i] = d.getUvarintStr();
            if (d.err() != null) break;
            out.add(new RefSeries(ref, Labels.of(pairs)));
        }
        if (d.err() != null) throw new IllegalArgumentException("decode series record: " + d.err());
    }

    public static void encodeSamples(Encbuf buf, SampleBatch batch) {
        buf.putByte(SAMPLES);
        if (batch.n == 0) return;
        long baseRef = batch.refs[0], baseT = batch.ts[0];
        buf.putBE64(baseRef);
        buf.putBE64(baseT);
        for (int i = 0; i < batch.n; i++) {
            buf.putVarint(batch.refs[i] - baseRef);
            buf.putVarint(batch.ts[i] - baseT);
            buf.putBE64(Double.doubleToRawLongBits(batch.vs[i]));
        }
    }

    /** Decodes a samples record into {@code out} (cleared first). */
    public static void decodeSamples(Decbuf d, SampleBatch out) {
        out.clear();
        if (d.getByte() != SAMPLES) throw new IllegalArgumentException("not a samples record");
        if (d.remaining() == 0) return;
        long baseRef = d.getBE64(), baseT = d.getBE64();
        while (d.remaining() > 0 && d.err() == null) {
            long ref = baseRef + d.getVarint();
            long t = baseT + d.getVarint();
            double v = Double.longBitsToDouble(d.getBE64());
            if (d.err() == null) out.add(ref, t, v);
        }
        if (d.err() != null) throw new IllegalArgumentException("decode samples record: " + d.err());
    }

    public static void encodeTombstones(Encbuf buf, List<Tombstone> stones) {
        buf.putByte(TOMBSTONES);
        for (Tombstone s : stones) {
            buf.putBE64(s.ref());
            buf.putVarint(s.mintMs());
            buf.putVarint(s.maxtMs());
        }
    }

    public static void decodeTombstones(Decbuf d, List<Tombstone> out) {
        if (d.getByte() != TOMBSTONES) throw new IllegalArgumentException("not a tombstones record");
        while (d.remaining() > 0 && d.err() == null) {
            long ref = d.getBE64(), mint = d.getVarint(), maxt = d.getVarint();
            if (d.err() == null) out.add(new Tombstone(ref, mint, maxt));
        }
        if (d.err() != null) throw new IllegalArgumentException("decode tombstones record: " + d.err());
    }

    /** Parallel arrays of (ref, t, v): a samples record without one object per sample. */
    public static final class SampleBatch {
        public long[] refs = new long[64];
        public long[] ts = new long[64];
        public double[] vs = new double[64];
        public int n;

        public void clear() { n = 0; }

        public void add(long ref, long t, double v) {
            if (n == refs.length) {
                refs = Arrays.copyOf(refs, n * 2);
                ts = Arrays.copyOf(ts, n * 2);
                vs = Arrays.copyOf(vs, n * 2);
            }
            refs[n] = ref;
            ts[n] = t;
            vs[n] = v;
            n++;
        }
    }
}
