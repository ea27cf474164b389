package io.pyrometer.model;

/**
 * Byte sizes as Prometheus's config writes them ({@code units.Base2Bytes} of alecthomas/units):
 * {@code B}, {@code KB}/{@code KiB}, {@code MB}/{@code MiB}, {@code GB}/{@code GiB}, {@code TB}/{@code TiB},
 * {@code PB}/{@code PiB}, {@code EB}/{@code EiB}, all powers of 1024. A unit is required except for a bare
 * {@code 0}; groups and fractions are allowed ({@code 1GB512MB}, {@code 1.5KB}); lowercase {@code kB} is
 * refused because it would mean 1000.
 *
 * <pre>{@code
 * ByteSizes.parse("10MB");        // 10_485_760
 * ByteSizes.format(10_485_760);   // "10MiB"
 * }</pre>
 */
public final class ByteSizes {
    private ByteSizes() {}

    private static final String[] PREFIXES = {"", "K", "M", "G", "T", "P", "E"};

    /**
     * Parses a size into bytes; both spellings ({@code MiB}, {@code MB}) mean powers of 1024, but not mixed
     * in one string.
     *
     * @throws IllegalArgumentException with the message Prometheus prints ({@code units: unknown unit kB in 10kB})
     */
    public static long parse(String s) {
        try {
            return parse(s, "iB");
        } catch (IllegalArgumentException first) {
            return parse(s, "B");
        }
    }

    private static long parse(String orig, String suffix) {
        String s = orig;
        boolean neg = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            neg = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) return 0;
        if (s.isEmpty()) throw new IllegalArgumentException("units: invalid " + orig);
        double total = 0;
        int i = 0, n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c != '.' && !isDigit(c)) throw new IllegalArgumentException("units: invalid " + orig);
            int start = i;
            while (i < n && isDigit(s.charAt(i))) i++;
            boolean pre = i > start;
            double g = pre ? parseDigits(s, start, i, orig) : 0;
            boolean post = false;
            if (i < n && s.charAt(i) == '.') {
                int fs = ++i;
                while (i < n && isDigit(s.charAt(i))) i++;
                if (i > fs) {
                    g += parseDigits(s, fs, i, orig) / Math.pow(10, i - fs);
                    post = true;
                }
            }
            if (!pre && !post) throw new IllegalArgumentException("units: invalid " + orig);
            int us = i;
            while (i < n && s.charAt(i) != '.' && !isDigit(s.charAt(i))) i++;
            String unit = s.substring(us, i);
            double mult = unitMultiplier(unit, suffix);
            if (mult < 0) throw new IllegalArgumentException("units: unknown unit " + unit + " in " + orig);
            total += g * mult;
        }
        if (neg) total = -total;
        if (total < -0x1p63 || total >= 0x1p63) throw new IllegalArgumentException("units: overflow parsing unit");
        return (long) total;
    }

    private static double parseDigits(String s, int from, int to, String orig) {
        if (to - from > 18) throw new IllegalArgumentException("units: invalid " + orig);
        return Long.parseLong(s, from, to, 10);
    }

    private static double unitMultiplier(String unit, String suffix) {
        if (unit.equals("B")) return 1;
        for (int p = 1; p < PREFIXES.length; p++) {
            if (unit.equals(PREFIXES[p] + suffix)) return Math.pow(1024, p);
        }
        return -1;
    }

    /**
     * Prints bytes as Prometheus does ({@code Base2Bytes.String()}): each non-zero 1024-power group from
     * largest to smallest, e.g. {@code 10MiB}, {@code 1KiB512B}, {@code 0B}.
     */
    public static String format(long bytes) {
        if (bytes == 0) return "0B";
        String[] out = new String[PREFIXES.length];
        long n = bytes;
        for (int i = 0; i < PREFIXES.length; i++) {
            long r = n % 1024;
            if (r != 0) out[i] = r + PREFIXES[i] + (i == 0 ? "B" : "iB");
            n /= 1024;
            if (n == 0) break;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = out.length - 1; i >= 0; i--) if (out[i] != null) sb.append(out[i]);
        return sb.toString();
    }

    private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }
}
