package io.pyrometer.tsdb.chunkenc;

/** Chunk encodings with Prometheus's on-disk byte codes ({@code chunkenc.Encoding}). */
public enum Encoding {
    NONE(0),
    XOR(1),
    HISTOGRAM(2),
    FLOAT_HISTOGRAM(3);

    private final int code;

    Encoding(int code) { this.code = code; }

    /** The byte written before the chunk data in a chunk segment file. */
    public int code() { return code; }

    /** The encoding for a byte code, or null when unknown. */
    public static Encoding of(int code) {
        return switch (code) {
            case 0 -> NONE;
            case 1 -> XOR;
            case 2 -> HISTOGRAM;
            case 3 -> FLOAT_HISTOGRAM;
            default -> null;
        };
    }
}
