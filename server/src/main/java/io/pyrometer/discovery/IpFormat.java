package io.pyrometer.discovery;

/** Formats IP addresses like Go's {@code net.IP.String()}: dotted IPv4, RFC 5952 compressed IPv6. */
final class IpFormat {
    private IpFormat() {}

    static String format(byte[] a) {
        if (a.length == 4) return v4(a, 0);
        boolean mapped = true;
        for (int i = 0; i < 10; i++) mapped &= a[i] == 0;
        if (mapped && (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff) return v4(a, 12);
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) w[i] = (a[2 * i] & 0xff) << 8 | (a[2 * i + 1] & 0xff);
        // longest run of zero words (length >= 2), first one on ties
        int bestStart = -1, bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (w[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && w[j] == 0) j++;
            if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(w[i]));
        }
        return sb.toString();
    }

    private static String v4(byte[] a, int off) {
        return (a[off] & 0xff) + "." + (a[off + 1] & 0xff) + "." + (a[off + 2] & 0xff) + "." + (a[off + 3] & 0xff);
    }
}
