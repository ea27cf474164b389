package io.pyrometer.operator.crd.monitoring.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import java.util.List;

/** {@code ServiceMonitorSpec} of upstream's servicemonitor_types.go. */
@PreserveUnknownFields
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceMonitorSpec extends MonitorSpec {
    public List<String> targetLabels;
    public List<Endpoint> endpoints;
}
