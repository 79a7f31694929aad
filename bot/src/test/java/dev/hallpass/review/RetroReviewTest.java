package dev.hallpass.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.audit.Attestation;
import dev.hallpass.audit.AttestationYaml;
import dev.hallpass.audit.AuditLog;
import dev.hallpass.audit.AuditRow;
import dev.hallpass.audit.Trailers;
import dev.hallpass.bot.AuditedMergeMessages;
import dev.hallpass.bot.HallpassServer;
import dev.hallpass.demo.LocalStack;
import dev.hallpass.github.standin.StandInRepository;
import dev.hallpass.policy.EmbeddedPolicySource;
import dev.hallpass.policy.PolicyInput;
import dev.hallpass.request.Login;
import dev.hallpass.request.RequestId;
import dev.hallpass.testing.MutableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retroactive reviews end to end: the GitHub stand-in sends signed webhooks to {@code hallpass serve} with
 * {@link RetroReview} registered as a comment handler and as the policy's state, exactly as the server wires
 * it. Each test has its own stack and clock, since emergencies count against the live-grant cap.
 */
class RetroReviewTest {
    /** Tuesday 3 November 2026, 10:00 UTC: alice is on sre-primary. */
    static final Instant START = Instant.parse("2026-11-03T10:00:00Z");

    static final Duration DEADLINE = Duration.ofHours(72);

    MutableClock clock;
    LocalStack stack;
    StandInRepository repo;
    RetroReview review;

    @BeforeEach
    void start() {
        clock = new MutableClock(START);
        AtomicReference<RetroReview> ref = new AtomicReference<>();
        LocalStack.Options options = new LocalStack.Options(
                EmbeddedPolicySource.withBundledPolicies(),
                r -> ref.get().state(r),
                new AuditedMergeMessages(clock, id -> Optional.empty()),
                (g, p) -> new HallpassServer.Extensions(
                        List.of(e -> ref.get().handleComment(e)), (r, n) -> {}, List.of()),
                Duration.ofHours(1),
                files -> files);
        stack = new LocalStack(clock, options);
        repo = stack.repo();
        review = new RetroReview(stack.gateway(), LocalStack.REPO, "main", Set.of(LocalStack.BOT_LOGIN), clock);
        ref.set(review);
    }

    @AfterEach
    void stop() {
        stack.close();
    }

    static String request(String requester, String duration) {
        return "apiVersion: hallpass/v1\nkind: AccessRequest\nrequester: " + requester
                + "\nrole: db-admin\nenvironment: prod-eu\nduration: " + duration
                + "\nreason: \"INC-4211: blocking queries\"\nemergency: true\nincident: INC-4211\n";
    }

    private int emergency(String id) {
        int n = stack.openRequest("alice", id, request("alice", "2h"));
        stack.awaitIdle();
        assertTrue(repo.pullRequest(n).merged(), "the emergency is merged at once");
        assertTrue(repo.pullRequest(n).labels().contains("hallpass:retro-review-required"));
        return n;
    }

    private Optional<Attestation> reviewFile(String id) {
        String path = Attestation.path(new RequestId(id));
        return repo.fileAt("main", path).flatMap(s -> {
            List<String> problems = new ArrayList<>();
            Optional<Attestation> a = new AttestationYaml().read(path, s.getBytes(StandardCharsets.UTF_8), problems);
            assertEquals(List.of(), problems);
            return a;
        });
    }

    private AuditRow auditRow(String id) throws IOException {
        return AuditLog.read(repo.git(), "main", new AuditLog.Options(DEADLINE, clock.instant(), null)).rows().stream()
                .filter(r -> r.request().value().equals(id))
                .reduce((a, b) -> b)
                .orElseThrow();
    }

    private String mainMessage() throws IOException {
        Repository git = repo.git();
        try (RevWalk rw = new RevWalk(git)) {
            RevCommit c = rw.parseCommit(git.resolve("refs/heads/main"));
            return c.getFullMessage();
        }
    }

    private List<String> botComments(int n) {
        return repo.comments(n).stream()
                .filter(c -> c.author().equals(LocalStack.BOT_LOGIN))
                .map(StandInRepository.CommentView::body)
                .toList();
    }

    private String lastBotComment(int n) {
        List<String> all = botComments(n);
        return all.get(all.size() - 1);
    }

