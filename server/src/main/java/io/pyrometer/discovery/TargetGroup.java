package io.pyrometer.discovery;

import io.pyrometer.model.Labels;
import java.util.List;

/**
 * A set of targets sharing labels, as a discovery mechanism reports it (Prometheus's
 * {@code targetgroup.Group}). Each target is a label set holding at least {@code __address__};
 * {@link #labels} apply to every target unless the target sets the same name.
 *
 * @param source identifies the group within its discoverer ({@code file.json:0}, {@code http://sd/:2},
 *               a DNS name); a later group with the same source replaces it, one with no targets
 *               removes it
 */
public record TargetGroup(String source, List<Labels> targets, Labels labels) {
    public TargetGroup {
        targets = List.copyOf(targets);
        if (labels == null) labels = Labels.EMPTY;
    }

    /** The update saying that the group once sent under {@code source} is gone. */
    public static TargetGroup empty(String source) {
        return new TargetGroup(source, List.of(), Labels.EMPTY);
    }
}
