package io.pyrometer.config;

import java.util.Collection;

/** Suggests the known key closest to a misspelt one (Levenshtein distance, at most a third of the length). */
public final class DidYouMean {
    private DidYouMean() {}

    public static String closest(String key, Collection<String> known) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        int limit = Math.max(2, key.length() / 3);
        for (String k : known) {
            int d = distance(key, k);
            if (d < bestD && d <= limit) {
                best = k;
                bestD = d;
            }
        }
        return best;
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
