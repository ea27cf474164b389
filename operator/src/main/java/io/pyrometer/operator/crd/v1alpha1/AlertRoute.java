package io.pyrometer.operator.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
import io.pyrometer.operator.crd.monitoring.v1.ConfigResourceStatus;

/**
 * A namespaced slice of the alert router's routing tree. Compiled into the router configuration
 * below the root route with a {@code namespace="<this namespace>"} matcher injected first, so a
 * team's routes only ever see its own namespace's alerts (prometheus-operator's
 * AlertmanagerConfig does the same).
 */
@Group("pyrometer.io")
@Version("v1alpha1")
@Plural("alertroutes")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AlertRoute extends CustomResource<AlertRouteSpec, ConfigResourceStatus> implements Namespaced {
    private static final long serialVersionUID = 1L;
}
