package dev.hallpass.bot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.demo.LocalStack;
import dev.hallpass.github.WebhookSignature;
import dev.hallpass.github.standin.StandInRepository;
import dev.hallpass.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pull-request flow end to end: the GitHub stand-in sends signed webhooks to {@code hallpass serve},
 * which evaluates with the embedded Rego engine and the shipped policies and acts through the hub4j
 * gateway. Nothing is stubbed.
 */
class ServeEndToEndTest {
    /** Tuesday 3 November 2026, 10:00 UTC: alice is on sre-primary, dave on sre-secondary. */
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-03T10:00:00Z"));

    static final PullRequestProcessor.MergeMessages MESSAGES =
            new AuditedMergeMessages(CLOCK, id -> java.util.Optional.empty());

    static LocalStack stack;
    static StandInRepository repo;

    @BeforeAll
    static void start() {
        stack = new LocalStack(CLOCK, LocalStack.defaults(MESSAGES));
        repo = stack.repo();
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    static String request(String requester, String role, String env, String duration, boolean emergency) {
        return "apiVersion: hallpass/v1\nkind: AccessRequest\nrequester: " + requester + "\nrole: " + role
                + "\nenvironment: " + env
                + "\nduration: " + duration + "\nreason: \"INC-4211: blocking queries\"\n"
                + (emergency ? "emergency: true\nincident: INC-4211\n" : "");
    }

    private static StandInRepository.CheckRunView check(int number) {
        String sha = repo.pullRequest(number).headSha();
        List<StandInRepository.CheckRunView> runs = repo.checkRuns(sha);
        assertEquals(1, runs.size(), "exactly one hallpass check per head: " + runs);
        return runs.get(0);
    }

    @Test
    void emergency_whenRequesterOnCall_isMergedAndLabelled() {
        int n = stack.openRequest("alice", "inc-4211-alice", request("alice", "db-admin", "prod-eu", "2h", true));
        stack.awaitIdle();
        StandInRepository.PullView pr = repo.pullRequest(n);
        assertTrue(pr.merged(), "merged");
        assertTrue(
                pr.labels().containsAll(List.of("hallpass:emergency", "hallpass:retro-review-required")),
                pr.labels().toString());
        assertEquals("success", check(n).conclusion());
        assertTrue(repo.fileAt("main", "requests/inc-4211-alice.yaml").isPresent(), "the request is on main");
        // The merge carries the audit's trailers and the audit, rebuilt from git alone, agrees with them.
        dev.hallpass.audit.AuditRow row;
        try {
            row = dev.hallpass.audit.AuditLog.read(
                            repo.git(), "main", dev.hallpass.audit.AuditLog.Options.at(CLOCK.instant()))
                    .rows()
                    .stream()
                    .filter(r -> r.request().value().equals("inc-4211-alice"))
                    .findFirst()
                    .orElseThrow();
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
        assertTrue(row.emergency());
        assertEquals(java.util.OptionalInt.of(n), row.pullRequest());
        assertEquals(List.of(), row.findings(), "no audit findings on a Hallpass merge");
        List<StandInRepository.CommentView> comments = repo.comments(n);
        assertEquals(
                1,
                comments.stream()
                        .filter(c -> c.author().equals(LocalStack.BOT_LOGIN))
                        .count(),
                "one sticky comment");
        assertTrue(
                comments.get(0).body().contains("retroactive review"),
                comments.get(0).body());
    }

    @Test
    void emergency_whenRequesterNotOnCall_isNotMergedAndCheckSaysWhy() {
        int n = stack.openRequest("bob", "inc-4211-bob", request("bob", "db-admin", "prod-eu", "2h", true));
        stack.awaitIdle();
        assertFalse(repo.pullRequest(n).merged());
        StandInRepository.CheckRunView check = check(n);
        assertEquals("action_required", check.conclusion());
        assertTrue(check.summary().contains("emergency.not_on_call"), check.summary());
        assertTrue(check.summary().contains("bob is not on call now"), check.summary());
    }

    @Test
    void normal_whenRequesterApprovesOwnRequest_itDoesNotCountButAnEligibleApprovalDoes() {
        // heidi, an incident commander, opens the request on carol's behalf (a delegate), so carol can approve it on
        // GitHub; the policy must still refuse to count the requester's own approval.
        int n = stack.openRequest("heidi", "carol-admin-eu", request("carol", "db-admin", "prod-eu", "1h", false));
        stack.awaitIdle();
        assertFalse(repo.pullRequest(n).merged());
        assertEquals("action_required", check(n).conclusion());

        repo.submitReview(n, "carol", StandInRepository.ReviewEvent.APPROVE, "me");
        stack.awaitIdle();
        assertFalse(repo.pullRequest(n).merged(), "the requester's approval does not count");
        assertTrue(check(n).summary().contains("nobody approves their own request"), check(n).summary());

        repo.submitReview(n, "erin", StandInRepository.ReviewEvent.APPROVE, "ok");
        stack.awaitIdle();
        assertTrue(repo.pullRequest(n).merged(), "merged after an eligible approval");
    }

    @Test
    void normal_whenPushAfterApproval_voidsIt() {
        int n = stack.openRequest("dave", "dave-admin-us", request("dave", "db-admin", "prod-us", "1h", false));
        repo.submitReview(n, "carol", StandInRepository.ReviewEvent.APPROVE, "ok");
        stack.awaitIdle();
        assertFalse(repo.pullRequest(n).merged(), "1 of 2 approvals");
        repo.pushBranch(
                "request/dave-admin-us",
                "request/dave-admin-us",
                Map.of("requests/dave-admin-us.yaml", request("dave", "db-admin", "prod-us", "2h", false)),
                "dave",
                "Longer");
        repo.submitReview(n, "erin", StandInRepository.ReviewEvent.APPROVE, "ok");
        stack.awaitIdle();
        assertFalse(repo.pullRequest(n).merged(), "carol's approval was for the old head");
        assertTrue(check(n).summary().contains("earlier commit"), check(n).summary());
    }

    @Test
    void brokenYaml_givesFailingCheckNamingFileAndLine() {
        int n = stack.openRequest(
                "alice",
                "broken-yaml",
                "apiVersion: hallpass/v1\nkind: AccessRequest\nrequester: alice\nrole: [unclosed\n");
        stack.awaitIdle();
        assertFalse(repo.pullRequest(n).merged());
        StandInRepository.CheckRunView check = check(n);
        assertEquals("failure", check.conclusion());
        assertTrue(check.summary().matches("(?s).*requests/broken-yaml\\.yaml:\\d+.*"), check.summary());
    }

    @Test
    void pullRequestTouchingPolicies_isNeverMerged() {
        repo.pushBranch(
                "sneaky",
                "main",
                Map.of(
                        "requests/inc-4211-sneaky.yaml",
                        request("alice", "db-admin", "prod-eu", "2h", true),
                        "policies/hallpass/access/override.rego",
                        "package hallpass.access\n\nimport rego.v1\n\nauto_merge := true\n"),
                "alice",
                "Emergency, and a small policy fix");
        int n = repo.openPullRequest("alice", "sneaky", "main", "Access", "");
        stack.awaitIdle();
        assertFalse(repo.pullRequest(n).merged());
        assertEquals("neutral", check(n).conclusion());
        assertTrue(check(n).title().contains("platform team"), check(n).title());
    }

    @Test
    void webhook_whenUnsignedOrReplayed_changesNothing() throws Exception {
        int before = stack.hub().requestCount();
        byte[] body = ("{\"action\":\"opened\",\"number\":1,\"pull_request\":{\"number\":1,\"head\":{\"sha\":\"x\"}},"
                        + "\"repository\":{\"full_name\":\"acme/access\"},\"sender\":{\"login\":\"mallory\"}}")
                .getBytes(StandardCharsets.UTF_8);
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest.Builder req = HttpRequest.newBuilder(
                        URI.create(stack.server().webhookUrl()))
                .header("X-GitHub-Event", "pull_request")
                .header("X-GitHub-Delivery", "d-unsigned")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        assertEquals(
                401,
                http.send(req.build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        req.header(WebhookSignature.HEADER, "sha256=" + "0".repeat(64));
        assertEquals(
                401,
                http.send(req.build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        stack.awaitIdle();
        assertEquals(before, stack.hub().requestCount(), "no GitHub call was made for an unsigned delivery");

        int n = stack.openRequest("alice", "replayed", request("alice", "db-readonly", "prod-eu", "1h", false));
        stack.awaitIdle();
        String delivery = stack.hub()
                .deliveries()
                .get(stack.hub().deliveries().size() - 1)
                .id();
        int afterFirst = stack.hub().requestCount();
        stack.hub().redeliver(delivery);
        stack.awaitIdle();
        assertEquals(afterFirst, stack.hub().requestCount(), "a replayed delivery is ignored");
        assertFalse(repo.pullRequest(n).merged());
    }

    @Test
    void emergency_whenStateCannotBeRead_failsClosedWithoutMerging() {
        stack.hub().disableWebhook();
        try {
            int n = stack.openRequest("alice", "inc-4211-nostate", request("alice", "db-admin", "prod-eu", "1h", true));
            PullRequestProcessor failing = new PullRequestProcessor(
                    stack.gateway(),
                    new dev.hallpass.evaluation.AccessEvaluator(
                            dev.hallpass.policy.EmbeddedPolicySource.withBundledPolicies(), CLOCK),
                    new GitHubRepoTree.Cache(100),
                    r -> {
                        throw new IllegalStateException("GitHub is unreachable");
                    },
                    java.util.Set.of(LocalStack.BOT_LOGIN),
                    MESSAGES,
                    false);
            PullRequestProcessor.Outcome o = failing.process(LocalStack.REPO, n);
            assertTrue(o.merge().isEmpty(), o.note());
            assertFalse(repo.pullRequest(n).merged());
            StandInRepository.CheckRunView check = check(n);
            assertEquals("failure", check.conclusion());
            assertTrue(check.summary().contains("GitHub is unreachable"), check.summary());
        } finally {
            stack.hub().configureWebhook(stack.server().webhookUrl(), stack.webhookSecret(), false);
        }
    }
}
