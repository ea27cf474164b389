package io.pyrometer.alerting.types;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes the router's state files (silences, notification log) as one JSON array: into a
 * sibling temp file first, then renamed over the old one, so a crash mid-write leaves the previous
 * snapshot intact. A failure is logged, never thrown: the in-memory state stays authoritative.
 */
public final class JsonSnapshot {
    private JsonSnapshot() {}

    /** Writes one element of the array. */
    @FunctionalInterface
    public interface Elements {
        void writeAll(JsonGenerator g) throws IOException;
    }

    /** Replaces {@code file} with {@code [elements...]}; {@code what} names it in the error log. */
    public static void write(Path file, String what, Elements elements) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (OutputStream os = Files.newOutputStream(tmp);
                 JsonGenerator g = new JsonFactory().createGenerator(os, JsonEncoding.UTF8)) {
                g.writeStartArray();
                elements.writeAll(g);
                g.writeEndArray();
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            System.getLogger(JsonSnapshot.class.getName()).log(System.Logger.Level.ERROR,
                    "writing " + what + " snapshot failed file=" + file + " err=\"" + e.getMessage() + "\"");
        }
    }
}
