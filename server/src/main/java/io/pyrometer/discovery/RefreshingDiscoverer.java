package io.pyrometer.discovery;

import java.util.List;
import java.util.function.Consumer;

/**
 * A discoverer that polls: refreshes at start and then every interval, sending the groups when the
 * refresh succeeded and nothing when it failed (so the last good groups stay), as Prometheus's
 * discovery/refresh does.
 */
abstract class RefreshingDiscoverer implements Discoverer {
    private static final System.Logger LOG = System.getLogger(RefreshingDiscoverer.class.getName());

    private final String mechanism;
    private final long intervalMs;

    RefreshingDiscoverer(String mechanism, long intervalMs) {
        this.mechanism = mechanism;
        this.intervalMs = intervalMs;
    }

    /** One poll; throws to report a failure (already counted by the implementation). */
    abstract List<TargetGroup> refresh() throws Exception;

    /** Releases resources when {@link #run} ends; called once, on the run thread. */
    void stopped() {}

    @Override
    public final void run(Consumer<List<TargetGroup>> updates) throws InterruptedException {
        try {
            loop(updates);
        } finally {
            stopped();
        }
    }

    private void loop(Consumer<List<TargetGroup>> updates) throws InterruptedException {
        while (true) {
            List<TargetGroup> groups = null;
            try {
                groups = refresh();
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                if (Thread.currentThread().isInterrupted()) throw new InterruptedException();
                LOG.log(System.Logger.Level.ERROR, "msg=\"Unable to refresh target groups\" mechanism={0} err=\"{1}\"",
                        mechanism, e.getMessage());
            }
            if (groups != null) updates.accept(groups);
            Thread.sleep(intervalMs);
        }
    }
}
