package io.pyrometer.promql.engine;

/**
 * Lets another thread stop a running query (e.g. the HTTP client went away), and optionally
 * carries a per-query deadline (the API's {@code timeout} parameter) tighter than the engine's
 * {@code timeoutMs}. The engine checks it between series and steps and fails the query with
 * {@link PromQLException.ErrorType#CANCELED} or {@link PromQLException.ErrorType#TIMEOUT}.
 *
 * <pre>{@code
 * CancellationToken token = CancellationToken.withTimeout(30_000);
 * engine.instantQuery(storage, engine.parse(q), q, nowMs, token);
 * token.cancel(); // from another thread
 * }</pre>
 */
public final class CancellationToken {
    /** A token that is never cancelled and has no deadline of its own. */
    public static final CancellationToken NONE = new CancellationToken(Long.MAX_VALUE);

    private final long deadlineNanos; // System.nanoTime() based; Long.MAX_VALUE = none
    private volatile boolean cancelled;

    public CancellationToken() { this(Long.MAX_VALUE); }

    private CancellationToken(long deadlineNanos) { this.deadlineNanos = deadlineNanos; }

    /** A token whose query times out {@code timeoutMs} from now. */
    public static CancellationToken withTimeout(long timeoutMs) {
        return new CancellationToken(System.nanoTime() + timeoutMs * 1_000_000L);
    }

    public void cancel() {
        if (this != NONE) cancelled = true;
    }

    public boolean isCancelled() { return cancelled; }

    /** The deadline given when created ({@code System.nanoTime()} scale), or {@code Long.MAX_VALUE}. */
    long deadlineNanos() { return deadlineNanos; }

    boolean hasDeadline() { return deadlineNanos != Long.MAX_VALUE; }
}
