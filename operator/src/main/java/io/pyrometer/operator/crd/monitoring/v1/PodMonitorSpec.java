package io.pyrometer.operator.crd.monitoring.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import java.util.List;

/** {@code PodMonitorSpec} of upstream's podmonitor_types.go. */
@PreserveUnknownFields
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodMonitorSpec extends MonitorSpec {
    public List<PodMetricsEndpoint> podMetricsEndpoints;
}
