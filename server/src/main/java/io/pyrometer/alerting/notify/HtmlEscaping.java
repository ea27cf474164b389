package io.pyrometer.alerting.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Go's {@code html/template} escapes every value an action prints into HTML text or a quoted
 * attribute with {@code htmlEscaper}; Pyrometer's engine is {@code text/template} only, so for
 * HTML bodies the data is escaped up front, the same way: {@code & < > " '} and NUL become
 * {@code &amp; &lt; &gt; &#34; &#39;} and U+FFFD. Values compared in templates ({@code eq .Status
 * "firing"}) are unaffected unless they contain those characters.
 */
final class HtmlEscaping {
    private HtmlEscaping() {}

    static TemplateData.Data escape(TemplateData.Data d) {
        List<TemplateData.Alert> alerts = new ArrayList<>(d.alerts().size());
        for (Object o : d.alerts()) {
            TemplateData.Alert a = (TemplateData.Alert) o;
            alerts.add(new TemplateData.Alert(a.status(), kv(a.labels()), kv(a.annotations()), a.startsAt(), a.endsAt(),
                    html(a.generatorUrl()), a.fingerprint()));
        }
        return new TemplateData.Data(html(d.receiver()), d.status(), new TemplateData.Alerts(alerts), kv(d.groupLabels()),
                kv(d.commonLabels()), kv(d.commonAnnotations()), html(d.externalUrl()));
    }

    private static TemplateData.KV kv(TemplateData.KV kv) {
        SortedMap<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> e : kv.asStrings().entrySet()) out.put(e.getKey(), html(e.getValue()));
        return new TemplateData.KV(out);
    }

    static String html(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String r = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&#34;";
                case '\'' -> "&#39;";
                case '\0' -> "\uFFFD";
                default -> null;
            };
            if (r != null && sb == null) sb = new StringBuilder(s.length() + 16).append(s, 0, i);
            if (sb != null) {
                if (r != null) sb.append(r);
                else sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }

    /**
     * Removes {@code <!-- ... -->} from the literal text of a template (not from inside
     * {@code {{ }}} actions), as {@code html/template} does when it escapes a template.
     */
    static String stripComments(String text) {
        if (!text.contains("<!--")) return text;
        StringBuilder sb = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("{{", i)) {
                int end = text.indexOf("}}", i + 2);
                end = end < 0 ? text.length() : end + 2;
                sb.append(text, i, end);
                i = end;
            } else if (text.startsWith("<!--", i)) {
                int end = text.indexOf("-->", i + 4);
                i = end < 0 ? text.length() : end + 3;
            } else {
                sb.append(text.charAt(i++));
            }
        }
        return sb.toString();
    }
}
