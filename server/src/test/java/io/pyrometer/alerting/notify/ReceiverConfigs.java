package io.pyrometer.alerting.notify;

import io.pyrometer.config.ConfigException;
import io.pyrometer.config.Fields;
import io.pyrometer.config.YamlNode;
import io.pyrometer.config.YamlTree;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code global:} and {@code receivers:} of an alertmanager.yml text the way the router's
 * loader does (global keys it does not own are skipped here), for parse tests.
 */
final class ReceiverConfigs {
    private ReceiverConfigs() {}

    record Parsed(NotifyGlobals globals, List<ReceiverConfig> receivers) {}

    static Parsed parse(String yaml) throws ConfigException {
        Path file = Path.of("alertmanager.yml");
        YamlNode root = YamlTree.parse(yaml, file);
        Fields top = Fields.of(file, "", root, "config");
        NotifyGlobals g = NotifyGlobals.DEFAULT;
        if (top.has("global")) {
            Fields gf = Fields.of(file, "global", top.get("global"), "global config");
            gf.durationMs("resolve_timeout", 0); // the router's key
            g = NotifyGlobals.read(gf);
            gf.finish();
        }
        List<ReceiverConfig> out = new ArrayList<>();
        List<YamlNode> items = top.list("receivers", "[]config.Receiver");
        for (int i = 0; i < items.size(); i++) {
            out.add(Receivers.parseConfig(Fields.of(file, Fields.index("receivers", i), items.get(i), "receiver"), g));
        }
        top.get("route"); // the router's
        top.get("templates");
        top.finish();
        return new Parsed(g, out);
    }
}