    @Test
    void approve_whenEligibleApproverComments_recordsFileTrailersLabelsAndAudit() throws IOException {
        int n = emergency("inc-4211-alice");
        clock.advance(Duration.ofHours(3));
        long comment = repo.comment(n, "erin", "/hallpass approve looks fine");
        stack.awaitIdle();

        Attestation a = reviewFile("inc-4211-alice").orElseThrow();
        assertEquals(
                new Attestation(
                        new RequestId("inc-4211-alice"),
                        n,
                        Attestation.Outcome.APPROVE,
                        new Login("erin"),
                        "looks fine",
                        START.plus(Duration.ofHours(3)),
                        false,
                        java.util.OptionalLong.of(comment)),
                a);
        Trailers.Parsed p = Trailers.parse(mainMessage());
        assertEquals(List.of(), p.problems());
        Trailers t = p.trailers();
        assertEquals(Optional.of(dev.hallpass.audit.AuditAction.ATTEST), t.action());
        assertEquals(Optional.of(new Login("erin")), t.reviewer());
        assertEquals(Optional.of(new Login("alice")), t.requester());
        assertEquals(java.util.OptionalInt.of(n), t.pullRequest());

        Set<String> labels = repo.pullRequest(n).labels();
        assertTrue(labels.contains("hallpass:reviewed"), labels.toString());
        assertFalse(labels.contains("hallpass:retro-review-required"), labels.toString());
        assertTrue(lastBotComment(n).contains("Recorded the retroactive approval"), lastBotComment(n));

        AuditRow row = auditRow("inc-4211-alice");
        assertTrue(row.review().isPresent());
        assertEquals(new Login("erin"), row.review().get().reviewer());
        assertTrue(row.review().get().counts());
        assertFalse(row.reviewOverdue());
        assertEquals(List.of(), row.findings());
    }

    @Test
    void approve_whenRequesterOrOutsiderComments_isRefusedWithReasonAndNothingRecorded() {
        int n = emergency("inc-4211-self");
        repo.comment(n, "alice", "/hallpass approve all good");
        stack.awaitIdle();
        assertTrue(lastBotComment(n).contains("nobody reviews their own emergency access"), lastBotComment(n));

        repo.comment(n, "bob", "/hallpass approve trust me");
        stack.awaitIdle();
        assertTrue(lastBotComment(n).contains("only the approvers of db-admin in prod-eu"), lastBotComment(n));
        assertTrue(lastBotComment(n).contains("erin"), lastBotComment(n));

        assertTrue(reviewFile("inc-4211-self").isEmpty(), "nothing recorded");
        assertTrue(repo.pullRequest(n).labels().contains("hallpass:retro-review-required"));
    }

    @Test
    void approve_whenMergedPullRequestGetsApprovingReview_isRecorded() throws IOException {
        int n = emergency("inc-4211-review");
        repo.submitReview(n, "carol", StandInRepository.ReviewEvent.APPROVE, "checked the session log");
        stack.awaitIdle();

        Attestation a = reviewFile("inc-4211-review").orElseThrow();
        assertEquals(Attestation.Outcome.APPROVE, a.outcome());
        assertEquals(new Login("carol"), a.reviewer());
        assertTrue(repo.pullRequest(n).labels().contains("hallpass:reviewed"));
        assertEquals(List.of(), auditRow("inc-4211-review").findings());
    }

    @Test
    void approve_whenSecondApproverComments_keepsTheFirstAttestation() {
        int n = emergency("inc-4211-twice");
        repo.comment(n, "erin", "/hallpass approve fine");
        stack.awaitIdle();
        String sha = repo.branchSha("main").orElseThrow();
        repo.comment(n, "carol", "/hallpass approve also fine");
        stack.awaitIdle();

        assertEquals(sha, repo.branchSha("main").orElseThrow(), "no second commit");
        assertEquals(
                new Login("erin"), reviewFile("inc-4211-twice").orElseThrow().reviewer());
        assertTrue(lastBotComment(n).contains("already approved retroactively by @erin"), lastBotComment(n));
    }

