package io.pyrometer.web;

import com.fasterxml.jackson.core.JsonGenerator;
import io.pyrometer.model.LabelMatcher;
import io.pyrometer.model.Labels;
import io.pyrometer.rules.AlertingRule;
import io.pyrometer.rules.RecordingRule;
import io.pyrometer.rules.Rule;
import io.pyrometer.rules.RuleGroup;
import io.pyrometer.rules.RuleManager;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code /api/v1/rules} and {@code /api/v1/alerts} with Prometheus's parameters and JSON
 * ({@code web/api/v1/api.go}: {@code rules}, {@code alerts}, {@code rulesAlertsToAPIAlerts}).
 */
public final class RulesApi {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private final RuleManager rules;
    private final Function<String, List<LabelMatcher>> selectorParser;

    public RulesApi(RuleManager rules, Function<String, List<LabelMatcher>> selectorParser) {
        this.rules = rules;
        this.selectorParser = selectorParser;
    }

    public void register(WebServer web) {
        web.json("/api/v1/rules", false, this::rules);
        web.json("/api/v1/alerts", false, this::alerts);
    }

    private byte[] alerts(Request req) {
        return Json.success(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("alerts");
            for (RuleGroup grp : rules.groups()) {
                for (Rule r : grp.rules()) if (r instanceof AlertingRule ar) writeAlerts(g, ar);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private byte[] rules(Request req) {
        Set<String> names = new HashSet<>(req.params("rule_name[]"));
        Set<String> groupNames = new HashSet<>(req.params("rule_group[]"));
        Set<String> files = new HashSet<>(req.params("file[]"));
        List<List<LabelMatcher>> matcherSets = new ArrayList<>();
        for (String m : req.params("match[]")) {
            try {
                matcherSets.add(selectorParser.apply(m));
            } catch (IllegalArgumentException e) {
                throw ApiError.badData(e.getMessage());
            }
        }
        String typ = req.param("type") == null ? "" : req.param("type").toLowerCase(Locale.ROOT);
        if (!typ.isEmpty() && !typ.equals("alert") && !typ.equals("record")) {
            throw ApiError.badData("invalid parameter \"type\": not supported value \"" + typ + "\"");
        }
        boolean returnAlerts = typ.isEmpty() || typ.equals("alert");
        boolean returnRecording = typ.isEmpty() || typ.equals("record");
        boolean excludeAlerts = parseBool(req.param("exclude_alerts"));
        String limitParam = req.param("group_limit"), nextToken = req.param("group_next_token");
        long maxGroups = -1;
        if (nextToken != null && !nextToken.isEmpty() && (limitParam == null || limitParam.isEmpty())) {
            throw ApiError.badData("invalid parameter \"group_next_token\": group_limit needs to be present in order to paginate over the groups");
        }
        if (limitParam != null && !limitParam.isEmpty()) {
            try {
                maxGroups = Integer.parseInt(limitParam);
            } catch (NumberFormatException e) {
                throw ApiError.badData("invalid parameter \"group_limit\": group_limit needs to be a valid number: strconv.ParseInt: parsing "
                        + "\"" + limitParam + "\": invalid syntax");
            }
            if (maxGroups <= 0) throw ApiError.badData("invalid parameter \"group_limit\": group_limit needs to be greater than 0");
        }
        if (maxGroups <= 0 || nextToken == null) nextToken = "";
        List<RuleGroup> page = new ArrayList<>();
        List<List<Rule>> pageRules = new ArrayList<>();
        String groupNextToken = "";
        boolean foundToken = false;
        for (RuleGroup grp : rules.groups()) {
            if (maxGroups > 0 && !nextToken.isEmpty() && !foundToken) {
                if (!nextToken.equals(token(grp))) continue;
                foundToken = true;
            }
            if (!groupNames.isEmpty() && !groupNames.contains(grp.name())) continue;
            if (!files.isEmpty() && !files.contains(grp.file())) continue;
            List<Rule> selected = new ArrayList<>();
            for (Rule r : grp.rules()) {
                if (!matchesAny(matcherSets, r.labels())) continue;
                if (!names.isEmpty() && !names.contains(r.name())) continue;
                if (r instanceof AlertingRule ? returnAlerts : returnRecording) selected.add(r);
            }
            if (selected.isEmpty()) continue;
            if (maxGroups > 0 && page.size() == maxGroups) {
                groupNextToken = token(grp);
                break;
            }
            page.add(grp);
            pageRules.add(selected);
        }
        if (maxGroups > 0 && !nextToken.isEmpty() && !foundToken) {
            throw ApiError.badData("invalid parameter \"group_next_token\": invalid group_next_token '" + nextToken + "'. were rule groups changed?");
        }
        String next = groupNextToken;
        return Json.success(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("groups");
            for (int i = 0; i < page.size(); i++) writeGroup(g, page.get(i), pageRules.get(i), excludeAlerts);
            g.writeEndArray();
            if (!next.isEmpty()) g.writeStringField("groupNextToken", next);
            g.writeEndObject();
        });
    }

    private static boolean parseBool(String v) {
        if (v == null || v.isEmpty()) return false;
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "1", "t", "true" -> true;
            case "0", "f", "false" -> false;
            default -> throw ApiError.badData("invalid parameter \"exclude_alerts\": error converting exclude_alerts: strconv.ParseBool: parsing \""
                    + v + "\": invalid syntax");
        };
    }

    private static boolean matchesAny(List<List<LabelMatcher>> sets, Labels l) {
        if (sets.isEmpty()) return true;
        for (List<LabelMatcher> ms : sets) {
            boolean all = true;
            for (LabelMatcher m : ms) {
                String v = l.get(m.name());
                if (!m.matches(v == null ? "" : v)) {
                    all = false;
                    break;
                }
            }
            if (all) return true;
        }
        return false;
    }

    /** Prometheus's {@code getRuleGroupNextToken}: hex SHA-256 of {@code file;group}. */
    static String token(RuleGroup g) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest((g.file() + ";" + g.name()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeGroup(JsonGenerator g, RuleGroup grp, List<Rule> selected, boolean excludeAlerts) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", grp.name());
        g.writeStringField("file", grp.file());
        g.writeArrayFieldStart("rules");
        for (Rule r : selected) {
            switch (r) {
                case AlertingRule ar -> writeAlertingRule(g, ar, excludeAlerts);
                case RecordingRule rr -> writeRecordingRule(g, rr);
            }
        }
        g.writeEndArray();
        goFloat(g, "interval", seconds(grp.intervalMs()));
        g.writeNumberField("limit", grp.limit());
        goFloat(g, "evaluationTime", grp.evaluationTimeNanos() / 1e9);
        g.writeStringField("lastEvaluation", goTime(grp.lastEvaluationMs()));
        g.writeEndObject();
    }

    private static void writeAlertingRule(JsonGenerator g, AlertingRule r, boolean excludeAlerts) throws IOException {
        g.writeStartObject();
        g.writeStringField("state", r.state().apiName());
        g.writeStringField("name", r.name());
        g.writeStringField("query", r.query());
        goFloat(g, "duration", seconds(r.holdDurationMs()));
        goFloat(g, "keepFiringFor", seconds(r.keepFiringForMs()));
        g.writeFieldName("labels");
        Json.writeLabels(g, r.labels());
        g.writeFieldName("annotations");
        Json.writeStringMap(g, r.annotations());
        g.writeFieldName("alerts");
        if (excludeAlerts) {
            g.writeNull();
        } else {
            g.writeStartArray();
            writeAlerts(g, r);
            g.writeEndArray();
        }
        writeStatus(g, r);
        g.writeStringField("type", "alerting");
        g.writeEndObject();
    }

    private static void writeRecordingRule(JsonGenerator g, RecordingRule r) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", r.name());
        g.writeStringField("query", r.query());
        g.writeFieldName("labels");
        Json.writeLabels(g, r.labels());
        writeStatus(g, r);
        g.writeStringField("type", "recording");
        g.writeEndObject();
    }

    private static void writeStatus(JsonGenerator g, Rule r) throws IOException {
        g.writeStringField("health", r.health().apiName());
        if (!r.lastError().isEmpty()) g.writeStringField("lastError", r.lastError());
        goFloat(g, "evaluationTime", r.evaluationTimeNanos() / 1e9);
        g.writeStringField("lastEvaluation", goTime(r.lastEvaluationMs()));
    }

    /** The rule's alerts that are not resolved (Prometheus's {@code ActiveAlerts}), as API alerts. */
    private static void writeAlerts(JsonGenerator g, AlertingRule r) throws IOException {
        for (AlertingRule.ActiveAlert a : r.activeAlerts()) {
            if (a.resolvedAtMs() != 0) continue;
            g.writeStartObject();
            g.writeFieldName("labels");
            Json.writeLabels(g, a.labels());
            g.writeFieldName("annotations");
            Json.writeLabels(g, a.annotations());
            g.writeStringField("state", a.state().apiName());
            g.writeStringField("activeAt", goTime(a.activeAtMs()));
            if (a.keepFiringSinceMs() != 0) g.writeStringField("keepFiringSince", goTime(a.keepFiringSinceMs()));
            g.writeStringField("value", goExponent(a.value()));
            g.writeEndObject();
        }
    }

    private static double seconds(long ms) { return ms / 1000.0; }

    /** A float64 field as Go's encoding/json writes it: {@code 60}, {@code 0.00097}, {@code 1e-7}. */
    private static void goFloat(JsonGenerator g, String name, double v) throws IOException {
        g.writeFieldName(name);
        g.writeNumber(goJsonFloat(v));
    }

    static String goJsonFloat(double v) {
        double a = Math.abs(v);
        if (a == 0 || (a >= 1e-6 && a < 1e21)) return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
        String e = goExponent(v); // Go's encoder then drops the exponent's leading zero: 1e-07 -> 1e-7
        int i = e.indexOf('e');
        String exp = e.substring(i + 2);
        if (exp.length() == 2 && exp.charAt(0) == '0') exp = exp.substring(1);
        return e.substring(0, i + 2) + exp;
    }

    /** Go's RFC 3339 with nanoseconds as {@code time.Time} marshals to JSON in UTC; 0 is Go's zero time. */
    static String goTime(long ms) {
        if (ms == 0) return "0001-01-01T00:00:00Z";
        Instant t = Instant.ofEpochMilli(ms);
        StringBuilder sb = new StringBuilder(SECONDS.format(t));
        int frac = (int) Math.floorMod(ms, 1000L);
        if (frac != 0) {
            String f = String.format("%03d", frac);
            while (f.endsWith("0")) f = f.substring(0, f.length() - 1);
            sb.append('.').append(f);
        }
        return sb.append('Z').toString();
    }

    /** Go's {@code strconv.FormatFloat(v, 'e', -1, 64)}: shortest digits, {@code 4.2e+01}. */
    static String goExponent(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        if (v == 0) return (1 / v < 0 ? "-" : "") + "0e+00";
        BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int exp = digits.length() - 1 - d.scale();
        StringBuilder sb = new StringBuilder();
        if (v < 0) sb.append('-');
        sb.append(digits.charAt(0));
        if (digits.length() > 1) sb.append('.').append(digits, 1, digits.length());
        sb.append('e').append(exp < 0 ? '-' : '+');
        int a = Math.abs(exp);
        if (a < 10) sb.append('0');
        return sb.append(a).toString();
    }
}
