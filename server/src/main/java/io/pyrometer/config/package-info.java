/**
 * {@code prometheus.yml}, read as Prometheus 3 reads it.
 *
 * <p>{@link io.pyrometer.config.ConfigLoader#load} turns a file into an immutable
 * {@link io.pyrometer.config.PrometheusConfig}: global defaults already applied into each
 * {@link io.pyrometer.config.ScrapeConfig}, durations in milliseconds, sizes in bytes, relative file
 * names joined with the config directory. Anything Prometheus would refuse is refused with a
 * {@link io.pyrometer.config.ConfigException} naming file, line, column and YAML path.
 * {@link io.pyrometer.config.ConfigRenderer} prints the effective config with secrets hidden.
 *
 * <p>Inside, {@code YamlTree} reads YAML into positioned {@code YamlNode}s with Jackson's streaming
 * parser, {@code Fields} gives strict typed access to one mapping (unknown keys are errors), and one
 * decoder per section ({@code GlobalDecoder}, {@code ScrapeDecoder}, {@code DiscoveryDecoder},
 * {@code HttpClientDecoder}, {@code RelabelDecoder}, {@code RemoteDecoder}) mirrors the matching
 * {@code UnmarshalYAML}/{@code Validate} of Prometheus so its messages can be kept word for word.
 * See {@code server/docs/config.md}.
 */
package io.pyrometer.config;
