package io.pyrometer.cli;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pyrometer.config.ConfigException;
import io.pyrometer.config.YamlNode;
import io.pyrometer.config.YamlNode.Entry;
import io.pyrometer.config.YamlNode.Mapping;
import io.pyrometer.config.YamlNode.Scalar;
import io.pyrometer.config.YamlNode.Sequence;
import io.pyrometer.config.YamlTree;
import io.pyrometer.model.LabelMatcher;
import io.pyrometer.model.Labels;
import io.pyrometer.model.Durations;
import io.pyrometer.model.Values;
import io.pyrometer.promql.engine.Engine;
import io.pyrometer.promql.engine.EngineOptions;
import io.pyrometer.promql.engine.Value;
import io.pyrometer.promql.parser.ParseException;
import io.pyrometer.promql.parser.Parser;
import io.pyrometer.promql.parser.ParserOptions;
import io.pyrometer.rules.AlertState;
import io.pyrometer.rules.AlertingRule;
import io.pyrometer.rules.EngineQueries;
import io.pyrometer.rules.QueryFunction;
import io.pyrometer.rules.Rule;
import io.pyrometer.rules.RuleFileException;
import io.pyrometer.rules.RuleGroup;
import io.pyrometer.rules.RuleManager;
import io.pyrometer.rules.RuleMetrics;
import io.pyrometer.storage.Appender;
import io.pyrometer.storage.MemStorage;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code promtool test rules} (cmd/promtool/unittest.go): each test group loads its input series
 * (expanding notation {@code 1+2x10}, {@code _}, {@code stale}) into an in-memory storage,
 * evaluates every rule group in {@code group_eval_order} at each {@code evaluation_interval} from 0
 * up to the last {@code eval_time}, compares firing alerts and PromQL results, and prints
 * promtool's report. Exit 1 when any test fails.
 */
final class ToolTestRules {
    private ToolTestRules() {}

    static int run(List<String> files, PrintStream out, PrintStream err) {
        boolean failed = false;
        for (String f : files) {
            out.println("Unit Testing:  " + f);
            List<String> errs = testFile(Path.of(f), err);
            if (!errs.isEmpty()) {
                err.println("  FAILED:");
                for (String e : errs) {
                    err.println(e);
                    out.println();
                }
                failed = true;
            } else {
                out.println("  SUCCESS");
            }
            out.println();
        }
        return failed ? ToolCommand.FAILURE : ToolCommand.SUCCESS;
    }

    private record Series(String series, String values) {}

    private record AlertCase(long evalTimeMs, String alertname, List<LabelsAndAnnotations> expected) {}

    private record ExprCase(String expr, long evalTimeMs, List<Map.Entry<String, Double>> expected) {}

    private record LabelsAndAnnotations(Labels labels, Labels annotations) implements Comparable<LabelsAndAnnotations> {
        @Override
        public int compareTo(LabelsAndAnnotations o) {
            int c = labels.compareTo(o.labels);
            return c != 0 ? c : annotations.compareTo(o.annotations);
        }

        @Override
        public String toString() { return "Labels:" + labels + "\nAnnotations:" + annotations; }
    }

    private record TestGroup(long intervalMs, List<Series> input, List<AlertCase> alerts, List<ExprCase> exprs,
                             Labels externalLabels, String externalUrl, String name) {}

    private static final class FormatError extends Exception {
        FormatError(String m) { super(m, null, false, false); }
    }

    private static List<String> testFile(Path file, PrintStream err) {
        TestFile tf;
        try {
            tf = parse(file, err);
        } catch (FormatError | ConfigException e) {
            return List.of(e.getMessage());
        } catch (IOException e) {
            return List.of("open " + file + ": " + e.getMessage());
        }
        Map<String, Integer> order = new HashMap<>();
        for (int i = 0; i < tf.groupEvalOrder().size(); i++) {
            if (order.put(tf.groupEvalOrder().get(i), i) != null) {
                return List.of("group name repeated in evaluation order: " + tf.groupEvalOrder().get(i));
            }
        }
        List<String> errs = new ArrayList<>();
        for (TestGroup tg : tf.tests()) errs.addAll(test(tg, tf, order));
        return errs;
    }

    private record TestFile(List<String> ruleFiles, long evalIntervalMs, List<String> groupEvalOrder, List<TestGroup> tests) {}

    // ---- running one test group

