package io.pyrometer.alerting.notify;

import java.util.List;

/**
 * One {@code receivers:} entry ready to send: its name and its integrations in Alertmanager's order
 * (see {@link Receivers#build}). A receiver without integrations (a "null receiver") is valid and
 * sends nothing.
 */
public record Receiver(String name, List<Integration> integrations) {
    public Receiver {
        integrations = List.copyOf(integrations);
    }
}
