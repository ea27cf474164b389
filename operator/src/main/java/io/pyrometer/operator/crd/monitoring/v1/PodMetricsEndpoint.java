package io.pyrometer.operator.crd.monitoring.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/** A PodMonitor endpoint ({@code PodMetricsEndpoint} in upstream's podmonitor_types.go). */
@PreserveUnknownFields
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodMetricsEndpoint extends ScrapeEndpoint {
    public String port;
    public Integer portNumber;
}
