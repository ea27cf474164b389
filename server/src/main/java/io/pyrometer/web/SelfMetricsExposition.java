package io.pyrometer.web;

import io.pyrometer.model.SelfMetricFamily;
import io.pyrometer.model.textparse.MetricType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Writes {@link SelfMetricFamily} families after what client_java wrote for the registry, in the
 * format /metrics negotiated: text 0.0.4 lines appended; OpenMetrics lines inserted before
 * {@code # EOF}; length-delimited {@code io.prometheus.client.MetricFamily} messages appended for
 * the protobuf format. Values are read once per scrape.
 */
final class SelfMetricsExposition {
    private static final byte[] OM_EOF = "# EOF\n".getBytes(StandardCharsets.US_ASCII);
    // io.prometheus.client.MetricType enum values and field numbers of metrics.proto
    private static final int PROTO_COUNTER = 0, PROTO_GAUGE = 1;
    private static final int MF_NAME = 1, MF_HELP = 2, MF_TYPE = 3, MF_METRIC = 4;
    private static final int METRIC_GAUGE = 2, METRIC_COUNTER = 3, VALUE = 1;

    private SelfMetricsExposition() {}

    /** The exposition formats client_java negotiates, told apart by their content type. */
    enum Format {
        TEXT, OPENMETRICS, PROTOBUF;

        static Format of(String contentType) {
            if (contentType.startsWith("application/openmetrics-text")) return OPENMETRICS;
            if (contentType.startsWith("application/vnd.google.protobuf")) return PROTOBUF;
            return TEXT;
        }
    }

    /** Writes {@code registryOutput} (complete, as client_java wrote it) with {@code families} added to {@code out}. */
    static void write(OutputStream out, Format format, byte[] registryOutput, List<SelfMetricFamily> families) throws IOException {
        if (families.isEmpty()) {
            out.write(registryOutput);
            return;
        }
        switch (format) {
            case TEXT -> {
                out.write(registryOutput);
                out.write(text(families).getBytes(StandardCharsets.UTF_8));
            }
            case OPENMETRICS -> {
                int end = registryOutput.length;
                boolean eof = end >= OM_EOF.length && Arrays.equals(registryOutput, end - OM_EOF.length, end, OM_EOF, 0, OM_EOF.length);
                out.write(registryOutput, 0, eof ? end - OM_EOF.length : end);
                out.write(openMetrics(families).getBytes(StandardCharsets.UTF_8));
                out.write(OM_EOF);
            }
            case PROTOBUF -> {
                out.write(registryOutput);
                for (SelfMetricFamily f : families) writeDelimited(out, f);
            }
        }
    }

    static String text(List<SelfMetricFamily> families) {
        StringBuilder sb = new StringBuilder();
        for (SelfMetricFamily f : families) {
            sb.append("# HELP ").append(f.name()).append(' ').append(escapeHelp(f.help(), false)).append('\n');
            sb.append("# TYPE ").append(f.name()).append(' ').append(f.type() == MetricType.COUNTER ? "counter" : "gauge").append('\n');
            sb.append(f.name()).append(' ').append(format(f.value().getAsDouble())).append('\n');
        }
        return sb.toString();
    }

    static String openMetrics(List<SelfMetricFamily> families) {
        StringBuilder sb = new StringBuilder();
        for (SelfMetricFamily f : families) {
            String family = f.openMetricsName();
            sb.append("# TYPE ").append(family).append(' ').append(f.type().openMetricsName()).append('\n');
            sb.append("# HELP ").append(family).append(' ').append(escapeHelp(f.help(), true)).append('\n');
            sb.append(f.name()).append(' ').append(format(f.value().getAsDouble())).append('\n');
        }
        return sb.toString();
    }

    /** Text 0.0.4 escapes backslash and newline in HELP; OpenMetrics also the double quote. */
    private static String escapeHelp(String help, boolean quotes) {
        StringBuilder sb = new StringBuilder(help.length());
        for (int i = 0; i < help.length(); i++) {
            char c = help.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '"' -> sb.append(quotes ? "\\\"" : "\"");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Go's float forms both formats accept: {@code 12.0}, {@code 1.5E20}, {@code NaN}, {@code +Inf}. */
    static String format(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return (long) v + ".0";
        return Double.toString(v);
    }

    private static void writeDelimited(OutputStream out, SelfMetricFamily f) throws IOException {
        ByteArrayOutputStream value = new ByteArrayOutputStream(9);
        tag(value, VALUE, 1);
        long bits = Double.doubleToLongBits(f.value().getAsDouble());
        for (int i = 0; i < 8; i++) value.write((int) (bits >>> (8 * i))); // fixed64, little-endian
        ByteArrayOutputStream metric = new ByteArrayOutputStream(16);
        bytesField(metric, f.type() == MetricType.COUNTER ? METRIC_COUNTER : METRIC_GAUGE, value.toByteArray());
        ByteArrayOutputStream mf = new ByteArrayOutputStream(128);
        bytesField(mf, MF_NAME, f.name().getBytes(StandardCharsets.UTF_8));
        bytesField(mf, MF_HELP, f.help().getBytes(StandardCharsets.UTF_8));
        tag(mf, MF_TYPE, 0);
        varint(mf, f.type() == MetricType.COUNTER ? PROTO_COUNTER : PROTO_GAUGE);
        bytesField(mf, MF_METRIC, metric.toByteArray());
        varint(out, mf.size());
        mf.writeTo(out);
    }

    private static void bytesField(OutputStream out, int field, byte[] b) throws IOException {
        tag(out, field, 2);
        varint(out, b.length);
        out.write(b);
    }

    private static void tag(OutputStream out, int field, int wireType) throws IOException {
        varint(out, (field << 3) | wireType);
    }

    private static void varint(OutputStream out, long v) throws IOException {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
