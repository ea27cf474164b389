package io.pyrometer.web;

import io.pyrometer.model.BuildInfo;
import java.nio.file.Path;
import java.time.Instant;

/** {@code /api/v1/status/*}: config, flags, build and runtime info, in Prometheus's JSON shapes. */
public final class StatusApi {
    private StatusApi() {}

    public static void register(WebServer web, ServerState state) {
        web.json("/api/v1/status/config", false, req -> Json.success(g -> {
            g.writeStartObject();
            g.writeStringField("yaml", state.configYaml());
            g.writeEndObject();
        }));
        web.json("/api/v1/status/flags", false, req -> Json.success(g -> Json.writeStringMap(g, state.flags())));
        web.json("/api/v1/status/buildinfo", false, req -> Json.success(g -> {
            g.writeStartObject();
            g.writeStringField("version", BuildInfo.VERSION);
            g.writeStringField("revision", BuildInfo.REVISION);
            g.writeStringField("branch", BuildInfo.BRANCH);
            g.writeStringField("buildUser", "pyrometer");
            g.writeStringField("buildDate", BuildInfo.BUILD_DATE);
            g.writeStringField("goVersion", "java" + Runtime.version().feature());
            g.writeEndObject();
        }));
        web.json("/api/v1/status/runtimeinfo", false, req -> Json.success(g -> {
            Runtime rt = Runtime.getRuntime();
            g.writeStartObject();
            g.writeStringField("startTime", Instant.ofEpochMilli(state.startTimeMs()).toString());
            g.writeStringField("CWD", Path.of("").toAbsolutePath().toString());
            g.writeBooleanField("reloadConfigSuccess", state.lastReloadSuccessful());
            g.writeStringField("lastConfigTime", Instant.ofEpochMilli(state.lastReloadSuccessMs()).toString());
            g.writeNumberField("corruptionCount", state.corruptionCount());
            g.writeNumberField("goroutineCount", Thread.activeCount());
            g.writeNumberField("GOMAXPROCS", rt.availableProcessors());
            g.writeNumberField("GOMEMLIMIT", rt.maxMemory());
            g.writeStringField("GOGC", "");
            g.writeStringField("GODEBUG", "");
            g.writeStringField("storageRetention", state.storageRetention());
            g.writeEndObject();
        }));
    }
}
