package io.pyrometer.alerting.dispatch;

import io.pyrometer.alerting.types.Alert;
import java.util.List;

/**
 * One notifier of a receiver (a webhook, a Slack channel...), {@code notify.Integration}. The
 * receivers package ({@code alerting.notify}) provides them; the dispatcher dedups, retries and
 * logs around {@link #notify}.
 */
public interface Integration {
    /** {@code webhook}, {@code slack}, ... */
    String name();

    /** Position among the receiver's integrations of all kinds. */
    int index();

    boolean sendResolved();

    /** Delivers one notification; @throws NotifyException when it failed (retryable or not) */
    void notify(NotifyContext ctx, List<Alert> alerts) throws NotifyException;

    /** A failed delivery; {@code retryable} false stops the retries (a 4xx answer, a bad template). */
    final class NotifyException extends Exception {
        private final boolean retryable;

        public NotifyException(String message, boolean retryable, Throwable cause) {
            super(message, cause);
            this.retryable = retryable;
        }

        public boolean retryable() { return retryable; }
    }
}
