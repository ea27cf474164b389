package io.pyrometer.operator.crd.monitoring.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * prometheus-operator's {@code monitoring.coreos.com/v1} PrometheusRule, read unchanged. The CRD in
 * crds/monitoring.coreos.com/ is generated from this model: the fields the operator acts on are
 * typed, and every object keeps unknown fields ({@code x-kubernetes-preserve-unknown-fields}), so a
 * manifest written for prometheus-operator's CRD (pkg/apis/monitoring/v1/*_types.go there) is
 * accepted unchanged, and what is not supported is reported in status, not dropped. Where
 * prometheus-operator's own CRD is installed, keep it: this model reads objects of either.
 */
@Group("monitoring.coreos.com")
@Version("v1")
@ShortNames("promrule")
@Categories("prometheus-operator")
@Plural("prometheusrules")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PrometheusRule extends CustomResource<PrometheusRuleSpec, ConfigResourceStatus> implements Namespaced {
    private static final long serialVersionUID = 1L;
}
