package io.pyrometer.operator.crd;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Base of the monitoring.coreos.com model classes: every field upstream's schema allows is
 * accepted, and the ones this operator does not model are kept here (and written back unchanged on
 * a round trip) so they can be reported as unsupported in the resource's status instead of being
 * silently ignored.
 */
public abstract class Tolerant {
    @JsonIgnore
    private final Map<String, Object> unmodelled = new LinkedHashMap<>();

    @JsonAnySetter
    public void setUnmodelled(String key, Object value) { unmodelled.put(key, value); }

    /** Fields present in the resource that this model does not know (name to raw value). */
    @JsonAnyGetter
    public Map<String, Object> unmodelled() { return unmodelled; }
}
