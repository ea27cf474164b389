package io.pyrometer.operator.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pyrometer.operator.crd.monitoring.v1.PodMonitor;
import io.pyrometer.operator.crd.monitoring.v1.PrometheusRule;
import io.pyrometer.operator.crd.monitoring.v1.ServiceMonitor;
import io.pyrometer.operator.crd.v1alpha1.AlertRoute;
import io.pyrometer.operator.crd.v1alpha1.Prometheus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads Kubernetes manifests (multi-document YAML or JSON, {@code kind: List} too) from files and
 * directories (recursively, {@code *.yaml}, {@code *.yml}, {@code *.json}), keeping the kinds the
 * operator reads and skipping others. Errors name the file, the document and, for syntax errors,
 * the line and column.
 */
public final class Manifests {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "pyrometer.io/Prometheus", Prometheus.class,
            "pyrometer.io/AlertRoute", AlertRoute.class,
            "monitoring.coreos.com/ServiceMonitor", ServiceMonitor.class,
            "monitoring.coreos.com/PodMonitor", PodMonitor.class,
            "monitoring.coreos.com/PrometheusRule", PrometheusRule.class,
            "/Namespace", Namespace.class,
            "/Secret", Secret.class);

    /** A manifest the operator cannot use. */
    public static final class ManifestException extends Exception {
        private static final long serialVersionUID = 1L;

        ManifestException(String message) { super(message, null, false, false); }
    }

    private Manifests() {}

    public static List<HasMetadata> load(List<Path> paths) throws ManifestException {
        List<HasMetadata> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                List<Path> files;
                try (Stream<Path> s = Files.walk(p)) {
                    files = s.filter(Files::isRegularFile).filter(Manifests::isManifest).sorted().toList();
                } catch (IOException e) {
                    throw new ManifestException(p + ": cannot list directory: " + e.getMessage());
                }
                for (Path f : files) out.addAll(loadFile(f));
            } else {
                out.addAll(loadFile(p));
            }
        }
        return out;
    }

    private static boolean isManifest(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
    }

    static List<HasMetadata> loadFile(Path f) throws ManifestException {
        String text;
        try {
            text = Files.readString(f);
        } catch (IOException e) {
            throw new ManifestException(f + ": cannot read: " + e.getMessage());
        }
        return parse(text, f.toString());
    }

    /** Parses {@code text}; {@code name} is used in errors. */
    public static List<HasMetadata> parse(String text, String name) throws ManifestException {
        List<HasMetadata> out = new ArrayList<>();
        int doc = 0;
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
            while (it.hasNextValue()) {
                JsonNode node = it.nextValue();
                doc++;
                if (node == null || node.isNull() || node.isMissingNode()) continue;
                addNode(node, name, doc, out);
            }
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new ManifestException(name + (loc == null ? "" : ":" + loc.getLineNr() + ":" + loc.getColumnNr())
                    + ": not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ManifestException(name + ": " + e.getMessage());
        }
        return out;
    }

    private static void addNode(JsonNode node, String name, int doc, List<HasMetadata> out) throws ManifestException {
        String kind = node.path("kind").asText();
        if (kind.endsWith("List") && node.has("items")) {
            for (JsonNode item : node.get("items")) addNode(item, name, doc, out);
            return;
        }
        String apiVersion = node.path("apiVersion").asText();
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        Class<? extends HasMetadata> type = KINDS.get(group + "/" + kind);
        if (type == null) return; // a kind the operator does not read: skipped
        try {
            HasMetadata r = Serialization.jsonMapper().treeToValue(node, type);
            if (r.getMetadata() == null || r.getMetadata().getName() == null) {
                throw new ManifestException(name + ": document " + doc + " (" + kind + "): metadata.name is required");
            }
            if (!(r instanceof Namespace) && r.getMetadata().getNamespace() == null) r.getMetadata().setNamespace("default");
            out.add(r);
        } catch (JsonProcessingException e) {
            throw new ManifestException(name + ": document " + doc + " (" + kind + "): " + e.getOriginalMessage());
        }
    }
}
