package io.pyrometer.tsdb.block;

import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * ULIDs as block names: 48-bit Unix milliseconds then 80 random bits, 26 characters of Crockford
 * base32, so lexical order is creation order (github.com/oklog/ulid, which Prometheus uses).
 */
public final class Ulid {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final RandomGenerator RANDOM = new SecureRandom();
    public static final int LENGTH = 26;

    private Ulid() {}

    /** A new ULID for the current time. */
    public static String generate() {
        return generate(System.currentTimeMillis(), RANDOM);
    }

    /** A ULID for {@code timeMs} with entropy from {@code random}. */
    public static String generate(long timeMs, RandomGenerator random) {
        if (timeMs < 0 || timeMs >= (1L << 48)) throw new IllegalArgumentException("ULID time out of range [timeMs=" + timeMs + "]");
        long hi = (timeMs << 16) | (random.nextInt() & 0xFFFF);
        long lo = random.nextLong();
        return encode(hi, lo);
    }

    /** Encodes 128 bits (hi, lo) as 26 characters, most significant first. */
    static String encode(long hi, long lo) {
        char[] out = new char[LENGTH];
        for (int i = LENGTH - 1; i >= 0; i--) {
            out[i] = ALPHABET[(int) (lo & 31)];
            lo = (lo >>> 5) | (hi << 59);
            hi >>>= 5;
        }
        return new String(out);
    }

    /** Whether {@code s} is a well-formed ULID (case-insensitive, first char at most '7'). */
    public static boolean isValid(String s) {
        if (s == null || s.length() != LENGTH) return false;
        for (int i = 0; i < LENGTH; i++) {
            if (value(s.charAt(i)) < 0) return false;
        }
        return value(s.charAt(0)) <= 7;
    }

    /** The millisecond timestamp encoded in a valid ULID. */
    public static long timestampMs(String s) {
        if (!isValid(s)) throw new IllegalArgumentException("not a ULID [value=" + s + "]");
        long t = 0;
        for (int i = 0; i < 10; i++) t = (t << 5) | value(s.charAt(i));
        return t;
    }

    private static int value(char c) {
        char u = Character.toUpperCase(c);
        for (int i = 0; i < ALPHABET.length; i++) if (ALPHABET[i] == u) return i;
        return -1;
    }
}
