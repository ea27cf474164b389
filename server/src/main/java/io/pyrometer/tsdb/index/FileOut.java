package io.pyrometer.tsdb.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A buffered, position-tracking file writer that fsyncs on close. */
final class FileOut implements AutoCloseable {
    private final FileChannel ch;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
    private long pos;
    private boolean closed;

    FileOut(Path file) throws IOException {
        ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
    }

    long pos() { return pos; }

    void write(byte[] b, int off, int len) throws IOException {
        pos += len;
        while (len > 0) {
            if (!buf.hasRemaining()) flush();
            int n = Math.min(len, buf.remaining());
            buf.put(b, off, n);
            off += n;
            len -= n;
        }
    }

    void write(Encbuf e) throws IOException {
        write(e.array(), 0, e.len());
    }

    /** Zero bytes until the position is a multiple of {@code align}. */
    void pad(int align) throws IOException {
        int p = (int) (pos % align);
        if (p != 0) write(new byte[align - p], 0, align - p);
    }

    private void flush() throws IOException {
        buf.flip();
        while (buf.hasRemaining()) ch.write(buf);
        buf.clear();
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        try {
            flush();
            ch.force(true);
        } finally {
            ch.close();
        }
    }
}
