package io.pyrometer.tsdb.wal;

import java.util.Arrays;

/**
 * Decoder for the Snappy block format (not the framed one), which Prometheus uses for WAL records
 * when {@code --storage.tsdb.wal-compression} is on (the default since 2.20): a WAL written by
 * Prometheus must replay here. We never compress what we write.
 *
 * <pre>
 * uncompressed length <uvarint> │ element…
 * element tag low 2 bits: 00 literal (length in tag, or in 1-4 following LE bytes when tag>>2 ≥ 60)
 *                         01 copy, 3-bit length-4 and 11-bit offset │ 10 copy, 2-byte LE offset │ 11 copy, 4-byte LE offset
 * </pre>
 */
final class Snappy {
    private Snappy() {}

    /** Thrown for malformed input; a WAL reader reports it as corruption. */
    static final class SnappyException extends Exception {
        SnappyException(String msg) { super(msg, null, false, false); }
    }

    /** Decodes {@code src[0, len)} into {@code dst} (grown when needed); returns the buffer, length in {@code outLen[0]}. */
    static byte[] decode(byte[] src, int len, byte[] dst, int[] outLen) throws SnappyException {
        int i = 0;
        long n = 0;
        for (int shift = 0; ; shift += 7) {
            if (i >= len || shift > 28) throw new SnappyException("bad snappy length preamble");
            int b = src[i++] & 0xFF;
            n |= (long) (b & 0x7F) << shift;
            if (b < 0x80) break;
        }
        if (n > Integer.MAX_VALUE - 16) throw new SnappyException("snappy length too large [length=" + n + "]");
        if (dst.length < n) dst = Arrays.copyOf(dst, (int) n);
        int d = 0;
        while (i < len) {
            int tag = src[i++] & 0xFF;
            int elemLen;
            int offset;
            switch (tag & 3) {
                case 0 -> {
                    elemLen = tag >>> 2;
                    if (elemLen >= 60) {
                        int bytes = elemLen - 59;
                        if (i + bytes > len) throw new SnappyException("truncated snappy literal length");
                        elemLen = 0;
                        for (int k = 0; k < bytes; k++) elemLen |= (src[i + k] & 0xFF) << (8 * k);
                        i += bytes;
                    }
                    elemLen += 1;
                    if (elemLen <= 0 || i + elemLen > len || d + elemLen > n) throw new SnappyException("snappy literal out of range");
                    System.arraycopy(src, i, dst, d, elemLen);
                    i += elemLen;
                    d += elemLen;
                    continue;
                }
                case 1 -> {
                    if (i >= len) throw new SnappyException("truncated snappy copy");
                    elemLen = 4 + ((tag >>> 2) & 7);
                    offset = ((tag & 0xE0) << 3) | (src[i++] & 0xFF);
                }
                case 2 -> {
                    if (i + 2 > len) throw new SnappyException("truncated snappy copy");
                    elemLen = 1 + (tag >>> 2);
                    offset = (src[i] & 0xFF) | (src[i + 1] & 0xFF) << 8;
                    i += 2;
                }
                default -> {
                    if (i + 4 > len) throw new SnappyException("truncated snappy copy");
                    elemLen = 1 + (tag >>> 2);
                    offset = (src[i] & 0xFF) | (src[i + 1] & 0xFF) << 8 | (src[i + 2] & 0xFF) << 16 | (src[i + 3] & 0xFF) << 24;
                    i += 4;
                }
            }
            if (offset <= 0 || offset > d || d + elemLen > n) throw new SnappyException("snappy copy out of range [offset=" + offset + "]");
            for (int k = 0; k < elemLen; k++, d++) dst[d] = dst[d - offset]; // may overlap: byte by byte
        }
        if (d != n) throw new SnappyException("snappy length mismatch [want=" + n + ", got=" + d + "]");
        outLen[0] = d;
        return dst;
    }
}
