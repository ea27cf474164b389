package io.pyrometer.operator.crd.monitoring.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.pyrometer.operator.crd.Tolerant;
import java.util.List;

/** prometheus-operator's {@code RelabelConfig} (pkg/apis/monitoring/v1/types.go). */
@PreserveUnknownFields
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RelabelConfig extends Tolerant {
    public List<String> sourceLabels;
    public String separator;
    public String targetLabel;
    public String regex;
    public Long modulus;
    public String replacement;
    public String action;
}
