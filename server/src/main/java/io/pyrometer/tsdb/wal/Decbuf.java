package io.pyrometer.tsdb.wal;

import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link Encbuf} wrote. Errors are sticky: after a short read every getter returns 0
 * and {@link #err()} says what went wrong, so decoders check once at the end, as Prometheus does.
 */
public final class Decbuf {
    private byte[] b;
    private int pos;
    private int end;
    private String err;

    public Decbuf reset(byte[] buf, int off, int len) {
        this.b = buf;
        this.pos = off;
        this.end = off + len;
        this.err = null;
        return this;
    }

    public String err() { return err; }

    public int remaining() { return end - pos; }

    private boolean need(int n) {
        if (err != null) return false;
        if (end - pos < n) {
            err = "unexpected end of record [need=" + n + ", have=" + (end - pos) + "]";
            return false;
        }
        return true;
    }

    public int getByte() { return need(1) ? b[pos++] & 0xFF : 0; }

    public int getBE32() {
        if (!need(4)) return 0;
        int v = ((b[pos] & 0xFF) << 24) | ((b[pos + 1] & 0xFF) << 16) | ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    public long getBE64() {
        if (!need(8)) return 0;
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (b[pos++] & 0xFF);
        return v;
    }

    public long getUvarint() {
        long v = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (!need(1)) return 0;
            int c = b[pos++] & 0xFF;
            v |= (long) (c & 0x7F) << shift;
            if (c < 0x80) return v;
        }
        err = "varint overflows 64 bits";
        return 0;
    }

    public long getVarint() {
        long u = getUvarint();
        return (u >>> 1) ^ -(u & 1);
    }

    public String getUvarintStr() {
        long n = getUvarint();
        if (n < 0 || n > Integer.MAX_VALUE || !need((int) n)) return "";
        String s = new String(b, pos, (int) n, StandardCharsets.UTF_8);
        pos += (int) n;
        return s;
    }
}
