package io.pyrometer.storage;

/** Something that can be queried over a time range (a DB, a block, a remote store). */
public interface Queryable {
    Querier querier(long minTimeMs, long maxTimeMs);
}
