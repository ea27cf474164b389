package io.pyrometer.rules;

import io.pyrometer.model.Labels;
import io.pyrometer.promql.engine.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A recording rule (Prometheus's {@code rules/recording.go}): the query's result renamed and relabelled. */
public final class RecordingRule extends Rule {
    public RecordingRule(String record, String expr, Labels labels) {
        super(record, expr, labels);
    }

    @Override
    List<Value.Sample> eval(long evalTsMs, long queryOffsetMs, QueryFunction query, int limit) throws Exception {
        long tsMs = evalTsMs - queryOffsetMs;
        List<Value.Sample> in = query.query(expr(), tsMs);
        List<Value.Sample> out = new ArrayList<>(in.size());
        Set<Labels> seen = new HashSet<>();
        Labels.Builder b = Labels.builder();
        for (Value.Sample s : in) {
            b.reset(s.labels()).set(Labels.METRIC_NAME, name());
            for (int i = 0; i < labels().size(); i++) b.set(labels().name(i), labels().value(i));
            Labels l = b.build();
            if (!seen.add(l)) throw new IllegalStateException("vector contains metrics with the same labelset after applying rule labels");
            out.add(new Value.Sample(l, tsMs, s.v()));
        }
        if (limit > 0 && out.size() > limit) {
            throw new IllegalStateException("exceeded limit of " + limit + " with " + out.size() + " series");
        }
        return out;
    }
}
