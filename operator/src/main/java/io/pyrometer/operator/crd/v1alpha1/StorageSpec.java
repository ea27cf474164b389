package io.pyrometer.operator.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.EmptyDirVolumeSource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec;
import java.util.Map;

/** TSDB volume: an emptyDir, or a PersistentVolumeClaim template (one PVC per pod, kept on scale-down). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StorageSpec {
    @JsonPropertyDescription("An emptyDir volume (data lost when the pod moves). Used when volumeClaimTemplate is unset.")
    public EmptyDirVolumeSource emptyDir;

    @JsonPropertyDescription("A PersistentVolumeClaim template: each pod gets its own PVC, named <claim>-<pod>.")
    public ClaimTemplate volumeClaimTemplate;

    /** An embedded PVC: metadata (name, labels, annotations) and spec. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ClaimTemplate {
        @JsonPropertyDescription("Claim metadata. name defaults to 'data'.")
        public EmbeddedMetadata metadata;
        @JsonPropertyDescription("The PersistentVolumeClaim spec (storageClassName, accessModes, resources).")
        public PersistentVolumeClaimSpec spec;
    }

    /** The subset of ObjectMeta an embedded object may set. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class EmbeddedMetadata {
        @JsonPropertyDescription("Name of the claim template.")
        public String name;
        @JsonPropertyDescription("Labels of the claims.")
        public Map<String, String> labels;
        @JsonPropertyDescription("Annotations of the claims.")
        public Map<String, String> annotations;
    }
}
