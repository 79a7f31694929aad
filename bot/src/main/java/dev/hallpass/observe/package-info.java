/**
 * Observability: Prometheus metrics ({@link dev.hallpass.observe.HallpassMetrics}, scraped at serve's {@code
 * /metrics}) and logs ({@link dev.hallpass.observe.LogConfigurator}: text for people, one JSON object per line for
 * log pipelines, with the delivery, repository, pull request and request of the work at hand, and secrets
 * redacted by {@link dev.hallpass.observe.Redactor} before anything is written).
 */
package dev.hallpass.observe;
