package io.pyrometer.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyrometer.model.LabelMatcher;
import io.pyrometer.model.Labels;
import io.pyrometer.promql.parser.ParseException;
import io.pyrometer.promql.parser.Parser;
import io.pyrometer.storage.Appender;
import io.pyrometer.tsdb.DB;
import io.pyrometer.tsdb.DbOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /api/v1/status/tsdb and the admin API over a real DB, with and without --web.enable-admin-api. */
class TsdbApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    private final Function<String, List<LabelMatcher>> sel = s -> {
        try {
            return Parser.parseMetricSelector(s);
        } catch (ParseException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    };

    private HttpResponse<String> call(WebServer w, String method, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + w.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private WebServer serve(DB db, boolean admin) throws Exception {
        WebServer w = new WebServer(new WebServer.Options("127.0.0.1:0", false, admin, 1 << 20, 64), new PrometheusRegistry());
        new TsdbApi(db, admin, sel).register(w);
        w.start();
        return w;
    }

    @Test
    void statusAndAdminEndpoints(@TempDir Path dir) throws Exception {
        try (DB db = DB.open(dir.resolve("data"), DbOptions.defaults())) {
            Appender app = db.appender();
            for (int i = 0; i < 3; i++) app.append(0, Labels.of("__name__", "m", "i", "" + i), 1000, i);
            app.commit();
            WebServer closed = serve(db, false);
            WebServer open = serve(db, true);
            try {
                JsonNode st = JSON.readTree(call(closed, "GET", "/api/v1/status/tsdb").body()).path("data");
                assertThat(st.path("headStats").path("numSeries").asLong()).isEqualTo(3);
                assertThat(st.path("seriesCountByMetricName").get(0).path("name").asText()).isEqualTo("m");
                assertThat(st.path("seriesCountByMetricName").get(0).path("value").asLong()).isEqualTo(3);

                HttpResponse<String> refused = call(closed, "POST", "/api/v1/admin/tsdb/snapshot");
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(JSON.readTree(refused.body()).path("error").asText()).isEqualTo("admin APIs disabled");

                JsonNode snap = JSON.readTree(call(open, "POST", "/api/v1/admin/tsdb/snapshot").body());
                assertThat(Files.isDirectory(dir.resolve("data/snapshots").resolve(snap.path("data").path("name").asText()))).isTrue();

                assertThat(call(open, "POST", "/api/v1/admin/tsdb/delete_series").statusCode()).isEqualTo(400);
                assertThat(call(open, "POST", "/api/v1/admin/tsdb/delete_series?match%5B%5D=m%7Bi%3D%221%22%7D").statusCode()).isEqualTo(204);
                try (var q = db.querier(0, 10_000)) {
                    var ss = q.select(false, null, List.of(LabelMatcher.eq("__name__", "m")));
                    int withData = 0;
                    while (ss.next()) if (ss.at().iterator(null).next() != io.pyrometer.storage.ValueType.NONE) withData++;
                    assertThat(withData).isEqualTo(2);
                }
            } finally {
                closed.close();
                open.close();
            }
        }
    }

    @Test
    void cleanTombstonesRewritesBlocksBehindTheAdminFlag(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        try (DB db = DB.open(data, DbOptions.defaults().withMaintenanceIntervalMs(3600_000))) {
            for (int c = 0; c < 4 * 240; c++) { // 4h at 15s: a block [0, 2h) and the head
                Appender app = db.appender();
                for (int i = 0; i < 2; i++) app.append(0, Labels.of("__name__", "m", "i", "" + i), c * 15_000L, c);
                app.commit();
            }
            db.maintain();
            Path block = io.pyrometer.tsdb.block.BlockDirs.list(data).getFirst();
            WebServer closed = serve(db, false);
            WebServer open = serve(db, true);
            try {
                for (String method : List.of("POST", "PUT")) {
                    HttpResponse<String> refused = call(closed, method, "/api/v1/admin/tsdb/clean_tombstones");
                    assertThat(refused.statusCode()).isEqualTo(503);
                    JsonNode err = JSON.readTree(refused.body());
                    assertThat(err.path("status").asText()).isEqualTo("error");
                    assertThat(err.path("errorType").asText()).isEqualTo("unavailable");
                    assertThat(err.path("error").asText()).isEqualTo("admin APIs disabled");
                }
                assertThat(call(open, "POST", "/api/v1/admin/tsdb/delete_series?match%5B%5D=m%7Bi%3D%221%22%7D&end=3600").statusCode())
                        .isEqualTo(204);
                assertThat(call(open, "GET", "/api/v1/admin/tsdb/clean_tombstones").statusCode()).as("GET does not clean").isEqualTo(404);
                assertThat(block).exists();
                HttpResponse<String> cleaned = call(open, "POST", "/api/v1/admin/tsdb/clean_tombstones");
                assertThat(cleaned.statusCode()).isEqualTo(204);
                assertThat(cleaned.body()).isEmpty();
                assertThat(block).doesNotExist();
                Path rewritten = io.pyrometer.tsdb.block.BlockDirs.list(data).getFirst();
                // i=1 lost [0, 1h]: 241 of its 480 block samples
                assertThat(io.pyrometer.tsdb.block.BlockMeta.read(rewritten).stats().numSamples()).isEqualTo(480 + 239);
                assertThat(call(open, "PUT", "/api/v1/admin/tsdb/clean_tombstones").statusCode()).as("nothing to clean").isEqualTo(204);
                assertThat(io.pyrometer.tsdb.block.BlockDirs.list(data)).containsExactly(rewritten);
            } finally {
                closed.close();
                open.close();
            }
        }
    }
}
