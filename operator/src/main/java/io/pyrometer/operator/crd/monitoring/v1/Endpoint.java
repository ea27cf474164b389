package io.pyrometer.operator.crd.monitoring.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/** A ServiceMonitor endpoint ({@code Endpoint} in upstream's types.go). */
@PreserveUnknownFields
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Endpoint extends ScrapeEndpoint {
    public String port;
    public String bearerTokenFile;
}
