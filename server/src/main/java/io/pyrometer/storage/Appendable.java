package io.pyrometer.storage;

/** Hands out {@link Appender}s. */
public interface Appendable {
    Appender appender();
}
