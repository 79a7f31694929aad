package dev.hallpass.bot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.demo.LocalStack;
import dev.hallpass.github.RepoName;
import dev.hallpass.github.WebhookSignature;
import dev.hallpass.github.standin.LoggedRequest;
import dev.hallpass.github.standin.StandInRepository;
import dev.hallpass.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hallpass tried as an attacker would, end to end: the GitHub stand-in sends signed webhooks to {@code hallpass
 * serve}'s wiring, which evaluates with the shipped policies and acts through the hub4j gateway. Each test is an
 * attack that once worked.
 */
class AttackEndToEndTest {
    /** Tuesday 3 November 2026, 10:00 UTC: alice is on sre-primary, alice_acme (a managed user) on sre-secondary. */
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-03T10:00:00Z"));

    static final PullRequestProcessor.MergeMessages MESSAGES =
            new AuditedMergeMessages(CLOCK, id -> java.util.Optional.empty());

    static LocalStack stack;
    static StandInRepository repo;

    @BeforeAll
    static void start() {
        LocalStack.Options defaults = LocalStack.defaults(MESSAGES);
        stack = new LocalStack(
                CLOCK,
                new LocalStack.Options(
                        defaults.policies(),
                        defaults.state(),
                        defaults.messages(),
                        defaults.extensions(),
                        defaults.resyncEvery(),
                        AttackEndToEndTest::withManagedUser));
        repo = stack.repo();
    }

