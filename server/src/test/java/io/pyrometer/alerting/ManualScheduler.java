package io.pyrometer.alerting;

import io.pyrometer.alerting.types.Scheduler;
import java.util.PriorityQueue;

/** A manual clock: tasks run on the caller's thread when {@link #advance} passes their due time. */
public final class ManualScheduler implements Scheduler {
    private record Task(long dueMs, long seq, Runnable r, boolean[] cancelled) {}

    private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) -> a.dueMs != b.dueMs
            ? Long.compare(a.dueMs, b.dueMs) : Long.compare(a.seq, b.seq));
    private long now;
    private long seq;

    public ManualScheduler(long startMs) { this.now = startMs; }

    @Override public synchronized long nowMs() { return now; }

    @Override
    public synchronized Cancellable schedule(Runnable task, long delayMs) {
        boolean[] c = new boolean[1];
        queue.add(new Task(now + Math.max(0, delayMs), seq++, task, c));
        return () -> c[0] = true;
    }

    @Override public void execute(Runnable task) { task.run(); }

    /** Moves the clock forward, running due tasks in time order (each sees the clock at its due time). */
    public void advance(long ms) {
        long target;
        synchronized (this) { target = now + ms; }
        while (true) {
            Task t;
            synchronized (this) {
                t = queue.peek();
                if (t == null || t.dueMs > target) {
                    now = target;
                    return;
                }
                queue.poll();
                now = Math.max(now, t.dueMs);
            }
            if (!t.cancelled[0]) t.r.run();
        }
    }
}
