package io.pyrometer.web;

import java.util.Map;

/** What the status endpoints report about the running process; implemented by the CLI's server. */
public interface ServerState {
    /** The effective config as YAML with secrets hidden, as {@code /api/v1/status/config} shows it. */
    String configYaml();

    /** Every command-line flag and its effective value. */
    Map<String, String> flags();

    boolean lastReloadSuccessful();

    /** Time of the last successful config load, epoch ms. */
    long lastReloadSuccessMs();

    long startTimeMs();

    /** Human-readable retention, e.g. {@code 15d} or {@code 15d or 10GiB}. */
    String storageRetention();

    /** Number of WAL corruptions repaired since start. */
    long corruptionCount();
}
