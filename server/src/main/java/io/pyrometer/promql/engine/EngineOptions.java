package io.pyrometer.promql.engine;

/**
 * Engine settings, with Prometheus 3's defaults ({@code --query.lookback-delta=5m},
 * {@code --query.max-samples=50000000}, {@code --query.timeout=2m}).
 *
 * <pre>{@code
 * Engine e = new Engine(EngineOptions.defaults().withMaxSamples(10_000));
 * }</pre>
 *
 * @param noStepSubqueryIntervalMs step of subqueries written without one ({@code x[5m:]});
 *                                 Prometheus uses the global evaluation interval, 1m by default
 */
public record EngineOptions(long lookbackDeltaMs, long maxSamples, long timeoutMs, long noStepSubqueryIntervalMs,
                            boolean enableExperimentalFunctions, boolean enableDelayedNameRemoval) {

    public static EngineOptions defaults() {
        return new EngineOptions(5 * 60_000L, 50_000_000L, 2 * 60_000L, 60_000L, false, false);
    }

    public EngineOptions withLookbackDeltaMs(long v) {
        return new EngineOptions(v, maxSamples, timeoutMs, noStepSubqueryIntervalMs, enableExperimentalFunctions, enableDelayedNameRemoval);
    }

    public EngineOptions withMaxSamples(long v) {
        return new EngineOptions(lookbackDeltaMs, v, timeoutMs, noStepSubqueryIntervalMs, enableExperimentalFunctions, enableDelayedNameRemoval);
    }

    public EngineOptions withTimeoutMs(long v) {
        return new EngineOptions(lookbackDeltaMs, maxSamples, v, noStepSubqueryIntervalMs, enableExperimentalFunctions, enableDelayedNameRemoval);
    }

    public EngineOptions withNoStepSubqueryIntervalMs(long v) {
        return new EngineOptions(lookbackDeltaMs, maxSamples, timeoutMs, v, enableExperimentalFunctions, enableDelayedNameRemoval);
    }

    public EngineOptions withExperimentalFunctions(boolean v) {
        return new EngineOptions(lookbackDeltaMs, maxSamples, timeoutMs, noStepSubqueryIntervalMs, v, enableDelayedNameRemoval);
    }

    public EngineOptions withDelayedNameRemoval(boolean v) {
        return new EngineOptions(lookbackDeltaMs, maxSamples, timeoutMs, noStepSubqueryIntervalMs, enableExperimentalFunctions, v);
    }
}
