package dev.hallpass.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.demo.ReplicaStack;
import dev.hallpass.demo.ServeProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code serve} restarted as a scheduler would: with its state elsewhere, and while GitHub is down. */
class ServeRestartTest {

    @Test
    @Timeout(300)
    void serve_whenGitHubDownAtStartUp_startsReportsNotReadyAndRevokesFromTheSavedState() throws Exception {
        try (ReplicaStack w = new ReplicaStack()) {
            int pull = w.openRequest("down-alice", "alice", Duration.ofSeconds(20));
            ServeProcess first = w.serve("first");
            try {
                first.awaitListening(Duration.ofSeconds(120));
                w.deliverWebhooksTo(first);
                ReplicaStack.Merged g = w.merge(pull, "down-alice", "alice", Duration.ofSeconds(20));
                ServeProcess.await(
                        Duration.ofSeconds(30), () -> w.members().contains("alice"), "for the grant to be applied");
                first.kill9();

                ServeProcess second = w.serve("second", "http://127.0.0.1:" + deadPort());
                second.awaitListening(Duration.ofSeconds(120));
                Instant up = Instant.now();
                assertEquals(200, second.get("/healthz").status());
                ServeProcess.await(
                        Duration.ofSeconds(30), () -> ReplicaStack.leads(second), "for the second process to lead");
                ServeProcess.Response ready = second.get("/readyz");
                assertEquals(503, ready.status(), ready.body());
                assertTrue(ready.body().contains("\"github:acme/access\":{\"ok\":false"), ready.body());
                assertTrue(ready.body().contains("\"database\":{\"ok\":true"), ready.body());

                ServeProcess.await(
                        Duration.between(Instant.now(), g.expiresAt()).plusSeconds(5),
                        () -> !w.members().contains("alice"),
                        "for the grant to be revoked");
                // On a slow machine the process may come up after the expiry: then it revokes as it starts.
                Instant due = g.expiresAt().isAfter(up) ? g.expiresAt() : up;
                Duration lag = Duration.between(due, Instant.now());
                assertTrue(lag.compareTo(Duration.ofSeconds(1)) <= 0, "revoked " + lag.toMillis() + " ms late");
                assertTrue(second.isAlive(), "serve keeps running while GitHub is down");
            } catch (AssertionError | IllegalStateException e) {
                throw new AssertionError(e.getMessage() + "\n" + w.outputs(), e);
            }
        }
    }

    @Test
    @Timeout(300)
    void serve_whenStartedWithAFreshStateDirWhileAGrantIsLive_revokesItAtExpiry() throws Exception {
        try (ReplicaStack w = new ReplicaStack()) {
            int pull = w.openRequest("fresh-bob", "bob", Duration.ofSeconds(20));
            ServeProcess first = w.serveLocal("first", w.dir().resolve("state-first"));
            try {
                first.awaitListening(Duration.ofSeconds(120));
                w.deliverWebhooksTo(first);
                ReplicaStack.Merged g = w.merge(pull, "fresh-bob", "bob", Duration.ofSeconds(20));
                ServeProcess.await(
                        Duration.ofSeconds(30), () -> w.members().contains("bob"), "for the grant to be applied");
                first.kill9();

                // A rescheduled pod without its volume: the grant is live on the target, the new state is empty.
                ServeProcess second = w.serveLocal("second", w.dir().resolve("state-second"));
                second.awaitListening(Duration.ofSeconds(120));
                ServeProcess.await(
                        Duration.between(Instant.now(), g.expiresAt()).plusSeconds(5),
                        () -> !w.members().contains("bob"),
                        "for the grant to be revoked at its expiry");
                ServeProcess.await(
                        Duration.ofSeconds(30),
                        () -> w.repo()
                                .fileAt("main", "requests/" + g.id() + ".yaml")
                                .isEmpty(),
                        "for the expiry to be merged");
                assertEquals(1, w.mergedExpiries(g.id()));
            } catch (AssertionError | IllegalStateException e) {
                throw new AssertionError(e.getMessage() + "\n" + w.outputs(), e);
            }
        }
    }

    /** A local port nothing listens on: GitHub refusing connections. */
    private static int deadPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
