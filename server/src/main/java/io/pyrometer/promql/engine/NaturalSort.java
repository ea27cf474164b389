package io.pyrometer.promql.engine;

import java.util.ArrayList;
import java.util.List;

/** Natural ordering ({@code a2 < a10}) as github.com/facette/natsort, used by {@code sort_by_label}. */
final class NaturalSort {
    private NaturalSort() {}

    static boolean less(String a, String b) {
        List<String> ca = chunks(a), cb = chunks(b);
        for (int i = 0; i < ca.size(); i++) {
            if (i >= cb.size()) return false;
            String x = ca.get(i), y = cb.get(i);
            Long xi = parseInt(x), yi = parseInt(y);
            if (xi != null && yi != null) {
                if (xi.longValue() == yi.longValue()) {
                    if (i == ca.size() - 1) return true;
                    if (i == cb.size() - 1) return false;
                    continue;
                }
                return xi < yi;
            }
            if (x.equals(y)) {
                if (i == ca.size() - 1) return true;
                if (i == cb.size() - 1) return false;
                continue;
            }
            return x.compareTo(y) < 0;
        }
        return false;
    }

    private static Long parseInt(String s) {
        if (s.isEmpty() || !Character.isDigit(s.charAt(0))) return null;
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static List<String> chunks(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            boolean digit = Character.isDigit(s.charAt(i));
            int j = i;
            while (j < s.length() && Character.isDigit(s.charAt(j)) == digit) j++;
            out.add(s.substring(i, j));
            i = j;
        }
        return out;
    }
}
