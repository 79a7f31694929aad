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
    @Timeout(120)
    void serve_whenGitHubDownAtStartUp_startsReportsNotReadyAndRevokesFromTheSavedState() throws Exception {
        try (ReplicaStack w = new ReplicaStack()) {
            ReplicaStack.Merged g = w.mergeRequest("down-alice", "alice", Duration.ofSeconds(25));
            ServeProcess first = w.serve("first");
            try {
                first.awaitListening(Duration.ofSeconds(60));
                ServeProcess.await(
                        Duration.ofSeconds(30), () -> w.members().contains("alice"), "for the grant to be applied");
                first.kill9();

                ServeProcess second = w.serve("second", "http://127.0.0.1:" + deadPort());
                second.awaitListening(Duration.ofSeconds(60));
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
                Duration lag = Duration.between(g.expiresAt(), Instant.now());
                assertTrue(lag.compareTo(Duration.ofSeconds(1)) <= 0, "revoked " + lag.toMillis() + " ms late");
                assertTrue(second.isAlive(), "serve keeps running while GitHub is down");
            } catch (AssertionError | IllegalStateException e) {
                throw new AssertionError(e.getMessage() + "\n" + w.outputs(), e);
            }
        }
    }

    @Test
    @Timeout(120)
    void serve_whenStartedWithAFreshStateDirWhileAGrantIsLive_revokesItAtExpiry() throws Exception {
        try (ReplicaStack w = new ReplicaStack()) {
            ReplicaStack.Merged g = w.mergeRequest("fresh-bob", "bob", Duration.ofSeconds(25));
            ServeProcess first = w.serveLocal("first", w.dir().resolve("state-first"));
            try {
                first.awaitListening(Duration.ofSeconds(60));
                ServeProcess.await(
                        Duration.ofSeconds(30), () -> w.members().contains("bob"), "for the grant to be applied");
                first.kill9();

                // A rescheduled pod without its volume: the grant is live on the target, the new state is empty.
                ServeProcess second = w.serveLocal("second", w.dir().resolve("state-second"));
                second.awaitListening(Duration.ofSeconds(60));
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
