package io.pyrometer.model.relabel;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.pyrometer.model.Labels;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;

/**
 * Applies {@code relabel_configs} / {@code metric_relabel_configs} steps in order, with
 * Prometheus's semantics (model/relabel/relabel.go): source label values are joined with the
 * separator (absent labels count as {@code ""}), regexes are fully anchored, {@code replace}
 * expands {@code $1}, {@code ${1}}, {@code ${name}} in both target label and replacement as Go's
 * {@code regexp.Expand} does, and setting a label to {@code ""} deletes it.
 *
 * <pre>{@code
 * Labels out = Relabeler.process(in, job.relabelConfigs());   // null when a step dropped it
 *
 * Relabeler r = new Relabeler();                                // one per scrape loop: reuses scratch space
 * Labels.Builder b = Labels.builder();
 * if (r.apply(b.reset(series), cfgs)) append(b.build());
 * }</pre>
 *
 * <p>An instance keeps scratch buffers (joined values, expansion, MD5 state) and is not
 * thread-safe; the static methods use a fresh one per call.
 */
public final class Relabeler {
    private final StringBuilder scratch = new StringBuilder(64);
    private final byte[] digest = new byte[16];
    private MessageDigest md5; // created on the first hashmod step

    /** Relabels {@code in}; returns the result, or null when a {@code keep}/{@code drop} step dropped it. */
    public static Labels process(Labels in, List<RelabelConfig> cfgs) {
        if (cfgs.isEmpty()) return in;
        Labels.Builder b = in.toBuilder();
        return new Relabeler().apply(b, cfgs) ? b.build() : null;
    }

    /** Like {@link #process} on a caller-owned builder, which the steps mutate; false means dropped. */
    public static boolean processBuilder(Labels.Builder b, List<RelabelConfig> cfgs) {
        return cfgs.isEmpty() || new Relabeler().apply(b, cfgs);
    }

    /**
     * Applies the steps to {@code b} in place, reusing this instance's scratch space.
     *
     * @return false when the label set was dropped (the builder's content is then unspecified)
     */
    public boolean apply(Labels.Builder b, List<RelabelConfig> cfgs) {
        for (int i = 0, n = cfgs.size(); i < n; i++) {
            if (!step(cfgs.get(i), b)) return false;
        }
        return true;
    }

    private boolean step(RelabelConfig cfg, Labels.Builder b) {
        String val = joinSources(cfg, b);
        Pattern re = cfg.pattern();
        Prefilter pf = Prefilter.forRegex(cfg.regex());
        switch (cfg.action()) {
            case DROP -> { return !matches(pf, re, val); }
            case KEEP -> { return matches(pf, re, val); }
            case DROPEQUAL -> { return !b.get(cfg.targetLabel()).equals(val); }
            case KEEPEQUAL -> { return b.get(cfg.targetLabel()).equals(val); }
            case REPLACE -> {
                if (pf.mayMatch(val)) replace(cfg, b, val);
            }
            case LOWERCASE -> b.set(cfg.targetLabel(), val.toLowerCase(Locale.ROOT));
            case UPPERCASE -> b.set(cfg.targetLabel(), val.toUpperCase(Locale.ROOT));
            case HASHMOD -> b.set(cfg.targetLabel(), Long.toUnsignedString(Long.remainderUnsigned(hash(val), cfg.modulus())));
            case LABELMAP -> labelMap(cfg, pf, b);
            case LABELDROP -> labelFilter(re, pf, b, false);
            case LABELKEEP -> labelFilter(re, pf, b, true);
        }
        return true;
    }

    private static boolean matches(Prefilter pf, Pattern re, String s) {
        int c = pf.check(s);
        return c == Prefilter.MAYBE ? re.matches(s) : c == Prefilter.YES;
    }

    private String joinSources(RelabelConfig cfg, Labels.Builder b) {
        List<String> src = cfg.sourceLabels();
        int k = src.size();
        if (k == 0) return "";
        if (k == 1) return b.get(src.get(0));
        StringBuilder sb = scratch;
        sb.setLength(0);
        for (int i = 0; i < k; i++) {
            if (i > 0) sb.append(cfg.separator());
            sb.append(b.get(src.get(i)));
        }
        return sb.toString();
    }

    private void replace(RelabelConfig cfg, Labels.Builder b, String val) {
        String target = cfg.targetLabel();
        String repl = cfg.replacement();
        boolean templated = target.indexOf('$') >= 0 || repl.indexOf('$') >= 0;
        if (!templated) {
            // no references to expand: a plain match decides, no Matcher needed
            if (matches(Prefilter.forRegex(cfg.regex()), cfg.pattern(), val)) b.set(target, repl);
            return;
        }
        Matcher m = null; // null: the regex is (.*) or (.+), so groups 0 and 1 are the whole value
        String regex = cfg.regex();
        if (regex.equals("(.+)")) {
            if (val.isEmpty()) return;
        } else if (!regex.equals(RelabelConfig.DEFAULT_REGEX)) {
            m = cfg.pattern().matcher(val);
            if (!m.matches()) return; // no match: no replacement takes place
        }
        String t = expand(target, m, cfg.pattern(), val);
        if (!RelabelConfig.isValidUtf8LabelName(t)) return;
        String res = expand(repl, m, cfg.pattern(), val);
        if (res.isEmpty()) b.del(t);
        else b.set(t, res);
    }

