package io.pyrometer.promql.engine;

import io.pyrometer.model.Labels;
import io.pyrometer.promql.ast.BinOp;
import io.pyrometer.promql.ast.BinaryExpr;
import io.pyrometer.promql.ast.VectorMatching;
import io.pyrometer.promql.engine.EvalValue.ScalarCol;
import io.pyrometer.promql.engine.EvalValue.Str;
import io.pyrometer.promql.engine.EvalValue.Vec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binary operators: scalar/scalar, vector/scalar and vector/vector with one-to-one,
 * many-to-one, one-to-many and set matching. Match signatures are computed once per series;
 * only presence is checked per step.
 */
final class BinaryOps {
    private BinaryOps() {}

    static EvalValue eval(Evaluator ev, BinaryExpr b, Grid g) {
        EvalValue l = ev.eval(b.lhs(), g);
        EvalValue r = ev.eval(b.rhs(), g);
        if (l instanceof Str || r instanceof Str) throw PromQLException.execution("binary operator on a string");
        if (l instanceof ScalarCol ls && r instanceof ScalarCol rs) {
            double[] out = new double[ls.v().length];
            for (int i = 0; i < out.length; i++) out[i] = scalarOp(b.op(), ls.v()[i], rs.v()[i]);
            return new ScalarCol(out);
        }
        if (l instanceof Vec lv && r instanceof ScalarCol rs) return vectorScalar(ev, b, lv, rs.v(), false);
        if (l instanceof ScalarCol ls && r instanceof Vec rv) return vectorScalar(ev, b, rv, ls.v(), true);
        Vec lv = (Vec) l, rv = (Vec) r;
        Vec out = switch (b.op()) {
            case LAND -> and(b.matching(), lv, rv, g, false);
            case LUNLESS -> and(b.matching(), lv, rv, g, true);
            case LOR -> or(b.matching(), lv, rv, g);
            default -> vectorVector(ev, b, lv, rv, g);
        };
        if (out != lv) ev.release(lv);
        if (out != rv) ev.release(rv);
        if (out != lv && out != rv) ev.addSamples(ev.countOf(out));
        return out;
    }

    static double scalarOp(BinOp op, double l, double r) {
        return switch (op) {
            case ADD -> l + r;
            case SUB -> l - r;
            case MUL -> l * r;
            case DIV -> l / r;
            case POW -> Math.pow(l, r);
            case MOD -> goMod(l, r);
            case ATAN2 -> Math.atan2(l, r);
            case EQLC -> l == r ? 1 : 0;
            case NEQ -> l != r ? 1 : 0;
            case GTR -> l > r ? 1 : 0;
            case LSS -> l < r ? 1 : 0;
            case GTE -> l >= r ? 1 : 0;
            case LTE -> l <= r ? 1 : 0;
            default -> throw PromQLException.execution("operator \"" + op + "\" not allowed for scalar operations");
        };
    }

    /** Go's math.Mod: the result has the sign of {@code l}, same as Java's %. */
    static double goMod(double l, double r) { return l % r; }

    static boolean compare(BinOp op, double l, double r) {
        return switch (op) {
            case EQLC -> l == r;
            case NEQ -> l != r;
            case GTR -> l > r;
            case LSS -> l < r;
            case GTE -> l >= r;
            case LTE -> l <= r;
            default -> throw new IllegalStateException(op.toString());
        };
    }

    private static Vec vectorScalar(Evaluator ev, BinaryExpr b, Vec v, double[] s, boolean scalarLeft) {
        BinOp op = b.op();
        boolean cmp = op.isComparison();
        for (StepSeries x : v.series()) {
            for (int i = 0; i < x.v.length; i++) {
                if (!x.has(i)) continue;
                double vv = x.v[i];
                double l = scalarLeft ? s[i] : vv, r = scalarLeft ? vv : s[i];
                if (cmp) {
                    boolean keep = compare(op, l, r);
                    if (b.returnBool()) x.v[i] = keep ? 1 : 0;
                    else if (!keep) x.clear(i);
                } else {
                    x.v[i] = scalarOp(op, l, r);
                }
            }
            if (!cmp || b.returnBool()) ev.dropName(x);
        }
        v.series().removeIf(StepSeries::isEmpty);
        return v;
    }

    /** The match signature: {@code on(...)} labels, or all but {@code ignoring(...)} and the name. */
    static Labels signature(Labels l, VectorMatching m) {
        if (m == null) return l.withoutMetricName();
        if (m.on()) {
            Labels.Builder b = Labels.builder();
            for (String n : m.matchingLabels()) {
                String v = l.get(n);
                if (!v.isEmpty()) b.set(n, v);
            }
            return b.build();
        }
        Labels.Builder b = l.toBuilder();
        for (String n : m.matchingLabels()) b.del(n);
        b.del(Labels.METRIC_NAME);
        return b.build();
    }

