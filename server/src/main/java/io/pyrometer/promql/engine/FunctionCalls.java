package io.pyrometer.promql.engine;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.pyrometer.model.LabelMatcher;
import io.pyrometer.model.Labels;
import io.pyrometer.promql.ast.Call;
import io.pyrometer.promql.ast.Expr;
import io.pyrometer.promql.ast.MatrixSelector;
import io.pyrometer.promql.ast.VectorSelector;
import io.pyrometer.promql.engine.EvalValue.ScalarCol;
import io.pyrometer.promql.engine.EvalValue.Vec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Evaluates function calls: dispatch plus the functions over instant vectors and scalars. */
final class FunctionCalls {
    private FunctionCalls() {}

    static EvalValue eval(Evaluator ev, Call c, Grid g) {
        String name = c.func().name();
        List<Expr> args = c.args();
        MathFunctions math = MathFunctions.byName(name);
        if (math != null) return simple(ev, ev.vectorArg(args.get(0), g), math);
        RangeFunctions rf = rangeFunction(name);
        if (rf != null) return RangeEval.eval(ev, c, g, rf);
        return switch (name) {
            case "time" -> {
                double[] v = new double[g.steps()];
                for (int i = 0; i < v.length; i++) v[i] = g.t(i) / 1000.0;
                yield new ScalarCol(v);
            }
            case "pi" -> Evaluator.fill(Math.PI, g.steps());
            case "vector" -> vector(ev, ev.scalarArg(args.get(0), g));
            case "scalar" -> scalar(ev, ev.vectorArg(args.get(0), g), g);
            case "absent" -> absent(ev, args.get(0), g);
            case "absent_over_time" -> RangeEval.absentOverTime(ev, c, g);
            case "timestamp" -> timestamp(ev, args.get(0), g);
            case "clamp" -> clamp(ev, ev.vectorArg(args.get(0), g), ev.scalarArg(args.get(1), g).v(), ev.scalarArg(args.get(2), g).v());
            case "clamp_min" -> clamp(ev, ev.vectorArg(args.get(0), g), ev.scalarArg(args.get(1), g).v(), null);
            case "clamp_max" -> clamp(ev, ev.vectorArg(args.get(0), g), null, ev.scalarArg(args.get(1), g).v());
            case "round" -> round(ev, ev.vectorArg(args.get(0), g), args.size() > 1 ? ev.scalarArg(args.get(1), g).v() : null);
            case "days_in_month", "day_of_month", "day_of_week", "day_of_year", "hour", "minute", "month", "year" ->
                    date(ev, name, args.isEmpty() ? null : ev.vectorArg(args.get(0), g), g);
            case "info" -> InfoFunction.eval(ev, c, g);
            case "label_replace" -> labelReplace(ev, c, g);
            case "label_join" -> labelJoin(ev, c, g);
            case "sort", "sort_desc", "sort_by_label", "sort_by_label_desc" -> sort(ev, c, g);
            case "histogram_quantile", "histogram_fraction", "histogram_quantiles" -> ClassicHistograms.eval(ev, c, g);
            case "histogram_count", "histogram_sum", "histogram_avg", "histogram_stddev", "histogram_stdvar" -> {
                Vec v = ev.vectorArg(args.get(0), g); // float samples are ignored: no native histograms here
                ev.release(v);
                yield new Vec(new ArrayList<>());
            }
            default -> throw PromQLException.execution("function \"" + name + "\" is not supported by this engine");
        };
    }

