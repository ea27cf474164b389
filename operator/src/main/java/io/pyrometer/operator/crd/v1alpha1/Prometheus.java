package io.pyrometer.operator.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A sharded Pyrometer server: {@code spec.shards} StatefulSets of {@code spec.replicas} pods each,
 * scraping what the selected ServiceMonitors and PodMonitors describe and evaluating the selected
 * PrometheusRules. {@code kubectl get pyro} (or {@code prometheus} where prometheus-operator's CRD is
 * not installed) shows the columns below; {@code kubectl scale pyro/NAME --replicas=N} sets shards.
 */
@Group("pyrometer.io")
@Version("v1alpha1")
@Plural("prometheuses")
@ShortNames("pyro")
@AdditionalPrinterColumn(name = "Version", jsonPath = ".spec.version", type = AdditionalPrinterColumn.Type.STRING,
        getDescription = "The version of Pyrometer")
@AdditionalPrinterColumn(name = "Shards", jsonPath = ".spec.shards", type = AdditionalPrinterColumn.Type.INTEGER,
        getDescription = "The number of shards")
@AdditionalPrinterColumn(name = "Desired", jsonPath = ".status.replicas", type = AdditionalPrinterColumn.Type.INTEGER,
        getDescription = "Pods desired across all shards (shards x replicas)")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.readyReplicas", type = AdditionalPrinterColumn.Type.INTEGER,
        getDescription = "Pods ready across all shards")
@AdditionalPrinterColumn(name = "Reconciled", jsonPath = ".status.conditions[?(@.type == 'Reconciled')].status",
        type = AdditionalPrinterColumn.Type.STRING, getDescription = "Whether the last reconciliation succeeded")
@AdditionalPrinterColumn(name = "Available", jsonPath = ".status.conditions[?(@.type == 'Available')].status",
        type = AdditionalPrinterColumn.Type.STRING, getDescription = "Whether all pods are ready")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Prometheus extends CustomResource<PrometheusSpec, PrometheusStatus> implements Namespaced {
    private static final long serialVersionUID = 1L;

    @Override
    protected PrometheusSpec initSpec() { return new PrometheusSpec(); }
}
