package io.pyrometer.discovery;

import java.util.List;
import java.util.function.Consumer;

/**
 * One service discovery mechanism instance (one {@code *_sd_configs} entry, or a job's
 * {@code static_configs}). The {@link DiscoveryManager} runs each on its own virtual thread.
 *
 * <p>Contract, as Prometheus's {@code discovery.Discoverer}: {@link #run} first sends the full set
 * of groups it knows, then only groups that changed, keyed by {@link TargetGroup#source()}; a group
 * with no targets removes what was sent under its source. When a refresh fails, nothing is sent, so
 * the consumer keeps the last good groups. {@code run} returns when its thread is interrupted
 * (the only cancellation signal; implementations block only in interruptible calls) and must not
 * throw for bad input from the outside world: it logs, counts and tries again later.
 */
public interface Discoverer {
    /** Runs until the current thread is interrupted, sending updates to {@code updates}. */
    void run(Consumer<List<TargetGroup>> updates) throws InterruptedException;
}
