package io.pyrometer.storage;

/**
 * Optional hints to a {@link Querier#select}: the time range really needed, the query step and
 * the function around the selector. Storage may ignore them.
 */
public record SelectHints(long startMs, long endMs, long stepMs, String func, long rangeMs) {
    public static SelectHints range(long startMs, long endMs) {
        return new SelectHints(startMs, endMs, 0, null, 0);
    }
}
