package io.pyrometer.discovery.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.pyrometer.config.KubernetesSdConfig.Selector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One kind of object watched in a set of namespaces (one informer each; the key "" means all
 * namespaces or a cluster-scoped kind), with its label/field selector, indexes and event handler.
 * Informers list, then watch, re-list when the watch is lost (reconnect) and re-send every cached
 * object every resync period; their caches are read by key or index from any thread.
 */
final class Watched<T extends HasMetadata> implements AutoCloseable {
    private final Map<String, SharedIndexInformer<T>> informers = new LinkedHashMap<>();

    /**
     * @param scope      the operation for a namespace ("" for all namespaces or cluster-scoped kinds)
     * @param namespaces the namespaces to watch, "" meaning all
     * @param selector   label and field selector, or null
     */
    Watched(Function<String, FilterWatchListDeletable<T, ?, ?>> scope, List<String> namespaces, Selector selector,
            Map<String, Function<T, List<String>>> indexers, ResourceEventHandler<T> handler, ExceptionHandler errors,
            long resyncMs) {
        for (String ns : namespaces) {
            FilterWatchListDeletable<T, ?, ?> op = scope.apply(ns);
            if (selector != null && !selector.label().isEmpty()) op = op.withLabelSelector(selector.label());
            if (selector != null && !selector.field().isEmpty()) op = withFieldSelector(op, selector.field());
            SharedIndexInformer<T> inf = op.runnableInformer(resyncMs);
            if (!indexers.isEmpty()) inf.addIndexers(indexers);
            if (handler != null) inf.addEventHandler(handler);
            inf.exceptionHandler(errors);
            informers.put(ns, inf);
        }
    }

    void start() {
        for (SharedIndexInformer<T> inf : informers.values()) inf.start();
    }

    boolean synced() {
        for (SharedIndexInformer<T> inf : informers.values()) if (!inf.hasSynced()) return false;
        return true;
    }

    /** The cached object, or null; {@code namespace} null for cluster-scoped kinds. */
    T get(String namespace, String name) {
        String key = namespace == null ? name : namespace + "/" + name;
        SharedIndexInformer<T> inf = informers.get("");
        if (inf == null && namespace != null) inf = informers.get(namespace);
        return inf == null ? null : inf.getStore().getByKey(key);
    }

    List<T> byIndex(String index, String value) {
        List<T> out = new ArrayList<>();
        for (SharedIndexInformer<T> inf : informers.values()) out.addAll(inf.getIndexer().byIndex(index, value));
        return out;
    }

    @Override
    public void close() {
        for (SharedIndexInformer<T> inf : informers.values()) inf.close();
    }

    /**
     * Applies a field selector string ({@code a=b,c!=d}, backslash escapes) through fabric8's field
     * filters; the config loader has checked its syntax.
     */
    static <T> FilterWatchListDeletable<T, ?, ?> withFieldSelector(FilterWatchListDeletable<T, ?, ?> op, String selector) {
        for (String term : splitUnescaped(selector, ',')) {
            if (term.isEmpty()) continue;
            int i = opIndex(term);
            if (i < 0) continue;
            boolean not = term.startsWith("!=", i);
            int valueStart = i + (term.startsWith("!=", i) || term.startsWith("==", i) ? 2 : 1);
            String key = term.substring(0, i).strip(), value = unescape(term.substring(valueStart));
            op = not ? op.withoutField(key, value) : op.withField(key, value);
        }
        return op;
    }

    private static int opIndex(String term) {
        for (int i = 0; i < term.length(); i++) {
            char c = term.charAt(i);
            if (c == '\\') i++;
            else if (c == '=' || (c == '!' && term.startsWith("!=", i))) return i;
        }
        return -1;
    }

    private static List<String> splitUnescaped(String s, char sep) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\\') i++;
            else if (s.charAt(i) == sep) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }

    private static String unescape(String v) {
        StringBuilder sb = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length()) c = v.charAt(++i);
            sb.append(c);
        }
        return sb.toString();
    }
}
