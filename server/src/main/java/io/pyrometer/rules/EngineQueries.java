package io.pyrometer.rules;

import io.pyrometer.model.Labels;
import io.pyrometer.promql.engine.Engine;
import io.pyrometer.promql.engine.Value;
import io.pyrometer.storage.Queryable;
import java.util.List;

/** Prometheus's {@code EngineQueryFunc}: rule expressions as instant queries of the PromQL engine. */
public final class EngineQueries {
    private EngineQueries() {}

    public static QueryFunction of(Engine engine, Queryable storage) {
        return (expr, tsMs) -> switch (engine.instantQuery(storage, expr, tsMs).value()) {
            case Value.Vector v -> v.samples();
            case Value.Scalar s -> List.of(new Value.Sample(Labels.EMPTY, s.t(), s.v()));
            default -> throw new IllegalStateException("rule result is not a vector or scalar");
        };
    }
}
