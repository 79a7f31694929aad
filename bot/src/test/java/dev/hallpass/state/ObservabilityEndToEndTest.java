package dev.hallpass.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallpass.demo.ReplicaStack;
import dev.hallpass.demo.ServeProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real {@code serve} process as an operator watches it: Prometheus scrapes {@code /metrics} while a grant is
 * applied and revoked and a pull request is evaluated from a webhook, and the log pipeline reads its standard
 * error as JSON lines naming the delivery, repository and pull request, with no secret in them.
 */
class ObservabilityEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static double metric(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+|NaN)$")
                .matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    @Test
    @Timeout(150)
    void serve_whenScrapedAndLogged_reportsGrantsRevokesWebhooksAndJsonLinesWithoutSecrets() throws Exception {
        try (ReplicaStack w = new ReplicaStack()) {
            ReplicaStack.Merged g = w.mergeRequest("obs-carol", "carol", Duration.ofSeconds(45));
            ServeProcess serve = w.serveWithEnv("observed", Map.of("HALLPASS_LOG_FORMAT", "json"));
            try {
                int port = serve.awaitListening(Duration.ofSeconds(60));
                w.hub().configureWebhook("http://127.0.0.1:" + port + "/webhook", "replica-stack-secret", false);
                ServeProcess.await(
                        Duration.ofSeconds(30),
                        () -> metric(serve.get("/metrics").body(), "hallpass_grants_live{repo=\"acme/access\"}") == 1,
                        "for the live grant to show in /metrics");

                // A webhook: a request opened by dave, evaluated on a worker thread.
                w.repo()
                        .pushBranch(
                                "request/obs-dave",
                                "main",
                                Map.of(
                                        "requests/obs-dave.yaml",
                                        "apiVersion: hallpass/v1\nkind: AccessRequest\nrequester: dave\nrole: db-readonly"
                                                + "\nenvironment: prod-eu\nduration: 1h\nreason: \"Look at the orders\"\n"),
                                "dave",
                                "Request obs-dave");
                int pr = w.repo().openPullRequest("dave", "request/obs-dave", "main", "Access: obs-dave", "Please");
                ServeProcess.await(
                        Duration.ofSeconds(30),
                        () -> serve.get("/metrics").body().contains("hallpass_evaluations_total{outcome="),
                        "for the evaluation to be counted");

                ServeProcess.await(
                        Duration.between(Instant.now(), g.expiresAt()).plusSeconds(15),
                        () -> metric(serve.get("/metrics").body(), "hallpass_revoke_lag_seconds_count") >= 1,
                        "for the revoke to be measured");
                String scrape = serve.get("/metrics").body();
                assertEquals(0, metric(scrape, "hallpass_grants_live{repo=\"acme/access\"}"), scrape);
                assertTrue(
                        metric(scrape, "hallpass_webhooks_total{event=\"pull_request\",result=\"accepted\"}") >= 1,
                        scrape);
                assertTrue(metric(scrape, "hallpass_decision_seconds_count") >= 1, scrape);
                assertTrue(metric(scrape, "hallpass_github_calls_total{result=\"2xx\"}") > 0, scrape);
                assertTrue(metric(scrape, "hallpass_github_rate_limit_remaining") >= 0, scrape);
                assertTrue(
                        metric(scrape, "hallpass_revoke_lag_seconds_max") < 1.5, "revoked within a second: " + scrape);
                assertFalse(scrape.contains("hallpass_revoke_failures_total{"), "no revoke failed: " + scrape);

                String err = Files.readString(w.dir().resolve("observed.err"));
                List<JsonNode> lines = new ArrayList<>();
                for (String line : err.split("\n")) {
                    if (!line.isBlank()) {
                        lines.add(JSON.readTree(line)); // every line is one JSON object
                    }
                }
                assertTrue(lines.stream().allMatch(l -> l.hasNonNull("ts") && l.hasNonNull("level")), err);
                assertTrue(
                        lines.stream()
                                .anyMatch(l -> l.path("pr").asText().equals(Integer.toString(pr))
                                        && l.path("repo").asText().equals("acme/access")
                                        && !l.path("delivery").asText().isEmpty()),
                        "an evaluation's lines name the delivery, repository and pull request:\n" + err);
                for (String secret : List.of(w.token(), "replica-stack-secret")) {
                    assertFalse(err.contains(secret), "a secret was logged");
                    assertFalse(
                            Files.readString(w.dir().resolve("observed.out")).contains(secret));
                }
            } catch (AssertionError | IOException e) {
                throw new AssertionError(e.getMessage() + "\n" + w.outputs(), e);
            }
        }
    }
}
