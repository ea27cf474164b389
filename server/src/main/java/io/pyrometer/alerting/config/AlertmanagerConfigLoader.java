package io.pyrometer.alerting.config;

import io.pyrometer.alerting.config.AlertmanagerConfig.Global;
import io.pyrometer.alerting.config.AlertmanagerConfig.InhibitRule;
import io.pyrometer.alerting.config.AlertmanagerConfig.ReceiverConfig;
import io.pyrometer.alerting.config.AlertmanagerConfig.RouteConfig;
import io.pyrometer.alerting.notify.NotifyGlobals;
import io.pyrometer.alerting.notify.NotifyTemplates;
import io.pyrometer.alerting.notify.Receivers;
import io.pyrometer.config.ConfigException;
import io.pyrometer.config.ConfigLoader;
import io.pyrometer.config.Fields;
import io.pyrometer.config.YamlNode;
import io.pyrometer.config.YamlTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads {@code alertmanager.yml} as Alertmanager 0.25's {@code config.Load} does (same keys,
 * defaults and checks; upstream {@code config/config.go}, {@code timeinterval/timeinterval.go}),
 * every error naming file, line and column.
 *
 * <pre>{@code
 * AlertmanagerConfig c = AlertmanagerConfigLoader.load(Path.of("alertmanager.yml"));
 * }</pre>
 */
public final class AlertmanagerConfigLoader {
    private AlertmanagerConfigLoader() {}

    public static AlertmanagerConfig load(Path file) throws ConfigException {
        String text = ConfigLoader.readUtf8(file);
        return parse(text, file);
    }

