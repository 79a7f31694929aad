package dev.hallpass.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.web.KeyedWorkQueue;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A GitHub that accepts requests and never answers: every call gives up in time, and other work goes on. */
class GitHubTimeoutTest {
    private static final GitHubTimeouts SHORT = new GitHubTimeouts(Duration.ofSeconds(1), Duration.ofMillis(500));

    private StandInWorld world;

    @BeforeEach
    void setUp() {
        world = new StandInWorld();
    }

    @AfterEach
    void tearDown() {
        world.close();
    }

    private Hub4jGitHubGateway gateway(GitHubTimeouts timeouts) {
        return new Hub4jGitHubGateway(
                world.hub.baseUrl(), GitHubAuth.token(world.hub.issueToken("bob")), world.clock, timeouts);
    }

    @Test
    void pullRequest_whenGitHubNeverAnswers_failsWithinTheTimeout() {
        Hub4jGitHubGateway gh = gateway(SHORT);
        int n = world.requestPr("hang");
        gh.comments(StandInWorld.REPO, n); // repository metadata and connection warm
        world.hub.hangRequests("/pulls/" + n + "$", null, -1);

        long t0 = System.nanoTime();
        GitHubException e = assertThrows(GitHubException.class, () -> gh.pullRequest(StandInWorld.REPO, n));
        long ms = (System.nanoTime() - t0) / 1_000_000;

        assertInstanceOf(GitHubTimeoutException.class, e, e.toString());
        assertEquals(0, e.status());
        assertTrue(e.isRetryable());
        assertTrue(e.getMessage().contains("no answer from GitHub within 500 ms"), e.getMessage());
        assertTrue(ms >= 400 && ms < 1500 + 2500, "gave up after " + ms + " ms (deadline 1.5 s, margin for load)");
        assertEquals(1, gh.health().consecutiveFailures());
    }

    @Test
    void rawCall_whenAnswerIsLate_timesOutAndLaterCallsWork() {
        Hub4jGitHubGateway gh = gateway(SHORT);
        int n = world.requestPr("late");
        world.hub.hangRequests("/issues/" + n + "/comments$", Duration.ofSeconds(3), 1);

        assertThrows(GitHubTimeoutException.class, () -> gh.comments(StandInWorld.REPO, n));

        assertEquals(List.of(), gh.comments(StandInWorld.REPO, n), "the next call is answered");
        assertEquals(0, gh.health().consecutiveFailures());
        assertTrue(gh.health().lastSuccess().isPresent());
    }

    @Test
    void tokenRefresh_whenGitHubNeverAnswers_timesOut() {
        world.hub.hangRequests("/access_tokens$", null, -1);
        Hub4jGitHubGateway gh = new Hub4jGitHubGateway(
                world.hub.baseUrl(),
                GitHubAuth.app(String.valueOf(world.appId), StandInWorld.pkcs8Pem(), StandInWorld.REPO),
                world.clock,
                SHORT);

        long t0 = System.nanoTime();
        assertThrows(GitHubTimeoutException.class, () -> gh.comments(StandInWorld.REPO, 1));
        assertTrue(System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(1500 + 2500));
    }

    @Test
    void workQueue_whenOneCallHangs_otherPullRequestsProceed() throws Exception {
        Hub4jGitHubGateway gh = gateway(new GitHubTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(8)));
        int stuck = world.requestPr("stuck");
        int other = world.requestPr("other");
        gh.comments(StandInWorld.REPO, other);
        world.hub.hangRequests("/pulls/" + stuck + "$", null, -1);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        CountDownLatch otherDone = new CountDownLatch(1);
        CountDownLatch stuckDone = new CountDownLatch(1);
        try (KeyedWorkQueue q = new KeyedWorkQueue(2, 10, errors::add)) {
            q.submit("stuck", () -> {
                try {
                    gh.pullRequest(StandInWorld.REPO, stuck);
                } finally {
                    stuckDone.countDown();
                }
            });
            q.submit("other", () -> {
                gh.upsertStickyComment(StandInWorld.REPO, other, "evaluated");
                otherDone.countDown();
            });

            assertTrue(otherDone.await(6, TimeUnit.SECONDS), "the other pull request is worked on meanwhile");
            assertFalse(stuckDone.await(0, TimeUnit.SECONDS), "the hung call is still waiting");
            assertTrue(stuckDone.await(15, TimeUnit.SECONDS), "the hung call gives up");
            assertTrue(q.awaitIdle(5_000));
        }
        assertEquals(1, errors.size());
        assertInstanceOf(GitHubTimeoutException.class, errors.get(0));
        assertEquals(1, world.repo.comments(other).size());
    }
}
