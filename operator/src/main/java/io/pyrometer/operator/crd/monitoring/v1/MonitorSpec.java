package io.pyrometer.operator.crd.monitoring.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.pyrometer.operator.crd.Tolerant;
import java.util.List;

/** Fields ServiceMonitorSpec and PodMonitorSpec share upstream. */
@PreserveUnknownFields
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class MonitorSpec extends Tolerant {
    public String jobLabel;
    public List<String> podTargetLabels;
    public LabelSelector selector;
    public NamespaceSelector namespaceSelector;
    public Long sampleLimit;
    public Long targetLimit;
    public Long labelLimit;
    public Long labelNameLengthLimit;
    public Long labelValueLengthLimit;
    public Long keepDroppedTargets;
    public List<String> scrapeProtocols;
    public String fallbackScrapeProtocol;
    public AttachMetadata attachMetadata;

    /** {@code attachMetadata} of upstream's types.go. */
    @PreserveUnknownFields
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class AttachMetadata extends Tolerant {
        public Boolean node;
    }
}
