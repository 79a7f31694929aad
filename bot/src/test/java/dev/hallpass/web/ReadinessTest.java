package dev.hallpass.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.bot.HallpassServer;
import dev.hallpass.demo.ServeProcess;
import dev.hallpass.health.Health;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** /readyz: named checks as JSON, 503 when any fails; the work queue's check sees a stuck worker. */
class ReadinessTest {

    @Test
    void readyz_whenACheckFails_answers503NamingIt() throws Exception {
        AtomicBoolean dbUp = new AtomicBoolean(true);
        Health health = new Health()
                .register(
                        "database",
                        () -> dbUp.get() ? Health.Check.ok("reachable") : Health.Check.failing("does not answer"))
                .register("github:acme/access", () -> Health.Check.ok("git read"));
        WebhookServer server = new WebhookServer(
                        "secret", e -> "queued", health, WebhookServer.DeliveryLog.inMemory(10))
                .start("127.0.0.1", 0);
        try {
            HttpResponse<String> ok = get(server, "/readyz");
            assertEquals(200, ok.statusCode(), ok.body());
            assertTrue(ok.body().contains("\"status\":\"ready\""), ok.body());
            dbUp.set(false);
            HttpResponse<String> down = get(server, "/readyz");
            assertEquals(503, down.statusCode());
            assertTrue(down.body().contains("\"database\":{\"ok\":false,\"detail\":\"does not answer\"}"), down.body());
            assertTrue(down.body().contains("\"github:acme/access\":{\"ok\":true"), down.body());
            assertEquals(200, get(server, "/healthz").statusCode(), "alive, though not ready");
        } finally {
            server.close();
        }
    }

    @Test
    void queueCheck_whenAWorkerIsBusyTooLong_reportsItStuck() throws Exception {
        KeyedWorkQueue queue = new KeyedWorkQueue(2, 100, e -> {});
        CountDownLatch release = new CountDownLatch(1);
        try {
            var check = HallpassServer.queueCheck(queue, 100, Duration.ofMillis(200));
            assertTrue(check.get().ok());
            queue.submit("acme/access#1", () -> {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            ServeProcess.await(Duration.ofSeconds(10), () -> !check.get().ok(), "for the stuck worker to show");
            assertTrue(check.get().detail().contains("stuck"), check.get().detail());
            release.countDown();
            assertTrue(queue.awaitIdle(10_000));
            assertTrue(check.get().ok());
            assertFalse(queue.longestRunning().compareTo(Duration.ZERO) > 0);
        } finally {
            release.countDown();
            queue.close();
        }
    }

    private static HttpResponse<String> get(WebhookServer server, String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
