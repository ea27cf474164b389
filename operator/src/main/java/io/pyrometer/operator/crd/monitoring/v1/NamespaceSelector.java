package io.pyrometer.operator.crd.monitoring.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.pyrometer.operator.crd.Tolerant;
import java.util.List;

/**
 * Which namespaces a ServiceMonitor/PodMonitor discovers in: {@code any: true} for all, else
 * {@code matchNames}, else (both empty) the monitor's own namespace.
 */
@PreserveUnknownFields
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NamespaceSelector extends Tolerant {
    public Boolean any;
    public List<String> matchNames;
}