    static RangeFunctions rangeFunction(String name) {
        return switch (name) {
            case "absent_over_time" -> null;
            default -> {
                try {
                    yield RangeFunctions.valueOf(name.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    yield null;
                }
            }
        };
    }

    private static Vec simple(Evaluator ev, Vec v, MathFunctions f) {
        for (StepSeries s : v.series()) {
            for (int i = 0; i < s.v.length; i++) if (s.has(i)) s.v[i] = f.apply(s.v[i]);
            ev.dropName(s);
        }
        return v;
    }

    private static Vec vector(Evaluator ev, ScalarCol s) {
        StepSeries out = new StepSeries(Labels.EMPTY, s.v().length);
        for (int i = 0; i < s.v().length; i++) out.set(i, s.v()[i]);
        ev.addSamples(s.v().length);
        List<StepSeries> l = new ArrayList<>(1);
        l.add(out);
        return new Vec(l);
    }

    private static ScalarCol scalar(Evaluator ev, Vec v, Grid g) {
        double[] out = new double[g.steps()];
        for (int i = 0; i < out.length; i++) {
            int found = 0;
            double val = Double.NaN;
            for (StepSeries s : v.series()) {
                if (s.has(i) && ++found == 1) val = s.v[i];
            }
            out[i] = found == 1 ? val : Double.NaN;
        }
        ev.release(v);
        return new ScalarCol(out);
    }

    /** Labels of {@code absent()}'s output: the equality matchers of a plain selector argument. */
    static Labels absentLabels(Expr arg) {
        Expr e = Evaluator.unwrap(arg);
        List<LabelMatcher> ms;
        if (e instanceof VectorSelector vs) ms = vs.matchers();
        else if (e instanceof MatrixSelector m) ms = m.vs().matchers();
        else return Labels.EMPTY;
        Labels.Builder b = Labels.builder();
        Set<String> has = new HashSet<>();
        for (LabelMatcher m : ms) {
            if (m.name().equals(Labels.METRIC_NAME)) continue;
            if (m.type() == LabelMatcher.Type.EQ && !has.contains(m.name())) {
                b.set(m.name(), m.value());
                has.add(m.name());
            } else {
                b.del(m.name());
            }
        }
        return b.build();
    }

    private static Vec absent(Evaluator ev, Expr arg, Grid g) {
        Vec v = ev.vectorArg(arg, g);
        StepSeries out = new StepSeries(absentLabels(arg), g.steps());
        for (int i = 0; i < g.steps(); i++) {
            boolean any = false;
            for (StepSeries s : v.series()) {
                if (s.has(i)) {
                    any = true;
                    break;
                }
            }
            if (!any) out.set(i, 1);
        }
        ev.release(v);
        List<StepSeries> l = new ArrayList<>(1);
        if (!out.isEmpty()) {
            l.add(out);
            ev.addSamples(out.count());
        }
        return new Vec(l);
    }

    private static Vec timestamp(Evaluator ev, Expr arg, Grid g) {
        Expr e = Evaluator.unwrap(arg);
        Vec v;
        if (e instanceof VectorSelector vs) {
            if (g.steps() > 1 && vs.at() != null) {
                Vec one = ev.selectVector(vs, Grid.instant(g.startMs()), true);
                v = broadcastVec(ev, one, g.steps());
            } else {
                v = ev.selectVector(vs, g, true);
            }
        } else {
            v = ev.vectorArg(arg, g);
            for (StepSeries s : v.series()) {
                for (int i = 0; i < s.v.length; i++) if (s.has(i)) s.v[i] = g.t(i) / 1000.0;
            }
        }
        for (StepSeries s : v.series()) ev.dropName(s);
        return v;
    }

    private static Vec broadcastVec(Evaluator ev, Vec one, int steps) {
        List<StepSeries> out = new ArrayList<>();
        for (StepSeries s : one.series()) {
            StepSeries b = new StepSeries(s.labels, steps);
            for (int i = 0; i < steps; i++) b.set(i, s.v[0]);
            out.add(b);
        }
        ev.release(one);
        ev.addSamples((long) steps * out.size());
        return new Vec(out);
    }

    private static Vec clamp(Evaluator ev, Vec v, double[] min, double[] max) {
        for (StepSeries s : v.series()) {
            for (int i = 0; i < s.v.length; i++) {
                if (!s.has(i)) continue;
                double lo = min == null ? Double.NEGATIVE_INFINITY : min[i];
                double hi = max == null ? Double.POSITIVE_INFINITY : max[i];
                if (hi < lo) {
                    s.clear(i);
                    continue;
                }
                s.v[i] = Math.max(lo, Math.min(hi, s.v[i]));
            }
            ev.dropName(s);
        }
        v.series().removeIf(StepSeries::isEmpty);
        return v;
    }

    private static Vec round(Evaluator ev, Vec v, double[] toNearest) {
        for (StepSeries s : v.series()) {
            for (int i = 0; i < s.v.length; i++) {
                if (!s.has(i)) continue;
                double inv = 1.0 / (toNearest == null ? 1 : toNearest[i]);
                s.v[i] = Math.floor(s.v[i] * inv + 0.5) / inv;
            }
            ev.dropName(s);
        }
        return v;
    }

    private static EvalValue date(Evaluator ev, String name, Vec v, Grid g) {
        if (v == null) {
            StepSeries out = new StepSeries(Labels.EMPTY, g.steps());
            for (int i = 0; i < g.steps(); i++) out.set(i, dateField(name, Math.floorDiv(g.t(i), 1000)));
            ev.addSamples(g.steps());
            List<StepSeries> l = new ArrayList<>(1);
            l.add(out);
            return new Vec(l);
        }
        for (StepSeries s : v.series()) {
            for (int i = 0; i < s.v.length; i++) if (s.has(i)) s.v[i] = dateField(name, goInt64(s.v[i]));
            ev.dropName(s);
        }
        return v;
    }

    /** Go's float64 to int64 conversion on amd64: out of range and NaN give MinInt64. */
    private static long goInt64(double f) {
        if (Double.isNaN(f) || f >= 9.223372036854775807E18 || f < -9.223372036854775808E18) return Long.MIN_VALUE;
        return (long) f;
    }

    private static double dateField(String name, long epochSeconds) {
        ZonedDateTime t;
        try {
            t = Instant.ofEpochSecond(epochSeconds).atZone(ZoneOffset.UTC);
        } catch (java.time.DateTimeException e) {
            return Double.NaN;
        }
        return switch (name) {
            case "days_in_month" -> t.toLocalDate().lengthOfMonth();
            case "day_of_month" -> t.getDayOfMonth();
            case "day_of_week" -> t.getDayOfWeek().getValue() % 7;
            case "day_of_year" -> t.getDayOfYear();
            case "hour" -> t.getHour();
            case "minute" -> t.getMinute();
            case "month" -> t.getMonthValue();
            case "year" -> t.getYear();
            default -> throw new IllegalStateException(name);
        };
    }

    private static Vec labelReplace(Evaluator ev, Call c, Grid g) {
        List<Expr> a = c.args();
        String dst = Evaluator.stringArg(a.get(1)), repl = Evaluator.stringArg(a.get(2));
        String src = Evaluator.stringArg(a.get(3)), regex = Evaluator.stringArg(a.get(4));
        Pattern p;
        try {
            p = Pattern.compile("^(?s:" + regex + ")$");
        } catch (RuntimeException e) {
            throw PromQLException.execution("invalid regular expression in label_replace(): " + regex);
        }
        if (!validLabelName(dst)) throw PromQLException.execution("invalid destination label name in label_replace(): " + dst);
        Vec v = ev.vectorArg(a.get(0), g);
        for (StepSeries s : v.series()) {
            Matcher m = p.matcher(s.labels.get(src));
            if (m.matches()) {
                s.labels = s.labels.toBuilder().set(dst, GoRegex.expand(repl, m)).build();
                if (dst.equals(Labels.METRIC_NAME)) s.dropName = false;
            }
        }
        return mergeSameLabelset(v);
    }

    private static Vec labelJoin(Evaluator ev, Call c, Grid g) {
        List<Expr> a = c.args();
        String dst = Evaluator.stringArg(a.get(1)), sep = Evaluator.stringArg(a.get(2));
        List<String> srcs = new ArrayList<>();
        for (int i = 3; i < a.size(); i++) {
            String src = Evaluator.stringArg(a.get(i));
            if (!validLabelName(src)) throw PromQLException.execution("invalid source label name in label_join(): " + src);
            srcs.add(src);
        }
        if (!validLabelName(dst)) throw PromQLException.execution("invalid destination label name in label_join(): " + dst);
        Vec v = ev.vectorArg(a.get(0), g);
        for (StepSeries s : v.series()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < srcs.size(); i++) {
                if (i > 0) sb.append(sep);
                sb.append(s.labels.get(srcs.get(i)));
            }
            s.labels = s.labels.toBuilder().set(dst, sb.toString()).build();
            if (dst.equals(Labels.METRIC_NAME)) s.dropName = false;
        }
        return mergeSameLabelset(v);
    }

