package io.pyrometer.alerting.types;

import io.pyrometer.model.Labels;
import java.nio.charset.StandardCharsets;

/**
 * {@code model.LabelSet.Fingerprint()}: FNV-1a 64 over the label pairs sorted by name, each name and
 * value followed by the 0xff separator, printed as 16 hex digits. The API's {@code fingerprint}
 * fields and webhook payloads carry it, so it matches Alertmanager's for the same labels.
 */
public final class Fingerprints {
    private Fingerprints() {}

    private static final long OFFSET = 0xcbf29ce484222325L, PRIME = 0x100000001b3L;

    public static long of(Labels labels) {
        long h = OFFSET;
        for (int i = 0; i < labels.size(); i++) {
            h = add(h, labels.name(i));
            h = (h ^ 0xff) * PRIME;
            h = add(h, labels.value(i));
            h = (h ^ 0xff) * PRIME;
        }
        return h;
    }

    private static long add(long h, String s) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) h = (h ^ (b & 0xff)) * PRIME;
        return h;
    }

    public static String hex(long fp) {
        String s = Long.toHexString(fp);
        return "0".repeat(16 - s.length()) + s;
    }
}
