package io.pyrometer.discovery.kubernetes;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/**
 * What target building may read beside the object itself: the informer caches of related objects.
 * Every method returns null when the object is unknown or its kind is not watched.
 */
interface Lookup {
    default Service service(String namespace, String name) { return null; }
    default Pod pod(String namespace, String name) { return null; }
    default Node node(String name) { return null; }
    default Namespace namespace(String name) { return null; }
    default ReplicaSet replicaSet(String namespace, String name) { return null; }
    default Job job(String namespace, String name) { return null; }

    /** attach_metadata.node: a node informer runs, and targets of unknown nodes are held back (pod role). */
    default boolean attachNode() { return false; }
    default boolean attachNamespace() { return false; }
    default boolean attachDeployment() { return false; }
    default boolean attachJob() { return false; }
    default boolean attachCronJob() { return false; }

    Lookup NONE = new Lookup() {};
}