    /** UTF-8 label names (Prometheus 3): any non-empty valid string. */
    static boolean validLabelName(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isSurrogate(ch)) {
                if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) i++;
                else return false;
            } else if (ch == '\uFFFD') {
                return false;
            }
        }
        return true;
    }

    /**
     * Merges series that ended up with the same labels when their points do not overlap, else
     * fails as Prometheus does ({@code mergeSeriesWithSameLabelset}).
     */
    static Vec mergeSameLabelset(Vec v) {
        List<StepSeries> list = v.series();
        if (list.size() < 2) return v;
        java.util.Map<Labels, StepSeries> seen = new java.util.HashMap<>();
        List<StepSeries> out = new ArrayList<>(list.size());
        for (StepSeries s : list) {
            StepSeries prev = seen.putIfAbsent(s.labels, s);
            if (prev == null) {
                out.add(s);
                continue;
            }
            if (prev.overlaps(s)) throw PromQLException.execution("vector cannot contain metrics with the same labelset");
            prev.mergeFrom(s);
            prev.dropName |= s.dropName;
        }
        return new Vec(out);
    }

    private static Vec sort(Evaluator ev, Call c, Grid g) {
        String name = c.func().name();
        Vec v = ev.vectorArg(c.args().get(0), g);
        if (ev.rangeQuery) {
            ev.annos.sortInRangeQuery(c.pos());
            return v;
        }
        Comparator<StepSeries> cmp = switch (name) {
            case "sort" -> (a, b) -> compareValues(a.v[0], b.v[0]);
            case "sort_desc" -> (a, b) -> compareValuesDesc(a.v[0], b.v[0]);
            default -> {
                List<String> labels = new ArrayList<>();
                for (int i = 1; i < c.args().size(); i++) labels.add(Evaluator.stringArg(c.args().get(i)));
                boolean desc = name.endsWith("_desc");
                Comparator<StepSeries> byLabels = (a, b) -> {
                    for (String l : labels) {
                        String x = a.labels.get(l), y = b.labels.get(l);
                        if (x.equals(y)) continue;
                        return NaturalSort.less(x, y) ? -1 : 1;
                    }
                    return a.labels.compareTo(b.labels);
                };
                yield desc ? byLabels.reversed() : byLabels;
            }
        };
        List<StepSeries> l = new ArrayList<>(v.series());
        l.sort(cmp);
        return new Vec(l);
    }

    /** Ascending, NaN last. */
    static int compareValues(double a, double b) {
        if (Double.isNaN(a)) return Double.isNaN(b) ? 0 : 1;
        if (Double.isNaN(b)) return -1;
        return Double.compare(a, b) == 0 ? 0 : (a < b ? -1 : 1);
    }

    /** Descending, NaN last. */
    static int compareValuesDesc(double a, double b) {
        if (Double.isNaN(a)) return Double.isNaN(b) ? 0 : 1;
        if (Double.isNaN(b)) return -1;
        return a > b ? -1 : a < b ? 1 : 0;
    }

    static int lowerBound(long[] a, int n, long key) {
        int lo = 0, hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < key) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
