package io.pyrometer.web;

import com.fasterxml.jackson.core.JsonGenerator;
import io.pyrometer.notifier.AlertmanagerRetriever;
import java.io.IOException;
import java.util.List;

/**
 * {@code /api/v1/alertmanagers}: {@code {"activeAlertmanagers":[{"url":...}],"droppedAlertmanagers":[{"url":...}]}},
 * Prometheus's {@code AlertmanagerDiscovery} (web/api/v1/api.go).
 */
public final class AlertmanagersApi {
    private final AlertmanagerRetriever retriever;

    public AlertmanagersApi(AlertmanagerRetriever retriever) {
        this.retriever = retriever;
    }

    public void register(WebServer web) {
        web.json("/api/v1/alertmanagers", false, req -> body(retriever.alertmanagers(), retriever.droppedAlertmanagers()));
    }

    static byte[] body(List<String> active, List<String> dropped) {
        return Json.success(g -> {
            g.writeStartObject();
            writeUrls(g, "activeAlertmanagers", active);
            writeUrls(g, "droppedAlertmanagers", dropped);
            g.writeEndObject();
        });
    }

    private static void writeUrls(JsonGenerator g, String field, List<String> urls) throws IOException {
        g.writeArrayFieldStart(field);
        for (String u : urls) {
            g.writeStartObject();
            g.writeStringField("url", u);
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
