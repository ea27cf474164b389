/**
 * Go {@code text/template}: a parser and an interpreter written once, shared by the rules
 * (alert annotations and labels, with Prometheus's functions) and the alert router
 * (notification templates, with Alertmanager's functions and data model).
 *
 * <p>Value model (how Go values are represented in Java):
 * <ul>
 *   <li>{@code null}: Go's nil / missing map key;</li>
 *   <li>{@link java.lang.String}, {@link java.lang.Boolean}, {@link java.lang.Long} (Go ints),
 *       {@link java.lang.Double} (Go float64);</li>
 *   <li>{@link java.util.Map} with {@code String} keys: a Go map ({@code .key} field access,
 *       {@code range} in sorted key order, {@code index});</li>
 *   <li>{@link java.util.List}: a Go slice;</li>
 *   <li>{@link io.pyrometer.template.GoObject}: a Go struct or named type with fields and
 *       methods ({@code .Alerts.Firing}, {@code .Labels.SortedPairs});</li>
 *   <li>{@link java.time.Instant}: Go's {@code time.Time}.</li>
 * </ul>
 */
package io.pyrometer.template;
