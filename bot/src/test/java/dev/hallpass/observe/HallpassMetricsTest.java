package dev.hallpass.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HallpassMetricsTest {

    @Test
    void scrape_whenEventsHappened_exposesThemInPrometheusFormat() {
        HallpassMetrics m = HallpassMetrics.create();
        AtomicInteger live = new AtomicInteger(3);
        m.webhook("pull_request", "accepted");
        m.webhook("pull_request", "accepted");
        m.evaluation("merge", Duration.ofMillis(4));
        m.githubCall(200);
        m.githubCall(304);
        m.githubCall(0);
        m.githubRateLimitRemaining(() -> 4321);
        m.grantsLive("acme/access", live::get);
        m.reviewsOverdue("acme/access", () -> 1);
        m.revoked(Duration.ofMillis(250));
        m.revokeFailed("postgres");
        live.set(2);

        String text = m.scrape();

        assertTrue(text.contains("hallpass_webhooks_total{event=\"pull_request\",result=\"accepted\"} 2.0"), text);
        assertTrue(text.contains("hallpass_evaluations_total{outcome=\"merge\"} 1.0"), text);
        assertTrue(text.contains("hallpass_decision_seconds_count 1"), text);
        assertTrue(text.contains("hallpass_github_calls_total{result=\"not_modified\"} 1.0"), text);
        assertTrue(text.contains("hallpass_github_calls_total{result=\"no_answer\"} 1.0"), text);
        assertTrue(text.contains("hallpass_github_rate_limit_remaining 4321.0"), text);
        assertTrue(text.contains("hallpass_grants_live{repo=\"acme/access\"} 2.0"), "read at scrape time: " + text);
        assertTrue(text.contains("hallpass_reviews_overdue{repo=\"acme/access\"} 1.0"), text);
        assertTrue(text.contains("hallpass_revoke_lag_seconds_count 1"), text);
        assertTrue(text.contains("hallpass_revoke_failures_total{provider=\"postgres\"} 1.0"), text);
        assertTrue(text.contains("jvm_memory_used_bytes"), "JVM metrics are bound");
        assertEquals(1.0, m.count("hallpass.revoke.failures", "provider", "postgres"));
    }
}
