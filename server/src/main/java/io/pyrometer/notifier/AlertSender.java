package io.pyrometer.notifier;

import java.util.List;

/** Where the rules engine hands alerts to send (Prometheus's {@code NotifyFunc} target). */
@FunctionalInterface
public interface AlertSender {
    /** Queues {@code alerts} for every configured Alertmanager; never blocks on the network. */
    void send(List<Alert> alerts);
}