    @Test
    void reject_whenNoteGiven_recordsRejectionAndFinding() throws IOException {
        int n = emergency("inc-4211-reject");
        repo.comment(n, "erin", "/hallpass reject");
        stack.awaitIdle();
        assertTrue(lastBotComment(n).contains("A rejection needs a note"), lastBotComment(n));
        assertTrue(reviewFile("inc-4211-reject").isEmpty());

        repo.comment(n, "erin", "/hallpass reject dropped a table without a ticket");
        stack.awaitIdle();
        Attestation a = reviewFile("inc-4211-reject").orElseThrow();
        assertEquals(Attestation.Outcome.REJECT, a.outcome());
        assertEquals("dropped a table without a ticket", a.note());
        assertEquals(
                Optional.of(dev.hallpass.audit.AuditAction.REJECT),
                Trailers.parse(mainMessage()).trailers().action());
        Set<String> labels = repo.pullRequest(n).labels();
        assertTrue(labels.contains("hallpass:review-rejected"), labels.toString());
        assertFalse(labels.contains("hallpass:retro-review-required"), labels.toString());
        assertEquals(
                List.of("review_rejected"),
                auditRow("inc-4211-reject").findings().stream()
                        .map(f -> f.code())
                        .toList());
    }

    @Test
    void editedAttestationComment_isRecordedAsTamperedAndReported() throws IOException {
        int n = emergency("inc-4211-edit");
        long comment = repo.comment(n, "erin", "/hallpass approve looks fine");
        stack.awaitIdle();
        repo.editComment(comment, "erin", "/hallpass approve (never mind)");
        stack.awaitIdle();

        Attestation a = reviewFile("inc-4211-edit").orElseThrow();
        assertTrue(a.tampered());
        assertEquals(new Login("erin"), a.reviewer());
        assertEquals("looks fine", a.note(), "the note recorded is the one given");
        assertTrue(lastBotComment(n).contains("Tampering: @erin edited"), lastBotComment(n));
        Set<String> labels = repo.pullRequest(n).labels();
        assertTrue(labels.contains("hallpass:retro-review-required"), labels.toString());
        assertFalse(labels.contains("hallpass:reviewed"), labels.toString());
        AuditRow row = auditRow("inc-4211-edit");
        assertTrue(row.review().get().tampered());
        assertTrue(row.findings().stream().anyMatch(f -> f.code().equals("review_tampered")));
    }

