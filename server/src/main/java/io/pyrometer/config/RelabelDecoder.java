package io.pyrometer.config;

import io.pyrometer.model.relabel.RelabelConfig;
import io.pyrometer.model.relabel.RelabelConfig.Action;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code relabel_configs}-style lists into {@link RelabelConfig}s, positioning their validation errors. */
final class RelabelDecoder {
    private RelabelDecoder() {}

    /**
     * @param nullMessage Prometheus's message for an empty list entry, e.g.
     *                    "empty or null target relabeling rule in scrape config"
     */
    static List<RelabelConfig> read(Fields f, String key, String nullMessage) throws ConfigException {
        List<YamlNode> items = f.list(key, "[]*relabel.Config");
        List<RelabelConfig> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            String path = Fields.index(f.path(key), i);
            YamlNode n = items.get(i);
            if (YamlNode.isEmptyItem(n)) throw Fields.error(f.file, n, path, nullMessage);
            out.add(one(Fields.of(f.file, path, n, "relabel config")));
        }
        return out;
    }

    private static RelabelConfig one(Fields f) throws ConfigException {
        List<String> source = f.has("source_labels") ? f.strings("source_labels") : null;
        for (int i = 0; source != null && i < source.size(); i++) {
            if (source.get(i).isEmpty()) throw f.error("source_labels", "\"\" is not a valid label name");
        }
        String separator = f.has("separator") ? f.string("separator", null) : null;
        String regex = f.has("regex") ? f.string("regex", null) : null;
        Long modulus = f.has("modulus") ? f.uint("modulus", 0) : null;
        String target = f.has("target_label") ? f.string("target_label", null) : null;
        String replacement = f.has("replacement") ? f.string("replacement", null) : null;
        Action action = null;
        if (f.has("action")) {
            if (YamlNode.isNull(f.get("action"))) throw f.error("action", "relabel action cannot be empty");
            String a = f.string("action", "");
            action = Action.parse(a);
            if (action == null) {
                throw f.error("action", "unknown relabel action " + DiscoveryDecoder.quote(a)
                        + "; use one of replace, keep, drop, keepequal, dropequal, hashmod, labelmap, labeldrop, labelkeep, lowercase, uppercase");
            }
        }
        f.finish();
        try {
            return RelabelConfig.of(source, separator, regex, modulus, target, replacement, action);
        } catch (RuntimeException e) { // IllegalArgumentException, re2j PatternSyntaxException
            String key = e.getMessage() != null && e.getMessage().contains("regexp") ? "regex" : blame(e.getMessage());
            throw f.error(key, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    /** The key a relabel validation message is about, to point at it. */
    private static String blame(String message) {
        if (message == null || message.contains("action requires only")) return "action";
        if (message.contains("modulus")) return "modulus";
        if (message.contains("'replacement'")) return "replacement";
        if (message.contains("'target_label'")) return "target_label";
        if (message.contains("regex") || message.contains("error parsing")) return "regex";
        return "action";
    }
}