    public static AlertmanagerConfig parse(String text, Path file) throws ConfigException {
        YamlNode root = YamlTree.parse(text, file);
        Fields top = Fields.of(file, "", root, "the top level of the config file");
        Global global = global(top);
        RouteConfig route = top.has("route") && !YamlNode.isNull(top.get("route"))
                ? route(Fields.of(file, "route", top.get("route"), "route")) : null;
        List<InhibitRule> inhibit = new ArrayList<>();
        List<YamlNode> rules = top.list("inhibit_rules", "[]config.InhibitRule");
        for (int i = 0; i < rules.size(); i++) {
            inhibit.add(inhibitRule(Fields.of(file, Fields.index("inhibit_rules", i), rules.get(i), "inhibit rule")));
        }
        List<ReceiverConfig> receivers = new ArrayList<>();
        List<YamlNode> rcv = top.list("receivers", "[]config.Receiver");
        Set<String> names = new HashSet<>();
        for (int i = 0; i < rcv.size(); i++) {
            String path = Fields.index("receivers", i);
            ReceiverConfig r = receiver(Fields.of(file, path, rcv.get(i), "receiver"), global.notifyGlobals());
            if (!names.add(r.name())) {
                throw Fields.error(file, rcv.get(i), path, "notification config name \"" + r.name() + "\" is not unique");
            }
            receivers.add(r);
        }
        List<String> templates = top.strings("templates");
        NotifyTemplates notifyTemplates = templates(top, templates);
        Map<String, List<TimeInterval>> intervals = new LinkedHashMap<>();
        timeIntervals(top, "mute_time_intervals", "mute time interval", intervals);
        timeIntervals(top, "time_intervals", "time interval", intervals);
        top.finish();

        if (route == null) throw top.error("no routes provided; add a route: section with a default receiver");
        Fields rf = Fields.of(file, "route", top.get("route"), "route");
        if (route.receiver().isEmpty()) throw rf.error("root route must specify a default receiver");
        if (!route.matchers().isEmpty()) throw rf.error("root route must not have any matchers");
        if (!route.muteTimeIntervals().isEmpty()) throw rf.error("root route must not have any mute time intervals");
        if (!route.activeTimeIntervals().isEmpty()) throw rf.error("root route must not have any active time intervals");
        if (route.continueMatching()) throw rf.error("cannot have continue in root route");
        checkRoute(file, top.get("route"), "route", route, names, intervals.keySet());
        return new AlertmanagerConfig(global, route, List.copyOf(inhibit), List.copyOf(receivers), templates,
                intervals, notifyTemplates, file, text, ConfigLoader.sha256(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static Global global(Fields top) throws ConfigException {
        if (!top.has("global")) return new Global(Global.DEFAULT_RESOLVE_TIMEOUT_MS, NotifyGlobals.DEFAULT);
        YamlNode n = top.get("global");
        Fields g = Fields.of(top.file, "global", n, "global");
        long resolve = g.durationMs("resolve_timeout", Global.DEFAULT_RESOLVE_TIMEOUT_MS);
        NotifyGlobals notify = NotifyGlobals.read(g);
        g.finish();
        return new Global(resolve, notify);
    }

    private static void checkRoute(Path file, YamlNode node, String path, RouteConfig r, Set<String> receivers,
                                   Set<String> intervals) throws ConfigException {
        Fields f = Fields.of(file, path, node, "route");
        if (!r.receiver().isEmpty() && !receivers.contains(r.receiver())) {
            throw f.error("receiver", "undefined receiver \"" + r.receiver() + "\" used in route");
        }
        for (String ti : r.activeTimeIntervals()) {
            if (!intervals.contains(ti)) throw f.error("active_time_intervals", "undefined time interval \"" + ti + "\" used in route");
        }
        for (String ti : r.muteTimeIntervals()) {
            if (!intervals.contains(ti)) throw f.error("mute_time_intervals", "undefined time interval \"" + ti + "\" used in route");
        }
        List<YamlNode> children = f.list("routes", "[]*config.Route");
        for (int i = 0; i < r.routes().size(); i++) {
            checkRoute(file, children.get(i), Fields.index(f.path("routes"), i), r.routes().get(i), receivers, intervals);
        }
    }

    static RouteConfig route(Fields f) throws ConfigException {
        String receiver = f.string("receiver", "");
        List<String> groupByStr = f.has("group_by") && !YamlNode.isNull(f.get("group_by")) ? f.strings("group_by") : null;
        List<Matcher> matchers = new ArrayList<>();
        for (var e : f.entries("match", "map[string]string")) {
            if (!Matchers.isValidLabelName(e.key())) throw f.error("match", "invalid label name \"" + e.key() + "\"");
            matchers.add(Matcher.of(Matcher.Type.EQ, e.key(), Fields.scalarText(f.file, f.path("match"), e.value(), "string")));
        }
        matchers.addAll(matchRe(f, "match_re"));
        matchers.addAll(matcherList(f, "matchers"));
        matchers.sort(Matcher.ORDER);
        List<String> mute = f.strings("mute_time_intervals");
        List<String> active = f.strings("active_time_intervals");
        boolean cont = f.bool("continue", false);
        List<RouteConfig> routes = new ArrayList<>();
        List<YamlNode> children = f.list("routes", "[]*config.Route");
        for (int i = 0; i < children.size(); i++) {
            String p = Fields.index(f.path("routes"), i);
            routes.add(route(Fields.of(f.file, p, children.get(i), "route")));
        }
        Long wait = f.has("group_wait") && !YamlNode.isNull(f.get("group_wait")) ? f.durationMs("group_wait", 0) : null;
        Long interval = f.has("group_interval") && !YamlNode.isNull(f.get("group_interval")) ? f.durationMs("group_interval", 0) : null;
        Long repeat = f.has("repeat_interval") && !YamlNode.isNull(f.get("repeat_interval")) ? f.durationMs("repeat_interval", 0) : null;
        f.finish();

        List<String> groupBy = null;
        boolean all = false;
        if (groupByStr != null) {
            groupBy = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (String l : groupByStr) {
                if (l.equals("...")) {
                    all = true;
                } else {
                    if (!Matchers.isValidLabelName(l)) throw f.error("group_by", "invalid label name \"" + l + "\" in group_by list");
                    if (!seen.add(l)) throw f.error("group_by", "duplicated label \"" + l + "\" in group_by");
                    groupBy.add(l);
                }
            }
            if (all && !groupBy.isEmpty()) {
                throw f.error("group_by", "cannot have wildcard group_by (`...`) and other labels at the same time");
            }
            if (all) groupBy = null;
        }
        if (interval != null && interval == 0) throw f.error("group_interval", "group_interval cannot be zero");
        if (repeat != null && repeat == 0) throw f.error("repeat_interval", "repeat_interval cannot be zero");
        return new RouteConfig(receiver, groupBy == null ? null : List.copyOf(groupBy), all, List.copyOf(matchers), cont,
                List.copyOf(routes), wait, interval, repeat, mute, active);
    }

    private static List<Matcher> matchRe(Fields f, String key) throws ConfigException {
        List<Matcher> out = new ArrayList<>();
        for (var e : f.entries(key, "map[string]config.Regexp")) {
            String v = Fields.scalarText(f.file, f.path(key) + "." + e.key(), e.value(), "config.Regexp");
            if (!Matchers.isValidLabelName(e.key())) throw f.error(key, "invalid label name \"" + e.key() + "\"");
            try {
                out.add(Matcher.of(Matcher.Type.RE, e.key(), v));
            } catch (IllegalArgumentException ex) {
                throw Fields.error(f.file, e.value(), f.path(key) + "." + e.key(), ex.getMessage());
            }
        }
        return out;
    }

    private static List<Matcher> matcherList(Fields f, String key) throws ConfigException {
        List<Matcher> out = new ArrayList<>();
        List<YamlNode> items = f.list(key, "[]string");
        for (int i = 0; i < items.size(); i++) {
            String p = Fields.index(f.path(key), i);
            String s = Fields.scalarText(f.file, p, items.get(i), "string");
            try {
                out.addAll(Matchers.parseList(s));
            } catch (IllegalArgumentException e) {
                throw Fields.error(f.file, items.get(i), p, e.getMessage());
            }
        }
        return out;
    }

    private static InhibitRule inhibitRule(Fields f) throws ConfigException {
        List<Matcher> source = new ArrayList<>(), target = new ArrayList<>();
        for (var e : f.entries("source_match", "map[string]string")) {
            if (!Matchers.isValidLabelName(e.key())) throw f.error("source_match", "invalid label name \"" + e.key() + "\"");
            source.add(Matcher.of(Matcher.Type.EQ, e.key(), Fields.scalarText(f.file, f.path("source_match"), e.value(), "string")));
        }
        source.addAll(matchRe(f, "source_match_re"));
        source.addAll(matcherList(f, "source_matchers"));
        for (var e : f.entries("target_match", "map[string]string")) {
            if (!Matchers.isValidLabelName(e.key())) throw f.error("target_match", "invalid label name \"" + e.key() + "\"");
            target.add(Matcher.of(Matcher.Type.EQ, e.key(), Fields.scalarText(f.file, f.path("target_match"), e.value(), "string")));
        }
        target.addAll(matchRe(f, "target_match_re"));
        target.addAll(matcherList(f, "target_matchers"));
        List<String> equal = f.strings("equal");
        f.finish();
        for (String l : equal) {
            if (!Matchers.isValidLabelName(l)) throw f.error("equal", "invalid label name \"" + l + "\" in equal list");
        }
        return new InhibitRule(List.copyOf(source), List.copyOf(target), equal);
    }

    private static ReceiverConfig receiver(Fields f, NotifyGlobals globals) throws ConfigException {
        var parsed = Receivers.parseConfig(f, globals);
        return new ReceiverConfig(parsed.name(), f.node, parsed);
    }

    /**
     * The {@code templates:} globs (relative to the config file's directory; {@code *} only in the last
     * component), read and parsed over Alertmanager's default templates, as {@code amtool check-config} does.
     */
    private static NotifyTemplates templates(Fields top, List<String> globs) throws ConfigException {
        Path dir = top.file == null || top.file.toAbsolutePath().getParent() == null ? Path.of(".") : top.file.toAbsolutePath().getParent();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < globs.size(); i++) {
            String g = globs.get(i);
            Path pattern = dir.resolve(g);
            Path parent = pattern.getParent();
            String last = pattern.getFileName().toString();
            if (parent != null && Files.isDirectory(parent)) {
                var matcher = java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + last);
                try (var s = Files.list(parent)) {
                    s.filter(p -> matcher.matches(p.getFileName()) && Files.isRegularFile(p)).sorted().forEach(files::add);
                } catch (IOException e) {
                    throw Fields.error(top.file, Fields.items(top.file, "templates", top.get("templates"), "[]string").get(i),
                            Fields.index("templates", i), "reading templates " + g + ": " + e.getMessage());
                }
            }
        }
        try {
            NotifyTemplates t = NotifyTemplates.load(files);
            t.check();
            return t;
        } catch (IOException | io.pyrometer.template.TemplateException e) {
            throw top.error("templates", "failed to parse templates: " + e.getMessage());
        }
    }

    private static void timeIntervals(Fields top, String key, String what, Map<String, List<TimeInterval>> out) throws ConfigException {
        List<YamlNode> items = top.list(key, "[]config.TimeInterval");
        for (int i = 0; i < items.size(); i++) {
            String p = Fields.index(key, i);
            Fields f = Fields.of(top.file, p, items.get(i), what);
            String name = f.string("name", "");
            List<TimeInterval> tis = new ArrayList<>();
            List<YamlNode> list = f.list("time_intervals", "[]timeinterval.TimeInterval");
            for (int j = 0; j < list.size(); j++) {
                tis.add(timeInterval(Fields.of(top.file, Fields.index(f.path("time_intervals"), j), list.get(j), "time interval")));
            }
            f.finish();
            if (name.isEmpty()) throw f.error("missing name in " + what);
            if (out.containsKey(name)) throw f.error("name", what + " \"" + name + "\" is not unique");
            out.put(name, List.copyOf(tis));
        }
    }

    private interface RangeParser { int[] parse(String s); }

    private static TimeInterval timeInterval(Fields f) throws ConfigException {
        List<int[]> times = null;
        if (f.has("times")) {
            times = new ArrayList<>();
            List<YamlNode> items = f.list("times", "[]timeinterval.TimeRange");
            for (int i = 0; i < items.size(); i++) {
                Fields t = Fields.of(f.file, Fields.index(f.path("times"), i), items.get(i), "time range");
                String start = t.string("start_time", ""), end = t.string("end_time", "");
                t.finish();
                try {
                    times.add(TimeInterval.timeRange(start, end));
                } catch (IllegalArgumentException e) {
                    throw t.error(e.getMessage());
                }
            }
        }
        List<int[]> weekdays = ranges(f, "weekdays", TimeInterval::weekdayRange);
        List<int[]> days = ranges(f, "days_of_month", TimeInterval::dayOfMonthRange);
        List<int[]> months = ranges(f, "months", TimeInterval::monthRange);
        List<int[]> years = ranges(f, "years", TimeInterval::yearRange);
        java.time.ZoneId loc = null;
        if (f.has("location")) {
            try {
                loc = TimeInterval.location(f.string("location", ""));
            } catch (IllegalArgumentException e) {
                throw f.error("location", e.getMessage());
            }
        }
        f.finish();
        return new TimeInterval(times, weekdays, days, months, years, loc);
    }

    private static List<int[]> ranges(Fields f, String key, RangeParser p) throws ConfigException {
        if (!f.has(key)) return null;
        List<YamlNode> items = f.list(key, "[]string");
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String path = Fields.index(f.path(key), i);
            String s = Fields.scalarText(f.file, path, items.get(i), "string");
            try {
                out.add(p.parse(s));
            } catch (IllegalArgumentException e) {
                throw Fields.error(f.file, items.get(i), path, e.getMessage());
            }
        }
        return out;
    }
}
