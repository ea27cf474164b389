package io.pyrometer.alerting.notify;

/**
 * A notification that failed. {@link #retry()} says whether sending the same notification again
 * may succeed, with Alertmanager's rules ({@code notify.Retrier} in {@code notify/util.go}):
 * network errors and 5xx responses are retried, other non-2xx responses (4xx) and errors in the
 * configuration or templates are not. Messages read {@code what failed [key=value, ...]}.
 */
public final class NotifyException extends Exception {
    private final boolean retry;

    private NotifyException(String message, boolean retry, Throwable cause) {
        super(message, cause);
        this.retry = retry;
    }

    /** A failure worth retrying (network error, 5xx). */
    public static NotifyException retryable(String message, Throwable cause) {
        return new NotifyException(message, true, cause);
    }

    public static NotifyException retryable(String message) {
        return new NotifyException(message, true, null);
    }

    /** A failure that the same request will hit again (4xx, bad template, bad config). */
    public static NotifyException permanent(String message, Throwable cause) {
        return new NotifyException(message, false, cause);
    }

    public static NotifyException permanent(String message) {
        return new NotifyException(message, false, null);
    }

    /** Whether the router's retry stage should try again (after its backoff). */
    public boolean retry() {
        return retry;
    }
}
