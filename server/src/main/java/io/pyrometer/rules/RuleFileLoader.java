package io.pyrometer.rules;

import io.pyrometer.config.ConfigException;
import io.pyrometer.config.DidYouMean;
import io.pyrometer.config.YamlNode;
import io.pyrometer.config.YamlNode.Entry;
import io.pyrometer.config.YamlNode.Kind;
import io.pyrometer.config.YamlNode.Mapping;
import io.pyrometer.config.YamlNode.Scalar;
import io.pyrometer.config.YamlNode.Sequence;
import io.pyrometer.config.YamlTree;
import io.pyrometer.model.Durations;
import io.pyrometer.promql.parser.ParseException;
import io.pyrometer.promql.parser.Parser;
import io.pyrometer.promql.parser.ParserOptions;
import io.pyrometer.template.Expander;
import io.pyrometer.template.TemplateException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates a rule file as Prometheus's {@code model/rulefmt} does ({@code Parse} with
 * {@code KnownFields(true)}, then {@code RuleGroups.Validate}): unknown fields, wrong types,
 * duplicate group names, empty or braced record names, {@code for}/{@code keep_firing_for}/
 * {@code annotations} on recording rules, invalid label and annotation names, PromQL that does not
 * parse, alert templates that do not parse. Every error names the file, line and column, the group
 * and the rule, in promtool's shape.
 *
 * <p>Scalars read as yaml.v3 reads them into Go strings: the scalar's text whatever its YAML type
 * ({@code severity: 1} is {@code "1"}, {@code for: 5m} a duration string), null as empty.
 * Validation uses Prometheus 3's default UTF-8 name scheme: any non-empty name is valid.
 */
public final class RuleFileLoader {
    private RuleFileLoader() {}

    private static final List<String> GROUPS_KEYS = List.of("groups");
    private static final List<String> GROUP_KEYS = List.of("name", "interval", "query_offset", "limit", "rules", "labels");
    private static final List<String> RULE_KEYS = List.of("record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations");

