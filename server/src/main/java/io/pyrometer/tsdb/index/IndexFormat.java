package io.pyrometer.tsdb.index;

/** Constants of the index file format v2; see {@code server/docs/format/index.md}. */
public final class IndexFormat {
    public static final int MAGIC_INDEX = 0xBAAAD700;
    public static final int HEADER_LEN = 5;
    public static final int FORMAT_V2 = 2;
    /**
     * Same layout as v2; the bump (Prometheus 2.55+) only marks indexes that may omit the label
     * index sections, which v2 readers never used. Read like v2.
     */
    public static final int FORMAT_V3 = 3;
    public static final int SERIES_BYTE_ALIGN = 16;
    public static final int POSTINGS_BYTE_ALIGN = 4;
    public static final int CRC32_SIZE = 4;
    /** Six 8-byte section offsets and a CRC32. */
    public static final int INDEX_TOC_LEN = 6 * 8 + CRC32_SIZE;
    /** Entries per postings offset table entry key: name and value. */
    public static final int POSTINGS_KEY_COUNT = 2;
    /** The name and value of the special list of all series. */
    public static final String ALL_POSTINGS_KEY = "";
    public static final String INDEX_FILENAME = "index";

    private IndexFormat() {}
}
