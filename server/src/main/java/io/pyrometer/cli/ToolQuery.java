package io.pyrometer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pyrometer.model.Durations;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code pyrometer tool query instant|range|series|labels <server> ...}: a client of the
 * Prometheus HTTP API with promtool's flags, defaults, requests (form POST falling back to GET on
 * 405, as client_golang) and output ({@link ToolQueryPrinter}). Errors go to stderr as
 * {@code query error: <type>: <message>} with exit code 1.
 */
final class ToolQuery {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final long HOUR_MS = 3600_000L;
    private static final Map<Character, String> SHORTS = Map.of('o', "format");

    private ToolQuery() {}

    /** An API or transport failure, with the text promtool prints after {@code query error: }. */
    static final class QueryException extends Exception {
        QueryException(String message) { super(message, null, false, false); }
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || ToolCommand.isHelp(args.getFirst())) {
            out.println("""
                    usage: pyrometer tool query <command> [<flags>] <server> ...

                    Run query against a Prometheus server.

                    Flags:
                      -o, --format=promql  Output format of the query (promql or json).

                    Commands:
                      query instant [<flags>] <server> <expr>
                      query range [<flags>] <server> <expr>
                      query series --match=MATCH [<flags>] <server>
                      query labels [<flags>] <server> <name>""");
            return args.isEmpty() ? ToolCommand.FAILURE : ToolCommand.SUCCESS;
        }
        // -o/--format belongs to "query" in promtool, so it may come before the subcommand
        List<String> leading = new ArrayList<>();
        int i = 0;
        while (i < args.size() && args.get(i).startsWith("-") && !ToolCommand.isHelp(args.get(i))) {
            String a = args.get(i++);
            leading.add(a);
            if ((a.equals("-o") || a.equals("--format")) && i < args.size()) leading.add(args.get(i++));
        }
        if (i >= args.size()) return ToolCommand.usageError(err, "expected command instant, range, series or labels");
        String cmd = args.get(i);
        List<String> rest = new ArrayList<>(leading);
        rest.addAll(args.subList(i + 1, args.size()));
        return switch (cmd) {
            case "instant" -> instant(rest, out, err);
            case "range" -> range(rest, out, err);
            case "series" -> series(rest, out, err);
            case "labels" -> labels(rest, out, err);
            default -> ToolCommand.usageError(err, "expected command instant, range, series or labels but got \"" + cmd + "\"");
        };
    }

    private static Flags flags(String cmd, String description) {
        return new Flags("pyrometer tool query " + cmd, description + "\n\nShort flags: -o for --format, -h for --help.")
                .string("format", "promql", "Output format of the query (promql or json).");
    }

    private static int instant(List<String> args, PrintStream out, PrintStream err) {
        Flags f = flags("instant", """
                Run instant query.

                Args:
                  <server>  Prometheus server to query.
                  <expr>    PromQL query expression.""")
                .string("time", "", "Query evaluation time (RFC3339 or Unix timestamp).");
        Integer rc = parse(f, args, List.of("server", "expr"), err, out);
        if (rc != null) return rc;
        String time = f.get("time");
        return call(err, () -> {
            Instant t = time.isEmpty() ? Instant.now() : parseTime(time, "error parsing evaluation time");
            Map<String, List<String>> form = form("query", f.positional().get(1), "time", formatTime(t));
            new ToolQueryPrinter(f.get("format"), out).printValue(post(f.positional().getFirst(), "/api/v1/query", form));
        });
    }

    private static int range(List<String> args, PrintStream out, PrintStream err) {
        Flags f = flags("range", """
                Run range query.

                Args:
                  <server>  Prometheus server to query.
                  <expr>    PromQL query expression.""")
                .string("header", "", "Extra headers to send to server (name=value), can be repeated.")
                .string("start", "", "Query range start time (RFC3339 or Unix timestamp).")
                .string("end", "", "Query range end time (RFC3339 or Unix timestamp).")
                .string("step", "", "Query step size (duration).");
        List<String> headers = new ArrayList<>();
        Integer rc = parse(f, ToolCommand.takeRepeated(args, "header", headers), List.of("server", "expr"), err, out);
        if (rc != null) return rc;
        return call(err, () -> {
            Instant end = f.get("end").isEmpty() ? Instant.now() : parseTime(f.get("end"), "error parsing end time");
            Instant start = f.get("start").isEmpty() ? end.minusSeconds(300) : parseTime(f.get("start"), "error parsing start time");
            if (!start.isBefore(end)) throw new UsageFailure("start time is not before end time");
            long stepMs;
            if (f.get("step").isEmpty()) {
                stepMs = Math.max((long) Math.floor(Duration.between(start, end).toMillis() / 1000.0 / 250), 1) * 1000;
            } else {
                try {
                    stepMs = Durations.parseMs(f.get("step"));
                } catch (IllegalArgumentException e) {
                    throw new UsageFailure("error parsing step: " + e.getMessage());
                }
            }
            Map<String, List<String>> form = form("query", f.positional().get(1), "start", formatTime(start), "end", formatTime(end),
                    "step", ToolFormat.seconds(stepMs));
            new ToolQueryPrinter(f.get("format"), out).printValue(post(f.positional().getFirst(), "/api/v1/query_range", form, headers));
        });
    }

    private static int series(List<String> args, PrintStream out, PrintStream err) {
        Flags f = flags("series", """
                Run series query.

                Args:
                  <server>  Prometheus server to query.""")
                .string("match", "", "Series selector. Can be specified multiple times.")
                .string("start", "", "Start time (RFC3339 or Unix timestamp).")
                .string("end", "", "End time (RFC3339 or Unix timestamp).");
        List<String> matches = new ArrayList<>();
        Integer rc = parse(f, ToolCommand.takeRepeated(args, "match", matches), List.of("server"), err, out);
        if (rc != null) return rc;
        if (matches.isEmpty()) return ToolCommand.usageError(err, "required flag --match not provided");
        return call(err, () -> {
            Instant[] range = startAndEnd(f);
            Map<String, List<String>> form = form("start", formatTime(range[0]), "end", formatTime(range[1]));
            form.put("match[]", matches);
            new ToolQueryPrinter(f.get("format"), out).printSeries(post(f.positional().getFirst(), "/api/v1/series", form));
        });
    }

    private static int labels(List<String> args, PrintStream out, PrintStream err) {
        Flags f = flags("labels", """
                Run labels query.

                Args:
                  <server>  Prometheus server to query.
                  <name>    Label name to provide label values for.""")
                .string("start", "", "Start time (RFC3339 or Unix timestamp).")
                .string("end", "", "End time (RFC3339 or Unix timestamp).")
                .string("match", "", "Series selector. Can be specified multiple times.");
        List<String> matches = new ArrayList<>();
        Integer rc = parse(f, ToolCommand.takeRepeated(args, "match", matches), List.of("server", "name"), err, out);
        if (rc != null) return rc;
        return call(err, () -> {
            Instant[] range = startAndEnd(f);
            StringBuilder q = new StringBuilder();
            for (String m : matches) q.append("match[]=").append(enc(m)).append('&');
            q.append("start=").append(enc(formatTime(range[0]))).append("&end=").append(enc(formatTime(range[1])));
            String path = "/api/v1/label/" + enc(f.positional().get(1)).replace("+", "%20") + "/values?" + q;
            new ToolQueryPrinter(f.get("format"), out).printLabelValues(get(f.positional().getFirst(), path, err));
        });
    }

    private static Integer parse(Flags f, List<String> args, List<String> required, PrintStream err, PrintStream out) {
        Integer rc = ToolTsdb.parse(f, args, SHORTS, required.size(), out, err);
        if (rc != null) return rc;
        if (f.positional().size() < required.size()) {
            return ToolCommand.usageError(err, "required argument '" + required.get(f.positional().size()) + "' not provided");
        }
        String format = f.get("format");
        if (!format.equals("promql") && !format.equals("json")) {
            return ToolCommand.usageError(err, "enum value must be one of promql,json, got '" + format + "'");
        }
        return null;
    }

    /** A bad time or range: printed as is, exit 1 (promtool prints these without "query error"). */
    private static final class UsageFailure extends Exception {
        UsageFailure(String message) { super(message, null, false, false); }
    }

    private interface Call {
        void run() throws QueryException, UsageFailure;
    }

    private static int call(PrintStream err, Call c) {
        try {
            c.run();
            return ToolCommand.SUCCESS;
        } catch (UsageFailure e) {
            err.println(e.getMessage());
        } catch (QueryException e) {
            err.println("query error: " + e.getMessage());
        }
        return ToolCommand.FAILURE;
    }

    /** promtool's defaults for series and labels: 9999h either side of now. */
    private static Instant[] startAndEnd(Flags f) throws UsageFailure {
        Instant now = Instant.now();
        Instant start = f.get("start").isEmpty() ? now.minusMillis(9999 * HOUR_MS) : parseTime(f.get("start"), "error parsing start time");
        Instant end = f.get("end").isEmpty() ? now.plusMillis(9999 * HOUR_MS) : parseTime(f.get("end"), "error parsing end time");
        return new Instant[] {start, end};
    }

    /** promtool's parseTime: Unix seconds (with fraction) or RFC 3339. */
    static Instant parseTime(String s, String context) throws UsageFailure {
        try {
            BigDecimal secs = new BigDecimal(s.trim());
            BigDecimal whole = new BigDecimal(secs.toBigInteger());
            return Instant.ofEpochSecond(whole.longValueExact(), secs.subtract(whole).movePointRight(9).longValue());
        } catch (NumberFormatException | ArithmeticException e) {
            // not a number: try RFC 3339
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw new UsageFailure(context + ": cannot parse \"" + s + "\" to a valid timestamp");
        }
    }

    /** client_golang's formatTime: Unix seconds with the shortest fraction. */
    static String formatTime(Instant t) {
        BigDecimal s = BigDecimal.valueOf(t.getEpochSecond()).add(BigDecimal.valueOf(t.getNano(), 9)).stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0).toPlainString() : s.toPlainString();
    }

    private static Map<String, List<String>> form(String... kv) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], List.of(kv[i + 1]));
        return m;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String encodeForm(Map<String, List<String>> form) {
        StringBuilder sb = new StringBuilder();
        for (var e : form.entrySet()) {
            for (String v : e.getValue()) {
                if (!sb.isEmpty()) sb.append('&');
                sb.append(enc(e.getKey())).append('=').append(enc(v));
            }
        }
        return sb.toString();
    }

    /** The server argument as a base URL: {@code http://} added when no scheme is given, no trailing slash. */
    static String baseUrl(String server) {
        String s = server.contains("://") ? server : "http://" + server;
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static JsonNode post(String server, String path, Map<String, List<String>> form) throws QueryException {
        return post(server, path, form, List.of());
    }

    /** POSTs the form; on 405 Method Not Allowed repeats it as a GET, as client_golang's DoGetFallback. */
    private static JsonNode post(String server, String path, Map<String, List<String>> form, List<String> headers) throws QueryException {
        String url = baseUrl(server) + path;
        String body = encodeForm(form);
        HttpRequest.Builder b = request(url, headers).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = send(b.build(), "Post", url);
        if (r.statusCode() == 405) {
            String getUrl = url + "?" + body;
            r = send(request(getUrl, headers).GET().build(), "Get", getUrl);
        }
        return data(r);
    }

    private static JsonNode get(String server, String path, PrintStream err) throws QueryException {
        String url = baseUrl(server) + path;
        HttpResponse<String> r = send(request(url, List.of()).GET().build(), "Get", url);
        JsonNode root = parseBody(r);
        for (JsonNode w : root.path("warnings")) err.println("query warning: " + w.asText());
        return data(r, root);
    }

    private static HttpRequest.Builder request(String url, List<String> headers) throws QueryException {
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT);
        } catch (IllegalArgumentException e) {
            throw new QueryException("parse \"" + url + "\": " + e.getMessage());
        }
        for (String h : headers) {
            int eq = h.indexOf('=');
            if (eq <= 0) throw new QueryException("invalid --header \"" + h + "\": expected name=value");
            b.header(h.substring(0, eq), h.substring(eq + 1));
        }
        return b;
    }

    private static HttpResponse<String> send(HttpRequest req, String method, String url) throws QueryException {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()) {
            return client.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new QueryException(method + " \"" + url + "\": dial tcp " + req.uri().getAuthority() + ": connect: connection refused");
        } catch (IOException e) {
            throw new QueryException(method + " \"" + url + "\": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueryException(method + " \"" + url + "\": interrupted");
        }
    }

    private static JsonNode data(HttpResponse<String> r) throws QueryException {
        return data(r, parseBody(r));
    }

    /** client_golang's handling: a JSON error body becomes {@code type: message}; other failures name the status code. */
    private static JsonNode data(HttpResponse<String> r, JsonNode root) throws QueryException {
        if (root.path("status").asText().equals("error")) {
            throw new QueryException(root.path("errorType").asText() + ": " + root.path("error").asText());
        }
        int code = r.statusCode();
        if (code / 100 != 2 && code != 400 && code != 422 && code != 503) {
            throw new QueryException((code / 100 == 5 ? "server_error: server error: " : "client_error: client error: ") + code);
        }
        if (!root.path("status").asText().equals("success")) throw new QueryException("bad_response: unexpected status \"" + root.path("status").asText() + "\"");
        return root.path("data");
    }

    private static JsonNode parseBody(HttpResponse<String> r) throws QueryException {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            int code = r.statusCode();
            String kind = code / 100 == 5 ? "server_error: server error: " + code : code / 100 == 4 ? "client_error: client error: " + code
                    : "bad_response: readObjectStart: expect { or n, but found " + (r.body().isEmpty() ? "EOF" : r.body().substring(0, 1));
            throw new QueryException(kind + (r.body().isBlank() ? "" : " (detail: " + r.body().strip() + ")"));
        }
    }
}
