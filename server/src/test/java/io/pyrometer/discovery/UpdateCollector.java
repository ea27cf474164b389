package io.pyrometer.discovery;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Test consumer: merges updates by source like the manager does and lets a test wait for a state. */
final class UpdateCollector implements Consumer<List<TargetGroup>> {
    private final Map<String, TargetGroup> groups = new LinkedHashMap<>();
    private int updates;
    private Thread thread;

    @Override
    public synchronized void accept(List<TargetGroup> gs) {
        for (TargetGroup g : gs) {
            if (g.targets().isEmpty()) groups.remove(g.source());
            else groups.put(g.source(), g);
        }
        updates++;
        notifyAll();
    }

    synchronized Map<String, TargetGroup> groups() { return new LinkedHashMap<>(groups); }

    synchronized int updates() { return updates; }

    /** Waits until the merged groups satisfy {@code p}; fails the test after {@code timeout}. */
    synchronized Map<String, TargetGroup> await(Predicate<Map<String, TargetGroup>> p, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!p.test(groups)) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) throw new AssertionError("condition not reached within " + timeout + "; groups now: " + groups);
            wait(left);
        }
        return new LinkedHashMap<>(groups);
    }

    /** Waits until at least {@code n} updates arrived. */
    synchronized void awaitUpdates(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (updates < n) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) throw new AssertionError("only " + updates + " updates within " + timeout + ", wanted " + n);
            wait(left);
        }
    }

    /** Runs {@code d} on a virtual thread feeding this collector. */
    UpdateCollector start(Discoverer d) {
        thread = Thread.ofVirtual().start(() -> {
            try {
                d.run(this);
            } catch (InterruptedException e) {
                // stopped by the test
            }
        });
        return this;
    }

    void stop() throws InterruptedException {
        if (thread != null) {
            thread.interrupt();
            thread.join(2000);
        }
    }
}