    /** Series indices per signature. */
    private static Map<Labels, List<Integer>> bySignature(List<StepSeries> series, VectorMatching m) {
        Map<Labels, List<Integer>> out = new HashMap<>();
        for (int i = 0; i < series.size(); i++) {
            out.computeIfAbsent(signature(series.get(i).labels, m), k -> new ArrayList<>(1)).add(i);
        }
        return out;
    }

    private static Vec and(VectorMatching m, Vec lv, Vec rv, Grid g, boolean unless) {
        Map<Labels, long[]> rhsPresence = new HashMap<>();
        for (StepSeries r : rv.series()) {
            long[] p = rhsPresence.computeIfAbsent(signature(r.labels, m), k -> new long[(g.steps() + 63) >>> 6]);
            for (int i = 0; i < r.steps(); i++) if (r.has(i)) p[i >>> 6] |= 1L << i;
        }
        for (StepSeries l : lv.series()) {
            long[] p = rhsPresence.get(signature(l.labels, m));
            for (int i = 0; i < l.steps(); i++) {
                if (!l.has(i)) continue;
                boolean matched = p != null && (p[i >>> 6] & (1L << i)) != 0;
                if (matched == unless) l.clear(i);
            }
        }
        lv.series().removeIf(StepSeries::isEmpty);
        return lv;
    }

    private static Vec or(VectorMatching m, Vec lv, Vec rv, Grid g) {
        Map<Labels, long[]> lhsPresence = new HashMap<>();
        for (StepSeries l : lv.series()) {
            long[] p = lhsPresence.computeIfAbsent(signature(l.labels, m), k -> new long[(g.steps() + 63) >>> 6]);
            for (int i = 0; i < l.steps(); i++) if (l.has(i)) p[i >>> 6] |= 1L << i;
        }
        List<StepSeries> out = new ArrayList<>(lv.series());
        for (StepSeries r : rv.series()) {
            long[] p = lhsPresence.get(signature(r.labels, m));
            if (p != null) {
                for (int i = 0; i < r.steps(); i++) if (r.has(i) && (p[i >>> 6] & (1L << i)) != 0) r.clear(i);
            }
            if (!r.isEmpty()) out.add(r);
        }
        return new Vec(out);
    }