    private static List<String> test(TestGroup tg, TestFile tf, Map<String, Integer> order) {
        MemStorage storage = new MemStorage();
        try {
            load(storage, tg);
        } catch (FormatError e) {
            return List.of(e.getMessage());
        }
        Engine engine = new Engine(EngineOptions.defaults().withNoStepSubqueryIntervalMs(tf.evalIntervalMs()));
        QueryFunction q = EngineQueries.of(engine, storage);
        AtomicLong clock = new AtomicLong();
        RuleManager m = new RuleManager(new RuleManager.Options(q, storage, storage, alerts -> {}, clock::get,
                new RuleMetrics(new PrometheusRegistry()), 60_000, 3_600_000, 600_000, tg.externalUrl(), ParserOptions.DEFAULT));
        try {
            m.update(tg.intervalMs(), 0, tg.externalLabels(), tf.ruleFiles());
        } catch (RuleFileException e) {
            return e.errors();
        }
        m.markRestored();
        List<RuleGroup> groups = new ArrayList<>(m.groups());
        groups.sort(Comparator.comparingInt(g -> order.getOrDefault(g.name(), 0)));

        long maxt = 0;
        Map<Long, List<AlertCase>> alertTests = new TreeMap<>();
        for (AlertCase a : tg.alerts()) {
            if (a.alertname().isEmpty()) {
                return List.of("an item under alert_rule_test misses required attribute alertname at eval_time "
                        + Durations.format(a.evalTimeMs()) + (tg.name().isEmpty() ? "" : " (in TestGroup " + tg.name() + ")"));
            }
            alertTests.computeIfAbsent(a.evalTimeMs(), k -> new ArrayList<>()).add(a);
            maxt = Math.max(maxt, a.evalTimeMs());
        }
        for (ExprCase e : tg.exprs()) maxt = Math.max(maxt, e.evalTimeMs());
        List<Long> alertTimes = new ArrayList<>(alertTests.keySet());
        int curr = 0;
        List<String> errs = new ArrayList<>();
        long interval = tf.evalIntervalMs();
        for (long ts = 0; ts <= maxt; ts += interval) {
            clock.set(ts);
            List<String> evalErrs = new ArrayList<>();
            for (RuleGroup g : groups) {
                g.eval(ts);
                for (Rule r : g.rules()) {
                    if (!r.lastError().isEmpty()) {
                        evalErrs.add("    rule: " + r.name() + ", time: " + goDuration(ts) + ", err: " + r.lastError());
                    }
                }
            }
            errs.addAll(evalErrs);
            if (!evalErrs.isEmpty()) return errs;
            while (curr < alertTimes.size() && ts <= alertTimes.get(curr) && alertTimes.get(curr) < ts + interval) {
                long t = alertTimes.get(curr);
                for (AlertCase c : alertTests.get(t)) errs.addAll(checkAlerts(c, groups, tg));
                curr++;
            }
        }
        for (ExprCase c : tg.exprs()) errs.addAll(checkExpr(c, q));
        m.close();
        return errs;
    }

    private static List<String> checkAlerts(AlertCase c, List<RuleGroup> groups, TestGroup tg) {
        List<LabelsAndAnnotations> got = new ArrayList<>();
        for (RuleGroup g : groups) {
            for (Rule r : g.rules()) {
                if (!(r instanceof AlertingRule ar) || !ar.name().equals(c.alertname())) continue;
                for (AlertingRule.ActiveAlert a : ar.activeAlerts()) {
                    if (a.resolvedAtMs() == 0 && a.state() == AlertState.FIRING) got.add(new LabelsAndAnnotations(a.labels(), a.annotations()));
                }
            }
        }
        List<LabelsAndAnnotations> exp = new ArrayList<>(c.expected());
        got.sort(null);
        exp.sort(null);
        if (exp.equals(got)) return List.of();
        String name = tg.name().isEmpty() ? "" : "    name: " + tg.name() + ",\n";
        return List.of(name + "    alertname: " + c.alertname() + ", time: " + Durations.format(c.evalTimeMs()) + ", \n        exp:"
                + indent(listString(exp), "            ") + ", \n        got:" + indent(listString(got), "            "));
    }

