package io.pyrometer.config;

import io.pyrometer.model.relabel.RelabelConfig;
import java.util.List;
import java.util.Map;

/**
 * One {@code remote_write:} entry with Prometheus's defaults (timeout 30s, queue of 10000 samples per
 * shard, 1..50 shards, 2000 samples per send; metadata sent every minute; HTTP/2 off).
 *
 * @param name            empty when not set (Prometheus then names the queue by a hash of the config)
 * @param protobufMessage {@code prometheus.WriteRequest} (1.0, default) or {@code io.prometheus.write.v2.Request}
 */
public record RemoteWriteConfig(
        String url,
        long remoteTimeoutMs,
        Map<String, String> headers,
        List<RelabelConfig> writeRelabelConfigs,
        String name,
        boolean sendExemplars,
        boolean sendNativeHistograms,
        boolean roundRobinDns,
        String protobufMessage,
        HttpClientConfig http,
        QueueConfig queueConfig,
        MetadataConfig metadataConfig) {

    public static final long DEFAULT_REMOTE_TIMEOUT_MS = 30_000;
    public static final String PROTOBUF_V1 = "prometheus.WriteRequest";
    public static final String PROTOBUF_V2 = "io.prometheus.write.v2.Request";

    public RemoteWriteConfig {
        headers = Maps.copyOf(headers);
        writeRelabelConfigs = List.copyOf(writeRelabelConfigs);
    }

    /** {@code queue_config:}. */
    public record QueueConfig(int capacity, int maxShards, int minShards, int maxSamplesPerSend,
                              long batchSendDeadlineMs, long minBackoffMs, long maxBackoffMs,
                              boolean retryOnHttp429, long sampleAgeLimitMs) {
        public static final QueueConfig DEFAULT = new QueueConfig(10_000, 50, 1, 2000, 5_000, 30, 5_000, false, 0);
    }

    /** {@code metadata_config:}. */
    public record MetadataConfig(boolean send, long sendIntervalMs, int maxSamplesPerSend) {
        public static final MetadataConfig DEFAULT = new MetadataConfig(true, 60_000, 2000);
    }
}
