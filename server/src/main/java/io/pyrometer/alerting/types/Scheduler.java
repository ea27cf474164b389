package io.pyrometer.alerting.types;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The router's clock and timers. Production uses {@link #system()}; tests use a manual clock that
 * runs due tasks when advanced, so group_wait / group_interval / repeat_interval are exact.
 */
public interface Scheduler extends AutoCloseable {
    long nowMs();

    /** Runs {@code task} after {@code delayMs}; the handle cancels it. */
    Cancellable schedule(Runnable task, long delayMs);

    /** Runs {@code task} now, off the caller's thread where the implementation has threads. */
    void execute(Runnable task);

    @Override
    default void close() {}

    interface Cancellable { void cancel(); }

    static Scheduler system() {
        return new Scheduler() {
            private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("alerting-timers").daemon(true).factory());
            private final java.util.concurrent.ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();

            public long nowMs() { return System.currentTimeMillis(); }

            public Cancellable schedule(Runnable task, long delayMs) {
                ScheduledFuture<?> f = timers.schedule(() -> workers.execute(task), Math.max(0, delayMs), TimeUnit.MILLISECONDS);
                return () -> f.cancel(false);
            }

            public void execute(Runnable task) { workers.execute(task); }

            /** Stops the timers and interrupts running flushes, waiting for them so no state is written afterwards. */
            public void close() {
                timers.shutdownNow();
                workers.shutdownNow();
                try {
                    workers.awaitTermination(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }
}