    @Test
    void replayedAttestationComment_underANewDeliveryId_leavesTheTamperRecord() throws Exception {
        int n = emergency("inc-4211-replay");
        long comment = repo.comment(n, "erin", "/hallpass approve looks fine");
        stack.awaitIdle();
        repo.editComment(comment, "erin", "/hallpass approve (never mind)");
        stack.awaitIdle();
        assertTrue(reviewFile("inc-4211-replay").orElseThrow().tampered());
        String main = repo.branchSha("main").orElseThrow();
        // The attacker kept the signed delivery of the original comment and sends it again as a new delivery.
        dev.hallpass.github.standin.WebhookDelivery d = stack.hub().deliveries().stream()
                .filter(x -> x.event().equals("issue_comment") && x.bodyText().contains("looks fine"))
                .findFirst()
                .orElseThrow();
        java.net.http.HttpRequest.Builder replay = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(stack.server().webhookUrl()))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(d.body()));
        d.headers().forEach((k, v) -> {
            if (!k.equalsIgnoreCase("X-GitHub-Delivery") && !k.equalsIgnoreCase("Content-Length")) {
                replay.header(k, v);
            }
        });
        replay.header("X-GitHub-Delivery", java.util.UUID.randomUUID().toString());
        int status = java.net.http.HttpClient.newHttpClient()
                .send(replay.build(), java.net.http.HttpResponse.BodyHandlers.discarding())
                .statusCode();
        assertEquals(202, status, "a validly signed delivery");
        stack.awaitIdle();

        assertTrue(reviewFile("inc-4211-replay").orElseThrow().tampered(), "the tamper record stands");
        assertEquals(main, repo.branchSha("main").orElseThrow(), "nothing was committed");
        assertFalse(repo.pullRequest(n).labels().contains("hallpass:reviewed"));
    }

    @Test
    void approve_whenRecordedFromAComment_namesTheComment() {
        int n = emergency("inc-4211-named");
        long comment = repo.comment(n, "erin", "/hallpass approve ok");
        stack.awaitIdle();
        assertEquals(
                java.util.OptionalLong.of(comment),
                reviewFile("inc-4211-named").orElseThrow().comment());
    }

    @Test
    void deletedAttestationComment_isRecordedAsTampered() {
        int n = emergency("inc-4211-delete");
        long comment = repo.comment(n, "erin", "/hallpass approve ok");
        stack.awaitIdle();
        repo.deleteComment(comment, "erin");
        stack.awaitIdle();
        assertTrue(reviewFile("inc-4211-delete").orElseThrow().tampered());
        assertTrue(lastBotComment(n).contains("Tampering: @erin deleted"), lastBotComment(n));
    }

    @Test
    void checkOverdue_whenDeadlinePassedWithoutReview_labelsMentionsOnceAndBlocksNextEmergency() {
        int n = emergency("inc-4211-late");
        assertEquals(new PolicyInput.State(1, List.of()), review.state(LocalStack.REPO), "one live emergency");

        clock.advance(DEADLINE.minusMinutes(1));
        assertEquals(List.of(), review.checkOverdue(clock.instant()), "not yet due");
        clock.advance(Duration.ofMinutes(2));
        List<PolicyInput.OverdueReview> overdue = review.checkOverdue(clock.instant());
        review.checkOverdue(clock.instant());
        stack.awaitIdle();

        PolicyInput.OverdueReview expected = new PolicyInput.OverdueReview(
                "inc-4211-late",
                new Login("alice"),
                START.plus(DEADLINE).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        assertEquals(1, overdue.size());
        assertEquals(expected.requestId(), overdue.get(0).requestId());
        assertEquals(expected.requester(), overdue.get(0).requester());
        assertTrue(repo.pullRequest(n).labels().contains("hallpass:review-overdue"));
        List<String> escalations =
                botComments(n).stream().filter(b -> b.contains("was due at")).toList();
        assertEquals(1, escalations.size(), "one escalation comment, whatever the number of checks");
        assertTrue(escalations.get(0).contains("@carol, @erin, @frank, @grace, @ivan"), escalations.get(0));
        assertEquals(new PolicyInput.State(0, overdue), review.state(LocalStack.REPO));

        // The requester's next emergency is not merged at once: the policy sees the overdue review.
        int next = stack.openRequest("alice", "inc-4212-alice", request("alice", "1h"));
        stack.awaitIdle();
        assertFalse(repo.pullRequest(next).merged());
        String sha = repo.pullRequest(next).headSha();
        assertTrue(
                repo.checkRuns(sha).get(0).summary().contains("emergency.overdue_review"),
                repo.checkRuns(sha).get(0).summary());

        // A late review clears it: the review counts, and the label goes.
        repo.comment(n, "carol", "/hallpass approve late but fine");
        stack.awaitIdle();
        assertEquals(List.of(), review.state(LocalStack.REPO).overdueReviews());
        assertFalse(repo.pullRequest(n).labels().contains("hallpass:review-overdue"));
    }

    @Test
    void approve_whenSameCommentHandledTwice_recordsOnce() {
        int n = emergency("inc-4211-again");
        repo.comment(n, "erin", "/hallpass approve fine");
        stack.awaitIdle();
        String sha = repo.branchSha("main").orElseThrow();
        int comments = repo.comments(n).size();
        dev.hallpass.github.standin.WebhookDelivery d = stack.hub().deliveries().stream()
                .filter(x -> x.event().equals("issue_comment") && x.bodyText().contains("/hallpass approve fine"))
                .findFirst()
                .orElseThrow();

        RetroReview.Result again = review.onWebhook(dev.hallpass.github.WebhookEvent.parse(d.event(), d.body()))
                .orElseThrow();

        assertFalse(again.recorded());
        assertEquals(sha, repo.branchSha("main").orElseThrow(), "no second commit");
        assertEquals(comments, repo.comments(n).size(), "no second reply");
    }

    @Test
    void approve_whenGivenOnEmergencyExtension_namesTheGrantingPullRequestAndClearsBoth() throws IOException {
        int n = emergency("inc-4211-ext");
        repo.pushBranch(
                "extend/inc-4211-ext",
                "main",
                java.util.Map.of("requests/inc-4211-ext.yaml", request("alice", "3h")),
                "alice",
                "Extend");
        int ext = repo.openPullRequest("alice", "extend/inc-4211-ext", "main", "Extend inc-4211-ext", "");
        stack.awaitIdle();
        assertTrue(repo.pullRequest(ext).merged(), "the emergency extension is merged at once");

        repo.comment(ext, "erin", "/hallpass approve both fine");
        stack.awaitIdle();

        assertEquals(n, reviewFile("inc-4211-ext").orElseThrow().pullRequest());
        for (int pr : List.of(n, ext)) {
            Set<String> labels = repo.pullRequest(pr).labels();
            assertTrue(labels.contains("hallpass:reviewed"), pr + ": " + labels);
            assertFalse(labels.contains("hallpass:retro-review-required"), pr + ": " + labels);
        }
        assertEquals(List.of(), auditRow("inc-4211-ext").findings());
    }

    @Test
    void state_whenHeadUnchanged_costsOneCallPerCheck() {
        emergency("inc-4211-cost");
        review.state(LocalStack.REPO);
        long before = stack.gateway().apiCalls();
        long free = stack.gateway().notModifiedCalls();

        review.state(LocalStack.REPO);
        review.checkOverdue(clock.instant());

        assertEquals(0, stack.gateway().apiCalls() - before, "the branch reads are conditional: 304s, not counted");
        assertEquals(2, stack.gateway().notModifiedCalls() - free, "one branch read each, nothing else");
    }

    @Test
    void approve_whenMergedPullRequestApprovedByNonApprover_isRefused() {
        int n = emergency("inc-4211-outsider");
        repo.submitReview(n, "mallory", StandInRepository.ReviewEvent.APPROVE, "lgtm");
        stack.awaitIdle();
        assertTrue(reviewFile("inc-4211-outsider").isEmpty());
        assertTrue(lastBotComment(n).contains("@mallory: only the approvers"), lastBotComment(n));
    }

    @Test
    void state_whenGitHubFails_throwsRatherThanReportingNothing() {
        dev.hallpass.github.GitHubGateway down =
                (dev.hallpass.github.GitHubGateway) java.lang.reflect.Proxy.newProxyInstance(
                        getClass().getClassLoader(),
                        new Class<?>[] {dev.hallpass.github.GitHubGateway.class},
                        (p, m, a) -> {
                            throw new dev.hallpass.github.GitHubException(503, "unavailable", null);
                        });
        RetroReview r = new RetroReview(down, LocalStack.REPO, "main", Set.of(LocalStack.BOT_LOGIN), clock);
        org.junit.jupiter.api.Assertions.assertThrows(
                dev.hallpass.github.GitHubException.class, () -> r.state(LocalStack.REPO));
        assertEquals(PolicyInput.State.empty(), r.state(new dev.hallpass.github.RepoName("acme", "other")));
    }

    @Test
    void editedOldAttestationComment_whenReviewerAttestedAnew_leavesTheNewReview() {
        int n = emergency("inc-4211-anew");
        long first = repo.comment(n, "erin", "/hallpass approve fine");
        stack.awaitIdle();
        repo.editComment(first, "erin", "/hallpass approve fine!");
        stack.awaitIdle();
        clock.advance(Duration.ofMinutes(5));
        repo.comment(n, "erin", "/hallpass approve fine, really");
        stack.awaitIdle();
        assertFalse(reviewFile("inc-4211-anew").orElseThrow().tampered(), "the new review counts");

        repo.editComment(first, "erin", "/hallpass approve fine!!");
        stack.awaitIdle();

        Attestation a = reviewFile("inc-4211-anew").orElseThrow();
        assertFalse(a.tampered(), "editing the old comment does not void the new review");
        assertEquals("fine, really", a.note());
        assertTrue(lastBotComment(n).contains("edited the retroactive review comment of @erin"), lastBotComment(n));
    }

    @Test
    void reject_whenAlreadyApprovedBySomeoneElse_recordsTheRejection() throws IOException {
        int n = emergency("inc-4211-split");
        repo.comment(n, "erin", "/hallpass approve fine");
        stack.awaitIdle();
        repo.comment(n, "carol", "/hallpass reject the session log shows a schema change");
        stack.awaitIdle();

        Attestation a = reviewFile("inc-4211-split").orElseThrow();
        assertEquals(Attestation.Outcome.REJECT, a.outcome());
        assertEquals(new Login("carol"), a.reviewer());
        Set<String> labels = repo.pullRequest(n).labels();
        assertTrue(labels.contains("hallpass:review-rejected"), labels.toString());
        assertFalse(labels.contains("hallpass:reviewed"), labels.toString());
        assertTrue(auditRow("inc-4211-split").findings().stream()
                .anyMatch(f -> f.code().equals("review_rejected")));

        repo.comment(n, "erin", "/hallpass approve still fine");
        stack.awaitIdle();
        assertEquals(
                new Login("carol"), reviewFile("inc-4211-split").orElseThrow().reviewer(), "a rejection stands");
        assertTrue(lastBotComment(n).contains("already rejected retroactively by @carol"), lastBotComment(n));
    }
}