    /** Reads {@code file}; errors read {@code file: L:C: ...}. */
    public static List<RuleGroupDef> load(Path file, ParserOptions opts) throws RuleFileException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new RuleFileException(List.of(file + ": open " + file + ": no such file or directory"));
        } catch (IOException e) {
            throw new RuleFileException(List.of(file + ": " + e.getMessage()));
        }
        return parse(text, file, opts);
    }

    /** Parses rule-file text; {@code file} names it in errors. */
    public static List<RuleGroupDef> parse(String text, Path file, ParserOptions opts) throws RuleFileException {
        Decoder d = new Decoder(file);
        List<RuleGroupDef> groups;
        try {
            groups = d.groups(YamlTree.parse(text, file));
        } catch (ConfigException e) {
            throw new RuleFileException(List.of(e.getMessage()));
        }
        if (!d.errors.isEmpty()) throw new RuleFileException(d.errors);
        List<String> errs = validate(file, groups, opts);
        if (!errs.isEmpty()) throw new RuleFileException(errs);
        return groups;
    }

    // ---- validation (rulefmt.RuleGroups.Validate)

    static List<String> validate(Path file, List<RuleGroupDef> groups, ParserOptions opts) {
        List<String> errs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (RuleGroupDef g : groups) {
            String at = file + ": " + g.line() + ":" + g.column() + ": ";
            if (g.name().isEmpty()) errs.add(at + "Groupname must not be empty");
            if (!names.add(g.name())) errs.add(at + "groupname: \"" + g.name() + "\" is repeated in the same file");
            for (Map.Entry<String, String> l : g.labels().entrySet()) {
                if (!validLabelName(l.getKey())) errs.add(at + "invalid label name: " + l.getKey());
            }
            for (int i = 0; i < g.rules().size(); i++) {
                RuleDef r = g.rules().get(i);
                String prefix = file + ": " + r.line() + ":" + r.column() + ": group \"" + g.name() + "\", rule " + (i + 1)
                        + ", \"" + r.name() + "\": ";
                for (String e : validateRule(r, opts)) errs.add(e.startsWith("@") ? posPrefix(file, e, g, i, r) : prefix + e);
            }
        }
        return errs;
    }

    /** An error that carries its own position as {@code @L:C:message}. */
    private static String posPrefix(Path file, String e, RuleGroupDef g, int i, RuleDef r) {
        int colon = e.indexOf(':', e.indexOf(':') + 1);
        return file + ": " + e.substring(1, colon) + ": group \"" + g.name() + "\", rule " + (i + 1) + ", \"" + r.name() + "\": "
                + e.substring(colon + 1);
    }

    /** Prometheus 3's UTF-8 scheme: any non-empty name; {@code __name__} is reserved. */
    static boolean validLabelName(String name) {
        return !name.isEmpty() && !name.equals("__name__");
    }

    private static List<String> validateRule(RuleDef r, ParserOptions opts) {
        List<String> errs = new ArrayList<>();
        if (!r.record().isEmpty() && !r.alert().isEmpty()) errs.add("only one of 'record' and 'alert' must be set");
        if (r.record().isEmpty() && r.alert().isEmpty()) errs.add("one of 'record' or 'alert' must be set");
        if (r.expr().isEmpty()) {
            errs.add("field 'expr' must be set in rule");
        } else {
            try {
                Parser.parseExpr(r.expr(), opts);
            } catch (ParseException e) {
                errs.add("@" + r.exprLine() + ":" + r.exprColumn() + ":could not parse expression: " + e.getMessage());
            }
        }
        if (!r.record().isEmpty()) {
            if (!r.annotations().isEmpty()) errs.add("invalid field 'annotations' in recording rule");
            if (r.forMs() != 0) errs.add("invalid field 'for' in recording rule");
            if (r.keepFiringForMs() != 0) errs.add("invalid field 'keep_firing_for' in recording rule");
            if (r.record().isEmpty()) errs.add("invalid recording rule name: " + r.record());
            if (r.record().contains("{") || r.record().contains("}")) {
                errs.add("braces present in the recording rule name; should it be in expr?: " + r.record());
            }
        }
        for (String k : r.labels().keySet()) if (!validLabelName(k)) errs.add("invalid label name: " + k);
        for (String k : r.annotations().keySet()) if (k.isEmpty()) errs.add("invalid annotation name: " + k);
        if (r.isAlert()) {
            for (Map.Entry<String, String> l : r.labels().entrySet()) {
                String err = templateError(r.alert(), l.getValue());
                if (err != null) errs.add("label \"" + l.getKey() + "\": " + err);
            }
            for (Map.Entry<String, String> a : r.annotations().entrySet()) {
                String err = templateError(r.alert(), a.getValue());
                if (err != null) errs.add("annotation \"" + a.getKey() + "\": " + err);
            }
        }
        return errs;
    }

    /** Prometheus's {@code testTemplateParsing}: the alert definitions prepended, named {@code __alert_NAME}. */
    private static String templateError(String alert, String text) {
        if (!text.contains("{{")) return null; // plain text always parses; spares the engine most values
        try {
            Expander.checkParses("__alert_" + alert, Expander.alertDefinitions() + text);
            return null;
        } catch (TemplateException e) {
            return e.getMessage();
        }
    }

    // ---- decoding (yaml.v3 into rulefmt.RuleGroups, strict)

    private static final class Decoder {
        final Path file;
        final List<String> errors = new ArrayList<>();

        Decoder(Path file) { this.file = file; }

        private void error(YamlNode at, String message) {
            errors.add(file + ": " + (at == null ? "" : at.line() + ":" + at.column() + ": ") + message);
        }

        private void error(Entry at, String message) {
            errors.add(file + ": " + at.line() + ":" + at.column() + ": " + message);
        }

        List<RuleGroupDef> groups(YamlNode root) {
            List<RuleGroupDef> out = new ArrayList<>();
            if (YamlNode.isNull(root)) return out;
            Map<String, Entry> top = mapping(root, GROUPS_KEYS, "rulefmt.RuleGroups");
            if (top == null) return out;
            Entry groups = top.get("groups");
            if (groups == null || YamlNode.isNull(groups.value())) return out;
            if (!(groups.value() instanceof Sequence s)) {
                typeError(groups.value(), "[]rulefmt.RuleGroup");
                return out;
            }
            for (YamlNode g : s.items()) {
                RuleGroupDef def = group(g);
                if (def != null) out.add(def);
            }
            return out;
        }

        private RuleGroupDef group(YamlNode n) {
            Map<String, Entry> m = mapping(n, GROUP_KEYS, "rulefmt.RuleGroup");
            if (m == null) return null;
            String name = string(m.get("name"));
            long interval = duration(m.get("interval"));
            long offset = m.get("query_offset") == null || YamlNode.isNull(m.get("query_offset").value()) ? -1 : duration(m.get("query_offset"));
            int limit = integer(m.get("limit"));
            Map<String, String> labels = stringMap(m.get("labels"));
            List<RuleDef> rules = new ArrayList<>();
            Entry re = m.get("rules");
            if (re != null && !YamlNode.isNull(re.value())) {
                if (re.value() instanceof Sequence s) {
                    for (YamlNode r : s.items()) {
                        RuleDef def = rule(r);
                        if (def != null) rules.add(def);
                    }
                } else {
                    typeError(re.value(), "[]rulefmt.Rule");
                }
            }
            return new RuleGroupDef(name, interval, offset, limit, labels, rules, n.line(), n.column());
        }

        private RuleDef rule(YamlNode n) {
            Map<String, Entry> m = mapping(n, RULE_KEYS, "rulefmt.Rule");
            if (m == null) return null;
            String record = string(m.get("record"));
            String alert = string(m.get("alert"));
            Entry nameAt = m.get(alert.isEmpty() ? "record" : "alert");
            int line = nameAt == null ? n.line() : nameAt.value().line(), col = nameAt == null ? n.column() : nameAt.value().column();
            Entry expr = m.get("expr");
            return new RuleDef(record, alert, string(expr), duration(m.get("for")), duration(m.get("keep_firing_for")),
                    stringMap(m.get("labels")), stringMap(m.get("annotations")), line, col,
                    expr == null ? line : expr.value().line(), expr == null ? col : expr.value().column());
        }

        /** The entries of a mapping by key; unknown keys are errors ("field x not found in type T"). */
        private Map<String, Entry> mapping(YamlNode n, List<String> known, String goType) {
            if (!(n instanceof Mapping m)) {
                if (!YamlNode.isNull(n)) typeError(n, goType);
                return YamlNode.isNull(n) ? Map.of() : null;
            }
            Map<String, Entry> out = new LinkedHashMap<>();
            for (Entry e : m.entries()) {
                if (known.contains(e.key())) {
                    out.put(e.key(), e);
                    continue;
                }
                String msg = "field " + e.key() + " not found in type " + goType;
                String best = DidYouMean.closest(e.key(), known);
                if (best != null) msg += "; did you mean \"" + best + "\"?";
                error(e, msg);
            }
            return out;
        }

        private void typeError(YamlNode n, String goType) {
            String shown = n instanceof Scalar s ? n.tag() + " `" + s.text() + "`" : n.tag();
            error(n, "cannot unmarshal " + shown + " into " + goType);
        }

        private String string(Entry e) {
            if (e == null || YamlNode.isNull(e.value())) return "";
            if (e.value() instanceof Scalar s) return s.text();
            typeError(e.value(), "string");
            return "";
        }

        private long duration(Entry e) {
            if (e == null || YamlNode.isNull(e.value())) return 0;
            String text = string(e);
            try {
                return Durations.parseMs(text);
            } catch (IllegalArgumentException ex) {
                error(e.value(), ex.getMessage());
                return 0;
            }
        }

        private int integer(Entry e) {
            if (e == null || YamlNode.isNull(e.value())) return 0;
            if (e.value() instanceof Scalar s && s.kind() == Kind.INT) {
                try {
                    return Integer.parseInt(s.text().replace("_", ""));
                } catch (NumberFormatException ignored) {
                    // falls through to the type error
                }
            }
            typeError(e.value(), "int");
            return 0;
        }

        private Map<String, String> stringMap(Entry e) {
            Map<String, String> out = new LinkedHashMap<>();
            if (e == null || YamlNode.isNull(e.value())) return out;
            if (!(e.value() instanceof Mapping m)) {
                typeError(e.value(), "map[string]string");
                return out;
            }
            for (Entry x : m.entries()) {
                if (YamlNode.isNull(x.value())) {
                    out.put(x.key(), "");
                } else if (x.value() instanceof Scalar s) {
                    out.put(x.key(), s.text());
                } else {
                    typeError(x.value(), "string");
                }
            }
            return out;
        }
    }
}
