package io.pyrometer.alerting.silence;

import io.pyrometer.alerting.config.Matcher;
import io.pyrometer.alerting.config.Matchers;
import io.pyrometer.model.Labels;
import java.util.List;

/** A silence ({@code silencepb.Silence}); times in epoch milliseconds. */
public record Silence(String id, List<Matcher> matchers, long startsAtMs, long endsAtMs, long updatedAtMs,
                      String createdBy, String comment) {

    public enum State {
        PENDING("pending"), ACTIVE("active"), EXPIRED("expired");

        private final String api;

        State(String api) { this.api = api; }

        /** The value of {@code status.state} in API v2. */
        public String api() { return api; }
    }

    public State stateAt(long nowMs) {
        if (endsAtMs <= nowMs) return State.EXPIRED;
        if (startsAtMs <= nowMs) return State.ACTIVE;
        return State.PENDING;
    }

    public boolean mutes(Labels labels) { return Matchers.matches(matchers, labels); }

    Silence with(String newId, long starts, long ends, long updated) {
        return new Silence(newId, matchers, starts, ends, updated, createdBy, comment);
    }
}
