package io.pyrometer.alerting.notify;

/** Alertmanager's {@code notify.TruncateInRunes} ({@code notify/util.go}): cut to n code points, the last one "…". */
final class Truncation {
    private Truncation() {}

    static String runes(String s, int n) {
        int count = s.codePointCount(0, s.length());
        if (count <= n) return s;
        if (n <= 3) return s.substring(0, s.offsetByCodePoints(0, n));
        return s.substring(0, s.offsetByCodePoints(0, n - 1)) + "…";
    }
}