    /** alice_acme, a managed user of GitHub Enterprise Managed Users, is an SRE on call on sre-secondary. */
    static Map<String, String> withManagedUser(Map<String, String> files) {
        Map<String, String> out = new HashMap<>(files);
        out.put(
                "catalog/groups.yaml",
                files.get("catalog/groups.yaml").replace("[alice, bob, dave]", "[alice, bob, dave, alice_acme]"));
        out.put(
                "oncall.yaml",
                files.get("oncall.yaml")
                        .replace(
                                "people: [dave, alice, bob]\n",
                                "people: [dave, alice, bob]\n    overrides:\n      - person: alice_acme\n"
                                        + "        from: 2026-11-01T00:00:00Z\n        until: 2026-11-30T00:00:00Z\n"));
        return out;
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @AfterEach
    void noHooksLeft() {
        stack.hub().clearRequestHooks();
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

    /** A request already merged on main, as if its pull request had been merged earlier. */
    private static void onMain(String id, String yaml) {
        repo.pushBranch("main", null, Map.of("requests/" + id + ".yaml", yaml), "dave", "Request access: " + id);
    }

    @Test
    void forcePush_betweenReadingThePullRequestAndItsFiles_neverMergesACatalogChange() {
        String groups = repo.fileAt("main", "catalog/groups.yaml").orElseThrow();
        String request = request("alice", "db-admin", "prod-eu", "1h", true);
        // B: the request plus mallory made an SRE. A: the request alone.
        String b = repo.pushBranch(
                "race",
                "main",
                Map.of(
                        "requests/inc-4211-race.yaml",
                        request,
                        "catalog/groups.yaml",
                        groups.replace("[alice, bob, dave", "[mallory, alice, bob, dave")),
                "alice",
                "Emergency access");
        String a = repo.pushBranch(
                "race-clean", "main", Map.of("requests/inc-4211-race.yaml", request), "alice", "Emergency access");
        // The attacker shows A while the files are listed and B again just before the merge.
        stack.hub()
                .beforeNextRequest(
                        "GET",
                        "/repos/acme/access/(pulls/\\d+/files|compare/)",
                        () -> repo.forcePush("race", a, "alice"));
        stack.hub().beforeNextRequest("PUT", "/pulls/\\d+/merge", () -> repo.forcePush("race", b, "alice"));
        int n = repo.openPullRequest("alice", "race", "main", "Access: inc-4211-race", "");
        stack.awaitIdle();
        stack.hub().clearRequestHooks();
        stack.awaitIdle();
        assertEquals(groups, repo.fileAt("main", "catalog/groups.yaml").orElseThrow(), "the catalog is unchanged");
        StandInRepository.PullView pr = repo.pullRequest(n);
        assertTrue(!pr.merged() || pr.headSha().equals(a), "only the commit without the catalog change may merge");
    }

    @Test
    void extension_whenSomeoneRewritesAnotherPersonsMergedGrant_isRefused() {
        onMain("inc-4211-dave", request("dave", "db-admin", "prod-eu", "1h", true));
        // alice, eligible and on call, turns dave's merged emergency into her own.
        repo.pushBranch(
                "swap",
                "main",
                Map.of("requests/inc-4211-dave.yaml", request("alice", "db-admin", "prod-eu", "2h", true)),
                "alice",
                "Extend");
        int n = repo.openPullRequest("alice", "swap", "main", "Extend inc-4211-dave", "");
        stack.awaitIdle();
        assertFalse(repo.pullRequest(n).merged());
        assertEquals("failure", check(n).conclusion());
        assertTrue(check(n).summary().contains("extension.changes_grant"), check(n).summary());
    }

    @Test
    void extension_whenTheRequesterOnlyExtendsTheDuration_isMerged() {
        onMain("inc-4211-ext", request("alice", "db-admin", "prod-eu", "1h", true));
        repo.pushBranch(
                "extend",
                "main",
                Map.of("requests/inc-4211-ext.yaml", request("alice", "db-admin", "prod-eu", "2h", true)),
                "alice",
                "Extend");
        int n = repo.openPullRequest("alice", "extend", "main", "Extend inc-4211-ext", "");
        stack.awaitIdle();
        assertTrue(repo.pullRequest(n).merged(), check(n).summary());
    }

    private static int deleteOnBranch(String branch, String id, String login) {
        Map<String, String> delete = new HashMap<>();
        delete.put("requests/" + id + ".yaml", null);
        repo.pushBranch(branch, "main", delete, login, "Revoke " + id);
        return repo.openPullRequest(login, branch, "main", "Revoke " + id, "");
    }

    @Test
    void revoke_whenSomeoneElseDeletesAGrant_isRefused() {
        onMain("inc-4211-keep", request("dave", "db-admin", "prod-eu", "4h", true));
        int n = deleteOnBranch("cut-off", "inc-4211-keep", "mallory");
        stack.awaitIdle();
        assertFalse(repo.pullRequest(n).merged());
        assertTrue(repo.fileAt("main", "requests/inc-4211-keep.yaml").isPresent());
        assertEquals("failure", check(n).conclusion());
        assertTrue(check(n).summary().contains("revoke.not_allowed"), check(n).summary());
    }

    @Test
    void revoke_whenAPlatformOwnerDeletesAGrant_isMerged() {
        onMain("inc-4211-owner", request("dave", "db-admin", "prod-eu", "4h", true));
        // grace is in group:platform, the template's platform_owners.
        int n = deleteOnBranch("owner-cut", "inc-4211-owner", "grace");
        stack.awaitIdle();
        assertTrue(repo.pullRequest(n).merged(), check(n).summary());
        assertFalse(repo.fileAt("main", "requests/inc-4211-owner.yaml").isPresent());
    }

    @Test
    void emergency_whenItNamesAFutureStart_isNotMerged() {
        int n = stack.openRequest(
                "alice",
                "inc-4211-later",
                request("alice", "db-admin", "prod-eu", "2h", true) + "start: 2026-11-20T02:00:00Z\n");
        stack.awaitIdle();
        assertFalse(repo.pullRequest(n).merged());
        assertTrue(check(n).summary().contains("emergency.start_not_allowed"), check(n).summary());
    }

    @Test
    void managedUser_whenOnCall_getsEmergencyAccess() {
        stack.hub().createUser("alice_acme");
        stack.hub().addOrgMember("acme", "alice_acme");
        int n = stack.openRequest(
                "alice_acme", "inc-4211-emu", request("alice_acme", "db-admin", "prod-eu", "1h", true));
        stack.awaitIdle();
        assertTrue(repo.pullRequest(n).merged(), check(n).summary());
    }

    @Test
    void emergency_whenTheRepositoryAllowsOnlySquash_isSquashedWithTheAuditTrailers() throws Exception {
        repo.setMergeMethods(false, true, false);
        try {
            int n = stack.openRequest("alice", "inc-4211-squash", request("alice", "db-admin", "prod-eu", "1h", true));
            stack.awaitIdle();
            StandInRepository.PullView pr = repo.pullRequest(n);
            assertTrue(pr.merged(), check(n).summary());
            try (org.eclipse.jgit.revwalk.RevWalk rw = new org.eclipse.jgit.revwalk.RevWalk(repo.git())) {
                assertEquals(
                        1,
                        rw.parseCommit(org.eclipse.jgit.lib.ObjectId.fromString(pr.mergeCommitSha()))
                                .getParentCount());
            }
            dev.hallpass.audit.AuditRow row = dev.hallpass.audit.AuditLog.read(
                            repo.git(), "main", dev.hallpass.audit.AuditLog.Options.at(CLOCK.instant()))
                    .rows()
                    .stream()
                    .filter(r -> r.request().value().equals("inc-4211-squash"))
                    .findFirst()
                    .orElseThrow();
            assertEquals(java.util.OptionalInt.of(n), row.pullRequest());
            assertEquals(List.of(), row.findings(), "the squash commit carries the audit's trailers");
        } finally {
            repo.setMergeMethods(true, true, true);
        }
    }

    @Test
    void events_ofARepositoryNotServed_causeNoGitHubCall() throws Exception {
        RepoName otherName = new RepoName("acme", "other");
        StandInRepository other = stack.hub().createRepository(otherName, LocalStack.template());
        stack.hub().clearRequestLog();
        other.pushBranch(
                "request/inc-4211-other",
                "main",
                Map.of("requests/inc-4211-other.yaml", request("alice", "db-admin", "prod-eu", "1h", true)),
                "alice",
                "Access");
        int n = other.openPullRequest("alice", "request/inc-4211-other", "main", "Access", "");
        stack.awaitIdle();
        assertFalse(other.pullRequest(n).merged());
        List<LoggedRequest> touched = stack.hub().requestLog().stream()
                .filter(r -> r.path().contains("/repos/acme/other"))
                .toList();
        assertEquals(List.of(), touched, "Hallpass serves acme/access only");
    }

    @Test
    void emergencies_whenEightArriveAtOnce_mergeNoMoreThanTheCapOfThree() throws Exception {
        try (LocalStack own =
                new LocalStack(CLOCK, LocalStack.defaults(MESSAGES).withRetroReviews(CLOCK))) {
            own.hub().disableWebhook();
            for (int i = 0; i < 8; i++) {
                own.openRequest("alice", "inc-4211-cap" + i, request("alice", "db-admin", "prod-eu", "1h", true));
            }
            // serve's wiring with eight workers, so the eight pull requests are judged at the same time; the live
            // emergencies come from git, as serve reads them.
            dev.hallpass.review.RetroReviews reviews = new dev.hallpass.review.RetroReviews(
                    own.gateway(), List.of(LocalStack.REPO), "main", java.util.Set.of(LocalStack.BOT_LOGIN), CLOCK);
            HallpassServer.Config config = new HallpassServer.Config(
                    "127.0.0.1",
                    0,
                    own.webhookSecret(),
                    List.of(LocalStack.REPO),
                    java.util.Set.of(LocalStack.BOT_LOGIN),
                    java.time.Duration.ofHours(1),
                    8,
                    1000,
                    false);
            try (HallpassServer server = new HallpassServer(
                    config,
                    own.gateway(),
                    dev.hallpass.policy.EmbeddedPolicySource.withBundledPolicies(),
                    CLOCK,
                    reviews.state(),
                    MESSAGES,
                    p -> reviews.extend(HallpassServer.Extensions.none()))) {
                server.start(); // its first resync queues every open pull request at once
                assertTrue(server.bot().queue().awaitIdle(60_000), "the eight evaluations finish");
            }
            long merged = java.util.stream.IntStream.rangeClosed(1, 8)
                    .filter(n -> own.repo().pullRequest(n).merged())
                    .count();
            assertEquals(3, merged, "emergency.max_live_grants is 3");
        }
    }

    @Test
    void installationEvent_withoutRepository_isAccepted() throws Exception {
        String shared = System.getProperty("hallpass.shared");
        Path payload = shared == null
                ? null
                : Path.of(shared, "github-reference", "webhook-payloads", "installation", "created.json");
        Assumptions.assumeTrue(payload != null && Files.isRegularFile(payload), "../shared/github-reference absent");
        byte[] body = Files.readAllBytes(payload);
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(stack.server().webhookUrl()))
                                .header("X-GitHub-Event", "installation")
                                .header("X-GitHub-Delivery", "installation-created-1")
                                .header(WebhookSignature.HEADER, WebhookSignature.compute(stack.webhookSecret(), body))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(2, r.statusCode() / 100, r.statusCode() + " " + r.body());
    }
}
