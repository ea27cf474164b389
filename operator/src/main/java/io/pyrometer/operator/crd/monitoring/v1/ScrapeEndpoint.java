package io.pyrometer.operator.crd.monitoring.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.pyrometer.operator.crd.Tolerant;
import java.util.List;
import java.util.Map;

/**
 * The fields {@code Endpoint} (ServiceMonitor) and {@code PodMetricsEndpoint} (PodMonitor) share
 * upstream. HTTP client settings that need Secrets (basicAuth, authorization, oauth2, tlsConfig,
 * proxy) are not modelled yet and are reported as unsupported.
 */
@PreserveUnknownFields
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class ScrapeEndpoint extends Tolerant {
    public IntOrString targetPort;
    public String path;
    public String scheme;
    public Map<String, List<String>> params;
    public String interval;
    public String scrapeTimeout;
    public Boolean honorLabels;
    public Boolean honorTimestamps;
    public Boolean trackTimestampsStaleness;
    public List<RelabelConfig> metricRelabelings;
    public List<RelabelConfig> relabelings;
    public Boolean filterRunning;
    public Boolean followRedirects;
    public Boolean enableHttp2;
}