    private static List<String> checkExpr(ExprCase c, QueryFunction q) {
        String head = "    expr: " + goQuote(c.expr()) + ", time: " + Durations.format(c.evalTimeMs());
        List<Value.Sample> got;
        try {
            got = q.query(c.expr(), c.evalTimeMs());
        } catch (Exception e) {
            return List.of(head + ", err: " + e.getMessage());
        }
        List<Map.Entry<Labels, Double>> gotS = new ArrayList<>();
        for (Value.Sample s : got) gotS.add(Map.entry(s.labels(), s.v()));
        List<Map.Entry<Labels, Double>> expS = new ArrayList<>();
        for (Map.Entry<String, Double> e : c.expected()) {
            Labels l;
            try {
                l = parseMetric(e.getKey());
            } catch (RuntimeException ex) {
                return List.of(head + ", err: labels " + goQuote(e.getKey()) + ": " + ex.getMessage());
            }
            expS.add(Map.entry(l, e.getValue()));
        }
        Comparator<Map.Entry<Labels, Double>> byLabels = Map.Entry.comparingByKey();
        gotS.sort(byLabels);
        expS.sort(byLabels);
        if (sameSamples(expS, gotS)) return List.of();
        return List.of(head + ",\n        exp: " + samplesString(expS) + "\n        got: " + samplesString(gotS));
    }

