package io.pyrometer.model.textparse;

import java.util.List;
import java.util.Locale;

/**
 * Picks a parser for a scrape response and builds the Accept header, as Prometheus 3 does.
 *
 * <pre>{@code
 * request.header("Accept", ExpositionParsers.acceptHeader());
 * ExpositionParser p = ExpositionParsers.forContentType(response.contentType(), body, length);
 * }</pre>
 */
public final class ExpositionParsers {
    /** Prometheus 3's default {@code scrape_protocols}, in order of preference. */
    public static final List<ScrapeProtocol> DEFAULT_SCRAPE_PROTOCOLS = List.of(
            ScrapeProtocol.OPENMETRICS_TEXT_1_0_0, ScrapeProtocol.OPENMETRICS_TEXT_0_0_1,
            ScrapeProtocol.PROMETHEUS_TEXT_1_0_0, ScrapeProtocol.PROMETHEUS_TEXT_0_0_4);

    /** Prometheus 3's default {@code metric_name_escaping_scheme} when names may be UTF-8. */
    public static final String DEFAULT_ESCAPING_SCHEME = "allow-utf-8";

    private ExpositionParsers() {}

    /**
     * Picks the parser by Content-Type: OpenMetrics for {@code application/openmetrics-text}, the
     * text format for {@code text/plain}; a blank, unparsable or unsupported Content-Type (including
     * protobuf, which Pyrometer does not ask for) falls back to the text format, which is what
     * Prometheus does with {@code fallback_scrape_protocol: PrometheusText0.0.4}. Never throws.
     */
    public static ExpositionParser forContentType(String contentType, byte[] body, int length) {
        String mediaType = mediaType(contentType);
        if ("application/openmetrics-text".equals(mediaType)) return new OpenMetricsParser(body, length);
        return new PromTextParser(body, length);
    }

    /**
     * The labels of one series text ({@code name{labels}} as {@link ExpositionParser#seriesStart()}
     * to {@link ExpositionParser#seriesEnd()} delimited it), as {@link ExpositionParser#labels()}
     * gave them when the line was parsed after a TYPE line of {@code lastType}. For a scraper that
     * keeps series texts instead of labels.
     *
     * @throws TextParseException if the text is not one series text of the format
     */
    public static io.pyrometer.model.Labels seriesLabels(byte[] text, int from, int to, boolean openMetrics, MetricType lastType)
            throws TextParseException {
        byte[] tail = (openMetrics ? " 0\n# EOF\n" : " 0\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] line = java.util.Arrays.copyOfRange(text, from, to + tail.length);
        System.arraycopy(tail, 0, line, to - from, tail.length);
        TextParserBase p = openMetrics ? new OpenMetricsParser(line) : new PromTextParser(line);
        ExpositionParser ep = (ExpositionParser) p;
        if (ep.next() != ExpositionParser.Entry.SERIES || ep.seriesEnd() != to - from) {
            throw new TextParseException(0, 0, "not a series text: " + TextParserBase.goQuote(text, from, to));
        }
        p.lastType(lastType);
        return ep.labels();
    }

    /**
     * Like Prometheus's {@code textparse.New}: the Content-Type decides if it is one of the text
     * formats; otherwise {@code fallback} is used, and without one the scrape fails with
     * Prometheus's message (reported as a {@link TextParseException} at line 0, column 0).
     *
     * @param fallback the target's {@code fallback_scrape_protocol}, or null
     */
    public static ExpositionParser forContentType(String contentType, byte[] body, int length, ScrapeProtocol fallback)
            throws TextParseException {
        String mediaType = mediaType(contentType);
        if ("application/openmetrics-text".equals(mediaType)) return new OpenMetricsParser(body, length);
        if ("text/plain".equals(mediaType)) return new PromTextParser(body, length);
        if (fallback != null && fallback != ScrapeProtocol.PROMETHEUS_PROTO) {
            return fallback.mediaType().equals("application/openmetrics-text")
                    ? new OpenMetricsParser(body, length)
                    : new PromTextParser(body, length);
        }
        String why;
        if (contentType == null || contentType.isBlank()) {
            why = "non-compliant scrape target sending blank Content-Type and no fallback_scrape_protocol specified for target";
        } else if (mediaType == null) {
            why = "cannot parse Content-Type \"" + contentType + "\" and no fallback_scrape_protocol for target";
        } else {
            why = "received unsupported Content-Type \"" + contentType + "\" and no fallback_scrape_protocol specified for target";
        }
        throw new TextParseException(0, 0, why);
    }

    /**
     * The bare, lower-cased media type of a Content-Type header ({@code type/subtype} before any
     * parameters), or null if blank or not of that shape (RFC 7231 token characters).
     */
    static String mediaType(String contentType) {
        if (contentType == null) return null;
        int semi = contentType.indexOf(';');
        String mt = (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        int slash = mt.indexOf('/');
        if (slash <= 0 || slash == mt.length() - 1 || mt.indexOf('/', slash + 1) >= 0) return null;
        for (int i = 0; i < mt.length(); i++) {
            char c = mt.charAt(i);
            if (c != '/' && !isTokenChar(c)) return null;
        }
        return mt;
    }

    private static boolean isTokenChar(char c) {
        return c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?=".indexOf(c) < 0;
    }

    /** The Accept header Prometheus 3 sends by default. */
    public static String acceptHeader() {
        return acceptHeader(DEFAULT_SCRAPE_PROTOCOLS, DEFAULT_ESCAPING_SCHEME);
    }

    /**
     * The Accept header for the given protocols in order, as Prometheus builds it: q-values from
     * 0.6 down (six slots: one per protocol Prometheus knows plus one), {@code escaping=} on the
     * 1.0.0 text formats, and {@code *}{@code /*} last.
     *
     * @param escapingScheme e.g. {@code allow-utf-8}, {@code underscores}, {@code dots}, {@code values}
     */
    public static String acceptHeader(List<ScrapeProtocol> protocols, String escapingScheme) {
        StringBuilder sb = new StringBuilder(256);
        int weight = ScrapeProtocol.values().length + 1;
        for (ScrapeProtocol p : protocols) {
            sb.append(p.header());
            if (p.takesEscaping()) sb.append(";escaping=").append(escapingScheme);
            sb.append(";q=0.").append(weight).append(',');
            weight--;
        }
        return sb.append("*/*;q=0.").append(weight).toString();
    }
}