    private static Vec vectorVector(Evaluator ev, BinaryExpr b, Vec lv, Vec rv, Grid g) {
        VectorMatching m = b.matching();
        boolean swap = m.card() == VectorMatching.Card.ONE_TO_MANY;
        List<StepSeries> many = swap ? rv.series() : lv.series();
        List<StepSeries> one = swap ? lv.series() : rv.series();
        int n = g.steps();
        Map<Labels, List<Integer>> oneBySig = bySignature(one, m);
        checkOneSideUnique(oneBySig, one, m, n, swap);
        VectorMatching.FillValues fill = m.fill();
        // As in Prometheus, the fill values are not swapped for group_right: fill_right fills a
        // missing "one"-side sample, fill_left a missing "many"-side one.
        Double fillOne = fill == null ? null : fill.rhs();
        Double fillMany = fill == null ? null : fill.lhs();
        Map<Labels, long[]> matchedSteps = new HashMap<>();
        Emitter em = new Emitter(ev, b, n, swap);
        for (int li = 0; li < many.size(); li++) {
            ev.check("binary operation");
            StepSeries ls = many.get(li);
            Labels sig = signature(ls.labels, m);
            List<Integer> candidateList = oneBySig.get(sig);
            if (candidateList == null && fillOne == null) continue;
            int[] candidates = candidateList == null ? null : toArray(candidateList);
            long[] matched = null;
            int cachedRi = -1;
            Labels cachedResult = null;
            for (int i = 0; i < n; i++) {
                if (!ls.has(i)) continue;
                int ri = candidates == null ? -1 : presentAt(one, candidates, i);
                if (ri < 0) {
                    if (fillOne != null) em.emit(ls.labels, ls.v[i], ls.dropName, sig, fillOne, i, null);
                    continue;
                }
                if (matched == null) matched = matchedSteps.computeIfAbsent(sig, k -> new long[(n + 63) >>> 6]);
                if (m.card() == VectorMatching.Card.ONE_TO_ONE && (matched[i >>> 6] & (1L << i)) != 0) {
                    throw PromQLException.execution("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
                }
                matched[i >>> 6] |= 1L << i;
                StepSeries rs = one.get(ri);
                if (ri != cachedRi) { // the match rarely changes between steps: compute its labels once
                    cachedRi = ri;
                    cachedResult = resultLabels(ls.labels, rs.labels, em.op, m);
                }
                em.emit(ls.labels, ls.v[i], ls.dropName, rs.labels, rs.v[i], i, cachedResult);
            }
        }
        if (fillMany != null) {
            for (StepSeries rs : one) {
                Labels sig = signature(rs.labels, m);
                long[] matched = matchedSteps.get(sig);
                for (int i = 0; i < n; i++) {
                    if (!rs.has(i) || (matched != null && (matched[i >>> 6] & (1L << i)) != 0)) continue;
                    em.emit(sig, fillMany, false, rs.labels, rs.v[i], i, null);
                }
            }
        }
        return new Vec(new ArrayList<>(em.out.values()));
    }

    /** Computes and stores one vector/vector result sample. */
    private static final class Emitter {
        final Evaluator ev;
        final BinaryExpr b;
        final BinOp op;
        final VectorMatching m;
        final int n;
        final boolean swap;
        final Map<Labels, StepSeries> out = new LinkedHashMap<>();

        Emitter(Evaluator ev, BinaryExpr b, int n, boolean swap) {
            this.ev = ev;
            this.b = b;
            this.op = b.op();
            this.m = b.matching();
            this.n = n;
            this.swap = swap;
        }

        /** {@code result} is the result labels when already known (null: computed here). */
        void emit(Labels manyLabels, double manyV, boolean manyDropName, Labels oneLabels, double oneV, int i, Labels known) {
            double fl = swap ? oneV : manyV, fr = swap ? manyV : oneV;
            double value;
            boolean cmp = op.isComparison();
            if (cmp) {
                boolean keep = compare(op, fl, fr);
                if (b.returnBool()) value = keep ? 1 : 0;
                else if (keep) value = fl;
                else return;
            } else {
                value = scalarOp(op, fl, fr);
            }
            Labels result = known != null ? known : resultLabels(manyLabels, oneLabels, op, m);
            StepSeries o = out.get(result);
            if (o == null) {
                o = new StepSeries(result, n);
                out.put(result, o);
            }
            if (o.has(i)) {
                throw PromQLException.execution(m.card() == VectorMatching.Card.ONE_TO_ONE
                        ? "vector cannot contain metrics with the same labelset"
                        : "multiple matches for labels: grouping labels must ensure unique matches");
            }
            o.set(i, value);
            if (b.returnBool()) ev.dropName(o);
            else if (cmp && manyDropName) o.dropName = true;
        }
    }

    private static int presentAt(List<StepSeries> one, int[] candidates, int i) {
        for (int c : candidates) if (one.get(c).has(i)) return c;
        return -1;
    }

    private static int[] toArray(List<Integer> l) {
        int[] a = new int[l.size()];
        for (int i = 0; i < a.length; i++) a[i] = l.get(i);
        return a;
    }

    /** Fails when the "one" side has two series with the same signature at the same step. */
    private static void checkOneSideUnique(Map<Labels, List<Integer>> bySig, List<StepSeries> one, VectorMatching m, int n, boolean swap) {
        for (List<Integer> idx : bySig.values()) {
            if (idx.size() < 2) continue;
            for (int i = 0; i < n; i++) {
                StepSeries first = null;
                for (int c : idx) {
                    StepSeries s = one.get(c);
                    if (!s.has(i)) continue;
                    if (first == null) {
                        first = s;
                        continue;
                    }
                    Labels a = first.labels, b = s.labels;
                    if (a.compareTo(b) > 0) {
                        Labels t = a;
                        a = b;
                        b = t;
                    }
                    throw PromQLException.execution("found duplicate series for the match group " + signature(s.labels, m)
                            + " on the " + (swap ? "left" : "right") + " hand-side of the operation: [" + a + ", " + b
                            + "];many-to-many matching not allowed: matching labels must be unique on one side");
                }
            }
        }
    }

    /** Prometheus's resultMetric: the labels of a vector/vector result sample. */
    static Labels resultLabels(Labels many, Labels one, BinOp op, VectorMatching m) {
        Labels.Builder b = many.toBuilder();
        if (!op.isComparison()) b.del(Labels.METRIC_NAME).del("__type__").del("__unit__");
        if (m.card() == VectorMatching.Card.ONE_TO_ONE) {
            if (m.on()) b.keep(m.matchingLabels());
            else for (String name : m.matchingLabels()) b.del(name);
        }
        for (String name : m.include()) {
            String v = one.get(name);
            if (!v.isEmpty()) b.set(name, v);
            else b.del(name);
        }
        return b.build();
    }
}
