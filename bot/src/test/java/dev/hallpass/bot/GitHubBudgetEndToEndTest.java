package dev.hallpass.bot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.bench.BenchInputs;
import dev.hallpass.demo.LocalStack;
import dev.hallpass.github.standin.GitHubStandIn;
import dev.hallpass.testing.MutableClock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** serve's wiring against the stand-in when GitHub rate-limits it, and a resync that asks only what changed. */
class GitHubBudgetEndToEndTest {
    private MutableClock clock;
    private LocalStack stack;

    @BeforeEach
    void start() {
        clock = new MutableClock(BenchInputs.ON_CALL_TIME);
        stack = new LocalStack(clock, LocalStack.defaults(new AuditedMergeMessages(clock, id -> Optional.empty())));
    }

    @AfterEach
    void stop() {
        stack.close();
    }

    private void awaitMerged(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!stack.repo().pullRequest(n).merged()) {
            assertTrue(System.nanoTime() < deadline, "#" + n + " was not merged after the limit lifted");
            Thread.sleep(20);
        }
    }

    @Test
    void evaluation_whenSecondaryRateLimited_isRequeuedAfterRetryAfterAndCompletes() throws Exception {
        stack.hub()
                .rateLimitRequests(
                        "/compare/[^/]+$", GitHubStandIn.FaultKind.SECONDARY_RATE_LIMIT, Duration.ofSeconds(1), 1);

        int n = stack.openRequest("alice", "inc-1-limited", BenchInputs.EMERGENCY);

        awaitMerged(n);
        assertTrue(stack.hub().requestLog().stream().anyMatch(r -> r.status() == 429));
        assertEquals(1, stack.server().bot().rateLimitRequeues());
    }

    @Test
    void evaluation_whenPrimaryRateLimited_waitsForTheResetAndCompletes() throws Exception {
        stack.hub()
                .rateLimitRequests(
                        "/compare/[^/]+$", GitHubStandIn.FaultKind.PRIMARY_RATE_LIMIT, Duration.ofSeconds(1), 1);

        int n = stack.openRequest("alice", "inc-2-limited", BenchInputs.EMERGENCY);

        awaitMerged(n);
        assertTrue(stack.hub().requestLog().stream().anyMatch(r -> r.status() == 403));
        assertEquals(1, stack.server().bot().rateLimitRequeues());
        assertTrue(stack.gateway().health().rateLimitRemaining().isPresent());
    }

    @Test
    void resync_whenNothingChanged_queuesNothingAndCostsNoCountedCall() throws Exception {
        int n = stack.openRequest(
                "carol",
                "carol-readonly",
                """
                apiVersion: hallpass/v1
                kind: AccessRequest
                requester: carol
                role: db-readonly
                environment: prod-eu
                duration: 1h
                reason: "Investigate SUP-1182"
                """);
        stack.awaitIdle();
        var repos = java.util.List.of(LocalStack.REPO);
        HallpassBot bot = stack.server().bot();
        assertEquals(1, bot.resync(repos), "not yet evaluated by a resync");
        stack.awaitIdle();

        long before = stack.gateway().apiCalls();
        assertEquals(0, bot.resync(repos));
        assertEquals(0, stack.gateway().apiCalls() - before, "the open list and the branch tip are free 304s");

        stack.repo().pushBranch("request/carol-readonly", null, Map.of("notes.txt", "x"), "carol", "push");
        stack.awaitIdle();
        assertEquals(1, bot.resync(repos), "a push changes the pull request");
        stack.awaitIdle();
        assertTrue(stack.repo().pullRequest(n).open());
    }
}
