package io.pyrometer.promql.engine;

/**
 * Lets another thread stop a running query (e.g. the HTTP client went away). The engine checks it
 * between series and steps and fails the query with {@link PromQLException.ErrorType#CANCELED}.
 */
public final class CancellationToken {
    /** A token that is never cancelled. */
    public static final CancellationToken NONE = new CancellationToken();

    private volatile boolean cancelled;

    public void cancel() {
        if (this != NONE) cancelled = true;
    }

    public boolean isCancelled() { return cancelled; }
}