    private void labelMap(RelabelConfig cfg, Prefilter pf, Labels.Builder b) {
        Pattern re = cfg.pattern();
        String repl = cfg.replacement();
        // Iterate the pairs present when the step started; labels it adds land after n0 and are not revisited.
        int n0 = b.size();
        for (int i = 0; i < n0; i++) {
            String name = b.nameAt(i);
            if (!pf.mayMatch(name)) continue;
            String value = b.valueAt(i);
            String res;
            if (repl.indexOf('$') < 0) {
                if (!matches(pf, re, name)) continue;
                res = repl;
            } else {
                Matcher m = re.matcher(name);
                if (!m.matches()) continue;
                res = expand(repl, m, re, name);
            }
            int removed = setDuringScan(b, res, value);
            if (removed >= 0 && removed < n0) {
                n0--;
                if (removed <= i) i--;
            }
        }
    }

    /** Sets name=value; returns the index of a pair an empty value removed, else -1. */
    private static int setDuringScan(Labels.Builder b, String name, String value) {
        if (!value.isEmpty()) {
            b.set(name, value);
            return -1;
        }
        // an empty value deletes (only reachable when the input carried empty values)
        for (int j = 0, n = b.size(); j < n; j++) {
            if (b.nameAt(j).equals(name)) {
                b.del(name);
                return j;
            }
        }
        return -1;
    }

    private static void labelFilter(Pattern re, Prefilter pf, Labels.Builder b, boolean keepMatching) {
        // backwards, so deleting shifts only pairs already visited
        for (int i = b.size() - 1; i >= 0; i--) {
            String name = b.nameAt(i);
            if (matches(pf, re, name) != keepMatching) b.del(name);
        }
    }

    private long hash(String val) {
        MessageDigest md = md5;
        if (md == null) {
            try {
                md = md5 = MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("MD5 is required by every Java platform", e);
            }
        }
        md.update(val.getBytes(StandardCharsets.UTF_8));
        try {
            md.digest(digest, 0, 16);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
        // Prometheus uses the last 8 bytes of the MD5 sum, big-endian
        long h = 0;
        for (int i = 8; i < 16; i++) h = (h << 8) | (digest[i] & 0xffL);
        return h;
    }

    /**
     * Go's {@code regexp.Expand}: {@code $$} is a literal {@code $}; {@code $name} takes the longest
     * run of letters, digits and {@code _} (so {@code $1x} means {@code ${1x}}); {@code ${name}}
     * delimits; numbers index groups, other names look up named groups; out-of-range or unknown
     * references expand to nothing; a malformed reference leaves the {@code $} as text.
     */
    static String expand(String tmpl, Matcher m, Pattern p) {
        return expand(tmpl, m, p, m.group());
    }

    /** As {@link #expand(String, Matcher, Pattern)}; {@code m == null} means groups 0 and 1 are {@code whole}. */
    static String expand(String tmpl, Matcher m, Pattern p, String whole) {
        int d = tmpl.indexOf('$');
        if (d < 0) return tmpl;
        StringBuilder out = new StringBuilder(tmpl.length() + 16);
        int i = 0, n = tmpl.length();
        while (d >= 0) {
            out.append(tmpl, i, d);
            i = d + 1;
            if (i < n && tmpl.charAt(i) == '$') {
                out.append('$');
                i++;
            } else {
                int end = appendReference(out, tmpl, i, m, p, whole);
                if (end < 0) out.append('$');
                else i = end;
            }
            d = tmpl.indexOf('$', i);
        }
        out.append(tmpl, i, n);
        return out.toString();
    }

    /** Expands the reference starting at {@code i} (just after {@code $}); returns its end, or -1 if malformed. */
    private static int appendReference(StringBuilder out, String tmpl, int i, Matcher m, Pattern p, String whole) {
        int n = tmpl.length();
        boolean brace = i < n && tmpl.charAt(i) == '{';
        int start = brace ? i + 1 : i;
        int j = start;
        while (j < n) {
            int cp = tmpl.codePointAt(j);
            if (!Character.isLetter(cp) && !Character.isDigit(cp) && cp != '_') break;
            j += Character.charCount(cp);
        }
        if (j == start) return -1;
        if (brace && (j >= n || tmpl.charAt(j) != '}')) return -1;
        int num = groupNumber(tmpl, start, j);
        int group = num;
        if (num < 0) {
            Integer idx = m == null ? null : p.namedGroups().get(tmpl.substring(start, j));
            group = idx == null ? -1 : idx;
        }
        if (m == null) {
            if (group == 0 || group == 1) out.append(whole);
        } else if (group >= 0 && group <= m.groupCount()) {
            String g = m.group(group);
            if (g != null) out.append(g);
        }
        return brace ? j + 1 : j;
    }

    /** The group number a reference names, or -1 when it is a name (Go: no leading zeros, below 1e8). */
    private static int groupNumber(String s, int from, int to) {
        if (to - from > 1 && s.charAt(from) == '0') return -1;
        int num = 0;
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            if (c < '0' || c > '9' || num >= 100_000_000) return -1;
            num = num * 10 + (c - '0');
        }
        return num;
    }
}