    /** Go's reflect.DeepEqual on float64: NaN never equals. */
    private static boolean sameSamples(List<Map.Entry<Labels, Double>> a, List<Map.Entry<Labels, Double>> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).getKey().equals(b.get(i).getKey())) return false;
            if (!(a.get(i).getValue().doubleValue() == b.get(i).getValue().doubleValue())) return false;
        }
        return true;
    }

    private static String samplesString(List<Map.Entry<Labels, Double>> s) {
        if (s.isEmpty()) return "nil";
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Labels, Double> e : s) {
            if (!sb.isEmpty()) sb.append(", ");
            sb.append(e.getKey()).append(' ').append(goFloatE(e.getValue()));
        }
        return sb.toString();
    }

    private static String listString(List<LabelsAndAnnotations> la) {
        if (la.isEmpty()) return "[]";
        StringBuilder sb = new StringBuilder("[\n0:").append(indent("\n" + la.getFirst(), "  "));
        for (int i = 1; i < la.size(); i++) sb.append(",\n").append(i).append(':').append(indent("\n" + la.get(i), "  "));
        return sb.append("\n]").toString();
    }

    private static String indent(String lines, String indent) {
        return lines.replace("\n", "\n" + indent);
    }

    // ---- input series

    private static void load(MemStorage storage, TestGroup tg) throws FormatError {
        Appender app = storage.appender();
        for (Series s : tg.input()) {
            Labels l;
            try {
                l = parseMetric(s.series());
            } catch (RuntimeException e) {
                throw new FormatError("error in input_series: " + s.series() + ": " + e.getMessage());
            }
            List<Double> values = expandValues(s.values());
            for (int i = 0; i < values.size(); i++) {
                Double v = values.get(i);
                if (v != null) app.append(0, l, i * tg.intervalMs(), v);
            }
        }
        app.commit();
    }

    /** A series selector with only {@code =} matchers, as a label set. */
    static Labels parseMetric(String s) {
        List<LabelMatcher> ms;
        try {
            ms = Parser.parseMetricSelector(s);
        } catch (ParseException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        Labels.Builder b = Labels.builder();
        for (LabelMatcher m : ms) b.set(m.name(), m.value());
        return b.build();
    }

    /**
     * The promqltest value notation: {@code a}, {@code a+bxN}/{@code a-bxN} (N+1 values),
     * {@code _} (no sample), {@code _xN}, {@code stale}; null marks an omitted slot.
     */
    static List<Double> expandValues(String text) throws FormatError {
        List<Double> out = new ArrayList<>();
        for (String tok : text.trim().split("\\s+")) {
            if (tok.isEmpty()) continue;
            if (tok.equals("_")) {
                out.add(null);
            } else if (tok.startsWith("_x")) {
                int n = count(tok.substring(2), text);
                for (int i = 0; i < n; i++) out.add(null);
            } else if (tok.equals("stale")) {
                out.add(Values.STALE_NAN);
            } else {
                int x = tok.lastIndexOf('x');
                if (x > 0 && x < tok.length() - 1 && tok.substring(x + 1).chars().allMatch(Character::isDigit)) {
                    int n = count(tok.substring(x + 1), text);
                    String head = tok.substring(0, x);
                    int op = -1;
                    for (int i = 1; i < head.length(); i++) {
                        char ch = head.charAt(i);
                        if ((ch == '+' || ch == '-') && head.charAt(i - 1) != 'e' && head.charAt(i - 1) != 'E') op = i;
                    }
                    double a = op > 0 ? number(head.substring(0, op), text) : number(head, text);
                    double d = op > 0 ? number(head.substring(op + 1), text) * (head.charAt(op) == '-' ? -1 : 1) : 0;
                    double v = a;
                    for (int i = 0; i <= n; i++) {
                        out.add(v);
                        v += d;
                    }
                } else {
                    out.add(number(tok, text));
                }
            }
        }
        return out;
    }

    private static int count(String s, String text) throws FormatError {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new FormatError("invalid values " + goQuote(text));
        }
    }

    private static double number(String s, String text) throws FormatError {
        switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "inf", "+inf" -> { return Double.POSITIVE_INFINITY; }
            case "-inf" -> { return Double.NEGATIVE_INFINITY; }
            case "nan" -> { return Double.NaN; }
            default -> { }
        }
        try {
            if (s.endsWith("d") || s.endsWith("f") || s.endsWith("D") || s.endsWith("F")) throw new NumberFormatException();
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new FormatError("invalid values " + goQuote(text) + ": bad number " + goQuote(s));
        }
    }

    // ---- the test file (yaml.UnmarshalStrict into unitTestFile)

    private static TestFile parse(Path file, PrintStream err) throws IOException, ConfigException, FormatError {
        YamlNode root = YamlTree.parse(Files.readString(file), file);
        Map<String, YamlNode> top = fields(root, "main.unitTestFile", "rule_files", "evaluation_interval", "group_eval_order", "tests");
        Path base = file.getParent(); // as Go's filepath.Join(filepath.Dir(file), rf): relative stays relative
        List<String> ruleFiles = new ArrayList<>();
        for (String rf : strings(top.get("rule_files"))) {
            String p = rf.isEmpty() || Path.of(rf).isAbsolute() || base == null ? rf : base.resolve(rf).normalize().toString();
            List<Path> matched;
            try {
                matched = RuleManager.expand(List.of(p));
            } catch (RuleFileException e) {
                throw new FormatError(e.getMessage());
            }
            if (matched.isEmpty()) err.println("  WARNING: no file match pattern " + p);
            for (Path mp : matched) ruleFiles.add(mp.toString());
        }
        long evalInterval = duration(top.get("evaluation_interval"));
        if (evalInterval == 0) evalInterval = 60_000;
        List<TestGroup> tests = new ArrayList<>();
        for (YamlNode t : items(top.get("tests"))) tests.add(testGroup(t, evalInterval));
        return new TestFile(ruleFiles, evalInterval, strings(top.get("group_eval_order")), tests);
    }

    private static TestGroup testGroup(YamlNode n, long evalInterval) throws FormatError {
        Map<String, YamlNode> f = fields(n, "main.testGroup", "interval", "input_series", "alert_rule_test", "promql_expr_test",
                "external_labels", "external_url", "name");
        long interval = duration(f.get("interval"));
        if (interval == 0) interval = evalInterval;
        List<Series> input = new ArrayList<>();
        for (YamlNode s : items(f.get("input_series"))) {
            Map<String, YamlNode> sf = fields(s, "main.series", "series", "values");
            input.add(new Series(string(sf.get("series")), string(sf.get("values"))));
        }
        List<AlertCase> alerts = new ArrayList<>();
        for (YamlNode a : items(f.get("alert_rule_test"))) {
            Map<String, YamlNode> af = fields(a, "main.alertTestCase", "eval_time", "alertname", "exp_alerts");
            String name = string(af.get("alertname"));
            List<LabelsAndAnnotations> exp = new ArrayList<>();
            for (YamlNode e : items(af.get("exp_alerts"))) {
                Map<String, YamlNode> ef = fields(e, "main.alert", "exp_labels", "exp_annotations");
                Map<String, String> labels = stringMap(ef.get("exp_labels"));
                labels.put("alertname", name);
                exp.add(new LabelsAndAnnotations(Labels.of(labels), Labels.of(stringMap(ef.get("exp_annotations")))));
            }
            alerts.add(new AlertCase(duration(af.get("eval_time")), name, exp));
        }
        List<ExprCase> exprs = new ArrayList<>();
        for (YamlNode p : items(f.get("promql_expr_test"))) {
            Map<String, YamlNode> pf = fields(p, "main.promqlTestCase", "expr", "eval_time", "exp_samples");
            List<Map.Entry<String, Double>> exp = new ArrayList<>();
            for (YamlNode s : items(pf.get("exp_samples"))) {
                Map<String, YamlNode> sf = fields(s, "main.sample", "labels", "value");
                String v = string(sf.get("value"));
                double d;
                try {
                    d = v.isEmpty() ? 0 : number(v, v);
                } catch (FormatError e) {
                    throw new FormatError("yaml: unmarshal errors:\n  line " + sf.get("value").line() + ": cannot unmarshal !!str `" + v + "` into float64");
                }
                exp.add(Map.entry(string(sf.get("labels")), d));
            }
            exprs.add(new ExprCase(string(pf.get("expr")), duration(pf.get("eval_time")), exp));
        }
        return new TestGroup(interval, input, alerts, exprs, Labels.of(stringMap(f.get("external_labels"))),
                string(f.get("external_url")), string(f.get("name")));
    }

    private static Map<String, YamlNode> fields(YamlNode n, String type, String... known) throws FormatError {
        Map<String, YamlNode> out = new LinkedHashMap<>();
        if (YamlNode.isNull(n)) return out;
        if (!(n instanceof Mapping m)) throw new FormatError("yaml: unmarshal errors:\n  line " + n.line() + ": cannot unmarshal " + n.tag() + " into " + type);
        List<String> k = List.of(known);
        for (Entry e : m.entries()) {
            if (!k.contains(e.key())) throw new FormatError("yaml: unmarshal errors:\n  line " + e.line() + ": field " + e.key() + " not found in type " + type);
            out.put(e.key(), e.value());
        }
        return out;
    }

    private static List<YamlNode> items(YamlNode n) throws FormatError {
        if (YamlNode.isNull(n)) return List.of();
        if (n instanceof Sequence s) return s.items();
        throw new FormatError("yaml: unmarshal errors:\n  line " + n.line() + ": cannot unmarshal " + n.tag() + " into a list");
    }

    private static String string(YamlNode n) throws FormatError {
        if (YamlNode.isNull(n)) return "";
        if (n instanceof Scalar s) return s.text();
        throw new FormatError("yaml: unmarshal errors:\n  line " + n.line() + ": cannot unmarshal " + n.tag() + " into string");
    }

    private static List<String> strings(YamlNode n) throws FormatError {
        List<String> out = new ArrayList<>();
        for (YamlNode i : items(n)) out.add(string(i));
        return out;
    }

    private static Map<String, String> stringMap(YamlNode n) throws FormatError {
        Map<String, String> out = new LinkedHashMap<>();
        if (YamlNode.isNull(n)) return out;
        if (!(n instanceof Mapping m)) throw new FormatError("yaml: unmarshal errors:\n  line " + n.line() + ": cannot unmarshal " + n.tag() + " into map[string]string");
        for (Entry e : m.entries()) out.put(e.key(), string(e.value()));
        return out;
    }

    private static long duration(YamlNode n) throws FormatError {
        String s = string(n);
        if (s.isEmpty()) return 0;
        try {
            return Durations.parseMs(s);
        } catch (IllegalArgumentException e) {
            throw new FormatError(e.getMessage());
        }
    }

    // ---- Go formatting

    /** Go's {@code time.Duration.String()}: {@code 0s}, {@code 1m0s}, {@code 1h5m0s}, {@code 1.5s}, {@code 500ms}. */
    static String goDuration(long ms) {
        if (ms == 0) return "0s";
        if (ms < 1000) return ms + "ms";
        StringBuilder sb = new StringBuilder();
        long h = ms / 3_600_000, m = ms / 60_000 % 60, s = ms / 1000 % 60, frac = ms % 1000;
        if (h > 0) sb.append(h).append('h');
        if (h > 0 || m > 0) sb.append(m).append('m');
        sb.append(s);
        if (frac > 0) {
            String f = String.format("%03d", frac);
            while (f.endsWith("0")) f = f.substring(0, f.length() - 1);
            sb.append('.').append(f);
        }
        return sb.append('s').toString();
    }

    /** Go's {@code strconv.FormatFloat(v, 'E', -1, 64)}. */
    static String goFloatE(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        if (v == 0) return "0E+00";
        BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int exp = digits.length() - 1 - d.scale();
        StringBuilder sb = new StringBuilder();
        if (v < 0) sb.append('-');
        sb.append(digits.charAt(0));
        if (digits.length() > 1) sb.append('.').append(digits, 1, digits.length());
        sb.append('E').append(exp < 0 ? '-' : '+');
        if (Math.abs(exp) < 10) sb.append('0');
        return sb.append(Math.abs(exp)).toString();
    }

    private static String goQuote(String s) {
        StringBuilder sb = new StringBuilder();
        Labels.appendQuoted(sb, s);
        return sb.toString();
    }
}
