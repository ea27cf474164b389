package io.pyrometer.config;

import java.nio.file.Path;

/**
 * A configuration the loader refuses. {@link #getMessage()} reads
 * {@code prometheus.yml:12:7: scrape_configs[1].scrape_timeout: <what is wrong>}; line and column are
 * 1-based and 0 when unknown (e.g. the file could not be read).
 */
public final class ConfigException extends Exception {
    private final transient Path file;
    private final int line;
    private final int column;
    private final String path;
    private final String detail;

    public ConfigException(Path file, int line, int column, String path, String detail) {
        super(format(file, line, column, path, detail));
        this.file = file;
        this.line = line;
        this.column = column;
        this.path = path;
        this.detail = detail;
    }

    public ConfigException(Path file, String detail, Throwable cause) {
        super(format(file, 0, 0, "", detail), cause);
        this.file = file;
        this.line = 0;
        this.column = 0;
        this.path = "";
        this.detail = detail;
    }

    private static String format(Path file, int line, int column, String path, String detail) {
        StringBuilder sb = new StringBuilder();
        sb.append(file == null ? "<config>" : file.toString());
        if (line > 0) sb.append(':').append(line).append(':').append(column);
        sb.append(": ");
        if (path != null && !path.isEmpty()) sb.append(path).append(": ");
        return sb.append(detail).toString();
    }

    public Path file() { return file; }
    public int line() { return line; }
    public int column() { return column; }
    /** The YAML path of the offending node, e.g. {@code scrape_configs[1].scrape_timeout}; empty at top level. */
    public String path() { return path; }
    /** The message without position, in Prometheus's wording where it has one. */
    public String detail() { return detail; }
}
