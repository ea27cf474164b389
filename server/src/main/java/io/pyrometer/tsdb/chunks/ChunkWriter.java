package io.pyrometer.tsdb.chunks;

import static io.pyrometer.tsdb.chunks.ChunkFormat.*;

import io.pyrometer.tsdb.chunkenc.Encoding;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Writes chunks into numbered segment files under a block's {@code chunks/} directory and hands
 * back their references. Cuts a new file before a chunk would cross {@code segmentSize}.
 * Not thread-safe; {@link #close()} fsyncs every file and is idempotent.
 */
public final class ChunkWriter implements AutoCloseable {
    private final Path dir;
    private final long segmentSize;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
    private final CRC32C crc = new CRC32C();
    private final byte[] varint = new byte[MAX_CHUNK_LENGTH_FIELD_SIZE + 5];
    private FileChannel out;
    private int segment = -1;
    private long pos;       // bytes written to the current segment, buffered included
    private boolean closed;

    public ChunkWriter(Path chunksDir) throws IOException {
        this(chunksDir, DEFAULT_SEGMENT_SIZE);
    }

    public ChunkWriter(Path chunksDir, long segmentSize) throws IOException {
        this.dir = Files.createDirectories(chunksDir);
        this.segmentSize = segmentSize;
    }

    /** Appends one chunk ({@code data} is the encoded chunk, header included); returns its reference. */
    public long write(Encoding encoding, MemorySegment data) throws IOException {
        long len = data.byteSize();
        int vlen = putUvarint(varint, len);
        long size = vlen + CHUNK_ENCODING_SIZE + len + CRC32_SIZE;
        if (out == null || (pos + size > segmentSize && pos > SEGMENT_HEADER_SIZE)) cut();
        long ref = chunkRef(segment, pos);
        put(ByteBuffer.wrap(varint, 0, vlen));
        crc.reset();
        crc.update(encoding.code());
        put(ByteBuffer.wrap(new byte[] {(byte) encoding.code()}));
        ByteBuffer body = data.asByteBuffer();
        crc.update(body.duplicate());
        put(body);
        put(ByteBuffer.allocate(4).putInt(0, (int) crc.getValue()));
        return ref;
    }

    private void cut() throws IOException {
        finishSegment();
        segment++;
        out = FileChannel.open(dir.resolve(segmentName(segment)),
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        pos = 0;
        ByteBuffer h = ByteBuffer.allocate(SEGMENT_HEADER_SIZE);
        h.putInt(MAGIC_CHUNKS).put((byte) CHUNKS_FORMAT_V1).put(new byte[SEGMENT_HEADER_PADDING_SIZE]).flip();
        put(h);
    }

    private void put(ByteBuffer src) throws IOException {
        pos += src.remaining();
        while (src.hasRemaining()) {
            if (!buf.hasRemaining()) flush();
            int n = Math.min(buf.remaining(), src.remaining());
            ByteBuffer slice = src.slice(src.position(), n);
            buf.put(slice);
            src.position(src.position() + n);
        }
    }

    private void flush() throws IOException {
        buf.flip();
        while (buf.hasRemaining()) out.write(buf);
        buf.clear();
    }

    private void finishSegment() throws IOException {
        if (out == null) return;
        flush();
        out.force(true);
        out.close();
        out = null;
    }

    /** Number of segment files written so far. */
    public int segments() { return segment + 1; }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        finishSegment();
    }

    static int putUvarint(byte[] b, long x) {
        int i = 0;
        while (Long.compareUnsigned(x, 0x80) >= 0) {
            b[i++] = (byte) (x | 0x80);
            x >>>= 7;
        }
        b[i++] = (byte) x;
        return i;
    }
}
