package io.pyrometer.discovery;

import io.pyrometer.config.StaticConfig;
import io.pyrometer.model.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code static_configs}: sends every group once, with sources {@code "0"}, {@code "1"}, ... as
 * Prometheus does, then waits to be cancelled.
 */
public final class StaticDiscoverer implements Discoverer {
    private final List<TargetGroup> groups;

    public StaticDiscoverer(List<StaticConfig> configs) {
        List<TargetGroup> gs = new ArrayList<>(configs.size());
        for (int i = 0; i < configs.size(); i++) {
            StaticConfig c = configs.get(i);
            List<Labels> targets = new ArrayList<>(c.targets().size());
            for (String t : c.targets()) targets.add(Labels.of(TargetLabelNames.ADDRESS, t));
            gs.add(new TargetGroup(Integer.toString(i), targets, c.labels()));
        }
        this.groups = List.copyOf(gs);
    }

    /** The groups this discoverer sends. */
    public List<TargetGroup> groups() { return groups; }

    @Override
    public void run(Consumer<List<TargetGroup>> updates) throws InterruptedException {
        updates.accept(groups);
        Thread.sleep(Long.MAX_VALUE); // nothing changes until the config does; the manager interrupts
    }
}
