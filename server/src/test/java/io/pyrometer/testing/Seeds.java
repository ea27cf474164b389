package io.pyrometer.testing;

/**
 * Seeds for randomised tests. CI must be repeatable, so each test gets a fixed seed by default;
 * exploring is one flag away: {@code -Dpyrometer.seed=random} (every randomised test draws a new
 * seed) or {@code -D<name>=<seed>} to replay one printed failure.
 */
public final class Seeds {
    private Seeds() {}

    public static long seed(String name) {
        String v = System.getProperty(name, System.getProperty("pyrometer.seed"));
        long s;
        if (v == null || v.isEmpty()) s = name.hashCode() * 0x9E3779B97F4A7C15L;
        else if (v.equals("random")) s = System.nanoTime();
        else s = Long.parseLong(v);
        System.out.println(name + " seed=" + s + " (replay: -D" + name + "=" + s + "; explore: -Dpyrometer.seed=random)");
        return s;
    }
}
