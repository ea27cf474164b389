package io.pyrometer.operator.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** The alert router that receives this Prometheus's alerts. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RouterSpec {
    @Min(0)
    @JsonPropertyDescription("Router pods. 0 (the default) runs no router.")
    public Integer replicas;

    @JsonPropertyDescription("Volume for the router's silences and notification log. Default emptyDir.")
    public StorageSpec storage;
}
