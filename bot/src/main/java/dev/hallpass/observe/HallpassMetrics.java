package dev.hallpass.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Hallpass's metrics, with the names an operator's dashboards and alerts use (Prometheus text format at
 * serve's {@code /metrics}):
 *
 * <ul>
 *   <li>{@code hallpass_webhooks_total{event,result}}: deliveries by event and what became of them
 *   <li>{@code hallpass_evaluations_total{outcome}} and {@code hallpass_decision_seconds}: pull-request decisions
 *   <li>{@code hallpass_github_calls_total{result}} and {@code hallpass_github_rate_limit_remaining}
 *   <li>{@code hallpass_grants_live{repo}}, {@code hallpass_revoke_lag_seconds}, {@code
 *       hallpass_revoke_failures_total{provider}}: the grant lifecycle; alert on any revoke failure
 *   <li>{@code hallpass_reviews_overdue{repo}}: emergencies whose retroactive review is late
 * </ul>
 *
 * <p>One registry per process ({@link #shared()}); tests read deltas or make their own with {@link #create()}.
 */
public final class HallpassMetrics {
    private static final HallpassMetrics SHARED = create();

    private final PrometheusMeterRegistry registry;

    private HallpassMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    /** A registry of its own, with the JVM's metrics bound. */
    public static HallpassMetrics create() {
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(r);
        new JvmGcMetrics().bindTo(r);
        new JvmThreadMetrics().bindTo(r);
        new ProcessorMetrics().bindTo(r);
        new UptimeMetrics().bindTo(r);
        return new HallpassMetrics(r);
    }

    /** The process's registry: what serve exposes. */
    public static HallpassMetrics shared() {
        return SHARED;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Every metric in Prometheus's text exposition format. */
    public String scrape() {
        return registry.scrape();
    }

    public void webhook(String event, String result) {
        Counter.builder("hallpass.webhooks")
                .description("Webhook deliveries by event and result")
                .tag("event", event == null || event.isBlank() ? "unknown" : event)
                .tag("result", result)
                .register(registry)
                .increment();
    }

    public void evaluation(String outcome, Duration decisionTook) {
        Counter.builder("hallpass.evaluations")
                .description("Pull-request evaluations by the policy's outcome")
                .tag("outcome", outcome)
                .register(registry)
                .increment();
        Timer.builder("hallpass.decision")
                .description("Time to decide one pull request (policy evaluation)")
                .publishPercentileHistogram()
                .register(registry)
                .record(decisionTook);
    }

    /** One GitHub REST call: its HTTP status (0 for no answer: a timeout or a refused connection). */
    public void githubCall(int status) {
        String result = status == 0 ? "no_answer" : status == 304 ? "not_modified" : (status / 100) + "xx";
        Counter.builder("hallpass.github.calls")
                .description("GitHub REST calls by result; not_modified answers do not count against the rate limit")
                .tag("result", result)
                .register(registry)
                .increment();
    }

    /** Registers the gauge of GitHub's remaining rate limit, read from {@code remaining} at each scrape. */
    public void githubRateLimitRemaining(Supplier<Number> remaining) {
        Gauge.builder("hallpass.github.rate.limit.remaining", () -> remaining.get())
                .description("GitHub's x-ratelimit-remaining, as last seen")
                .strongReference(true)
                .register(registry);
    }

    public void grantsLive(String repo, Supplier<Number> live) {
        Gauge.builder("hallpass.grants.live", () -> live.get())
                .description("Grants applied and not yet revoked")
                .tag("repo", repo)
                .strongReference(true)
                .register(registry);
    }

    public void reviewsOverdue(String repo, Supplier<Number> overdue) {
        Gauge.builder("hallpass.reviews.overdue", () -> overdue.get())
                .description("Emergencies whose retroactive review is past its deadline")
                .tag("repo", repo)
                .strongReference(true)
                .register(registry);
    }

    /** A revoke done: how long after the grant's expiry. */
    public void revoked(Duration lagAfterExpiry) {
        Timer.builder("hallpass.revoke.lag")
                .description("Time from a grant's expiry to its revocation")
                .publishPercentileHistogram()
                .register(registry)
                .record(lagAfterExpiry.isNegative() ? Duration.ZERO : lagAfterExpiry);
    }

    public void revokeFailed(String provider) {
        Counter.builder("hallpass.revoke.failures")
                .description("Revokes that failed (an alert: access may outlive its expiry)")
                .tag("provider", provider.toLowerCase(Locale.ROOT))
                .register(registry)
                .increment();
    }

    /** The current value of a counter, for tests and the bench; 0 when it was never incremented. */
    public double count(String name, String... tags) {
        Counter c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }
}
