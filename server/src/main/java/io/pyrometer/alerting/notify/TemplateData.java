package io.pyrometer.alerting.notify;

import io.pyrometer.model.Labels;
import io.pyrometer.template.GoObject;
import io.pyrometer.template.TemplateException;
import java.time.Instant;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Alertmanager's notification template data model ({@code template.Data}, {@code Alert},
 * {@code Alerts}, {@code KV}, {@code Pairs} in {@code template/template.go}) as values of the
 * template engine: {@code .Receiver}, {@code .Status}, {@code .Alerts.Firing},
 * {@code .CommonLabels.SortedPairs}, {@code (index .Alerts 0).Labels.alertname}, {@code range}
 * over {@code .Alerts} and over a {@code KV} all work as in Go.
 *
 * <p>Types that are a Go slice or map with methods ({@code Alerts}, {@code Pairs}, {@code KV}) are
 * both a {@link List}/{@link Map} and a {@link GoObject}: {@link GoObject#field} resolves the method
 * first and then, for {@code KV}, the map key, which is Go's order for {@code .Name} on a named map.
 */
public final class TemplateData {
    private TemplateData() {}

    /** Go's zero {@code time.Time}, what {@code .EndsAt} of a firing alert is. */
    public static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

    /** {@code notify.GetTemplateData} + {@code Template.Data}: the value every template of a notification sees. */
    public static Data of(NotificationContext ctx, List<NotifyAlert> alerts) {
        List<Alert> out = new ArrayList<>(alerts.size());
        boolean anyFiring = false;
        for (NotifyAlert a : alerts) {
            boolean resolved = a.resolvedAt(ctx.now());
            anyFiring |= !resolved;
            out.add(new Alert(resolved ? "resolved" : "firing", new KV(a.labels()), new KV(a.annotations()), a.startsAt(),
                    resolved ? a.endsAt() : GO_ZERO_TIME, a.generatorUrl(), a.fingerprintHex()));
        }
        SortedMap<String, String> commonLabels = new TreeMap<>(Labels::compareUtf8);
        SortedMap<String, String> commonAnnotations = new TreeMap<>(Labels::compareUtf8);
        if (!alerts.isEmpty()) {
            commonLabels.putAll(alerts.getFirst().labels());
            commonAnnotations.putAll(alerts.getFirst().annotations());
            for (NotifyAlert a : alerts.subList(1, alerts.size())) {
                commonLabels.entrySet().removeIf(e -> !e.getValue().equals(a.labels().get(e.getKey())));
                commonAnnotations.entrySet().removeIf(e -> !e.getValue().equals(a.annotations().get(e.getKey())));
            }
        }
        // model.Alerts.Status(): firing when any alert fires (so an empty list is "resolved")
        return new Data(quoteMeta(ctx.receiverName()), anyFiring ? "firing" : "resolved", new Alerts(out),
                new KV(ctx.groupLabels()), new KV(commonLabels), new KV(commonAnnotations), ctx.externalUrl());
    }

    /**
     * Go's {@code regexp.QuoteMeta}: Alertmanager puts the receiver name through it before templates
     * see it ({@code Receiver: regexp.QuoteMeta(recv)}), so {@code team.a} reads {@code team\.a}.
     */
    static String quoteMeta(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) sb.append('\\');
            sb.append(c);
        }
        return sb.toString();
    }


    /** {@code template.Data}. */
    public record Data(String receiver, String status, Alerts alerts, KV groupLabels, KV commonLabels,
                       KV commonAnnotations, String externalUrl) implements GoObject {
        @Override public String typeName() { return "*template.Data"; }

        @Override
        public Object field(String name) throws TemplateException {
            return switch (name) {
                case "Receiver" -> receiver;
                case "Status" -> status;
                case "Alerts" -> alerts;
                case "GroupLabels" -> groupLabels;
                case "CommonLabels" -> commonLabels;
                case "CommonAnnotations" -> commonAnnotations;
                case "ExternalURL" -> externalUrl;
                default -> throw GoObject.noSuchField(this, name);
            };
        }
    }

    /** {@code template.Alert}; {@code endsAt} is {@link #GO_ZERO_TIME} while firing. */
    public record Alert(String status, KV labels, KV annotations, Instant startsAt, Instant endsAt, String generatorUrl,
                        String fingerprint) implements GoObject {
        @Override public String typeName() { return "template.Alert"; }

        @Override
        public Object field(String name) throws TemplateException {
            return switch (name) {
                case "Status" -> status;
                case "Labels" -> labels;
                case "Annotations" -> annotations;
                case "StartsAt" -> startsAt;
                case "EndsAt" -> endsAt;
                case "GeneratorURL" -> generatorUrl;
                case "Fingerprint" -> fingerprint;
                default -> throw GoObject.noSuchField(this, name);
            };
        }
    }

    /** {@code template.Alerts}: a slice of {@link Alert} with {@code Firing} and {@code Resolved}. */
    public static final class Alerts extends AbstractList<Object> implements GoObject {
        @Override public String typeName() { return "template.Alerts"; }

        private final List<Alert> alerts;

        Alerts(List<Alert> alerts) {
            this.alerts = List.copyOf(alerts);
        }

        @Override public Alert get(int i) { return alerts.get(i); }
        @Override public int size() { return alerts.size(); }

        /** The firing subset, a plain slice as in Go ({@code []Alert}). */
        public List<Object> firing() { return subset("firing"); }

        public List<Object> resolved() { return subset("resolved"); }

        private List<Object> subset(String status) {
            List<Object> out = new ArrayList<>();
            for (Alert a : alerts) if (a.status().equals(status)) out.add(a);
            return List.copyOf(out);
        }

        @Override
        public Object field(String name) throws TemplateException {
            return switch (name) {
                case "Firing" -> firing();
                case "Resolved" -> resolved();
                default -> throw GoObject.noSuchField(this, name);
            };
        }
    }

    /** {@code template.Pair}. */
    public record Pair(String name, String value) implements GoObject {
        @Override public String typeName() { return "template.Pair"; }

        @Override
        public Object field(String f) throws TemplateException {
            return switch (f) {
                case "Name" -> name;
                case "Value" -> value;
                default -> throw GoObject.noSuchField(this, f);
            };
        }
    }

    /** {@code template.Pairs}: a slice of {@link Pair} with {@code Names} and {@code Values}. */
    public static final class Pairs extends AbstractList<Object> implements GoObject {
        @Override public String typeName() { return "template.Pairs"; }

        private final List<Pair> pairs;

        Pairs(List<Pair> pairs) { this.pairs = List.copyOf(pairs); }

        @Override public Pair get(int i) { return pairs.get(i); }
        @Override public int size() { return pairs.size(); }

        public List<Object> names() {
            List<Object> out = new ArrayList<>(pairs.size());
            for (Pair p : pairs) out.add(p.name());
            return List.copyOf(out);
        }

        public List<Object> values() {
            List<Object> out = new ArrayList<>(pairs.size());
            for (Pair p : pairs) out.add(p.value());
            return List.copyOf(out);
        }

        @Override
        public Object field(String name) throws TemplateException {
            return switch (name) {
                case "Names" -> names();
                case "Values" -> values();
                default -> throw GoObject.noSuchField(this, name);
            };
        }
    }

    /**
     * {@code template.KV}, a {@code map[string]string} with {@code SortedPairs} ({@code alertname}
     * first, then by name), {@code Names}, {@code Values} and {@code Remove}. A missing key reads as
     * {@code ""}: Alertmanager executes with {@code missingkey=zero}.
     */
    public static final class KV extends AbstractMap<String, Object> implements GoObject {
        @Override public String typeName() { return "template.KV"; }

        private final SortedMap<String, String> map;

        KV(Map<String, String> m) {
            this.map = NotifyAlert.sortedCopy(m);
        }

        /** The underlying sorted map. */
        public SortedMap<String, String> asStrings() { return map; }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public Set<Entry<String, Object>> entrySet() {
            return (Set) map.entrySet();
        }

        @Override public Object get(Object key) { return map.get(key); }

        /** Go's {@code %v} of a map: {@code map[alertname:Down job:node]}. */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("map[");
            for (Map.Entry<String, String> e : map.entrySet()) {
                if (sb.length() > 4) sb.append(' ');
                sb.append(e.getKey()).append(':').append(e.getValue());
            }
            return sb.append(']').toString();
        }
        @Override public boolean containsKey(Object key) { return map.containsKey(key); }
        @Override public int size() { return map.size(); }

        public Pairs sortedPairs() {
            List<Pair> out = new ArrayList<>(map.size());
            String alertname = map.get("alertname");
            if (alertname != null) out.add(new Pair("alertname", alertname));
            for (Map.Entry<String, String> e : map.entrySet()) {
                if (!e.getKey().equals("alertname")) out.add(new Pair(e.getKey(), e.getValue()));
            }
            return new Pairs(out);
        }

        public KV remove(Collection<?> keys) {
            Set<Object> drop = new HashSet<>(keys);
            SortedMap<String, String> out = new TreeMap<>(Labels::compareUtf8);
            for (Map.Entry<String, String> e : map.entrySet()) if (!drop.contains(e.getKey())) out.put(e.getKey(), e.getValue());
            return new KV(out);
        }

        @Override
        public Object field(String name) throws TemplateException {
            return switch (name) {
                case "SortedPairs" -> sortedPairs();
                case "Names" -> sortedPairs().names();
                case "Values" -> sortedPairs().values();
                default -> map.getOrDefault(name, "");
            };
        }

        @Override
        public Object method(String name, List<Object> args) throws TemplateException {
            if (name.equals("Remove")) {
                if (args.size() != 1 || !(args.getFirst() instanceof List<?> keys)) {
                    throw new TemplateException("wrong number of args for Remove: want 1 got " + args.size());
                }
                return remove(keys);
            }
            return GoObject.super.method(name, args);
        }
    }
}
