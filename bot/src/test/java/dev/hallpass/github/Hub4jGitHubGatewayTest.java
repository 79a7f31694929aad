package dev.hallpass.github;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.github.standin.StandInRepository.CheckRunView;
import dev.hallpass.github.standin.StandInRepository.CommentView;
import dev.hallpass.github.standin.StandInRepository.PullView;
import dev.hallpass.github.standin.StandInRepository.ReviewEvent;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class Hub4jGitHubGatewayTest {
    private StandInWorld world;
    private Hub4jGitHubGateway gh;

    @BeforeEach
    void setUp() {
        world = new StandInWorld();
        gh = world.appGateway();
    }

    @AfterEach
    void tearDown() {
        world.close();
    }

    @Test
    void pullRequest_whenOpened_mapsAllFields() {
        int n = world.requestPr("r1");
        world.repo.comment(n, "bob", "looks fine"); // bumps nothing the mapping depends on
        PullRequest pr = gh.pullRequest(StandInWorld.REPO, n);
        PullView view = world.repo.pullRequest(n);

        assertEquals(n, pr.number());
        assertEquals("Access request r1", pr.title());
        assertEquals("Please", pr.body());
        assertEquals("alice", pr.author());
        assertEquals(PullRequest.State.OPEN, pr.state());
        assertFalse(pr.draft());
        assertFalse(pr.merged());
        assertEquals("main", pr.base().ref());
        assertEquals(world.repo.branchSha("main").orElseThrow(), pr.base().sha());
        assertEquals("request/r1", pr.head().ref());
        assertEquals(view.headSha(), pr.head().sha());
        assertEquals(PullRequest.Mergeable.MERGEABLE, pr.mergeable());
        assertTrue(pr.mergeCommitSha().isPresent(), "test merge commit sha, as GitHub reports for mergeable PRs");
        assertEquals(world.clock.instant(), pr.createdAt());
        assertTrue(pr.mergedAt().isEmpty());
        assertTrue(pr.closedAt().isEmpty());
    }

    @Test
    void pullRequest_whenUnknown_throwsNotFound() {
        GitHubException e = assertThrows(GitHubException.class, () -> gh.pullRequest(StandInWorld.REPO, 99));
        assertEquals(404, e.status());
    }

    @Test
    void files_whenAddedModifiedRemovedRenamed_reportsStatusesAndPreviousPath() {
        world.repo.pushBranch(
                "main",
                null,
                Map.of("requests/old.yaml", "id: old\nrole: a\nextra: keep-this-line-for-rename-similarity\n"),
                "alice",
                "seed");
        Map<String, String> changes = new HashMap<>();
        changes.put("requests/new.yaml", "id: new\n");
        changes.put("README.md", "# access v2\n");
        changes.put("requests/README.md", null);
        changes.put("requests/old.yaml", null);
        changes.put("requests/moved.yaml", "id: old\nrole: a\nextra: keep-this-line-for-rename-similarity\n");
        world.repo.pushBranch("mixed", "main", changes, "alice", "mixed change");
        int n = world.repo.openPullRequest("alice", "mixed", "main", "Mixed", "");

        Map<String, ChangedFile> byPath = new HashMap<>();
        gh.files(StandInWorld.REPO, n).forEach(f -> byPath.put(f.path(), f));

        assertEquals(ChangedFile.Status.ADDED, byPath.get("requests/new.yaml").status());
        assertEquals(ChangedFile.Status.MODIFIED, byPath.get("README.md").status());
        assertEquals(
                ChangedFile.Status.REMOVED, byPath.get("requests/README.md").status());
        assertEquals(
                ChangedFile.Status.RENAMED, byPath.get("requests/moved.yaml").status());
        assertEquals(
                Optional.of("requests/old.yaml"),
                byPath.get("requests/moved.yaml").previousPath());
        assertEquals(4, byPath.size());
    }

    @Test
    void files_whenMoreThanOnePage_followsLinkHeaders() {
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 130; i++) {
            many.put("requests/bulk-" + i + ".yaml", "id: " + i + "\n");
        }
        world.repo.pushBranch("bulk", "main", many, "alice", "bulk");
        int n = world.repo.openPullRequest("alice", "bulk", "main", "Bulk", "");
        world.hub.clearRequestLog();

        List<ChangedFile> files = gh.files(StandInWorld.REPO, n);

        assertEquals(130, files.size());
        long pages = world.hub.requestLog().stream()
                .filter(r -> r.path().endsWith("/pulls/" + n + "/files"))
                .count();
        assertEquals(2, pages, "100 per page, so two pages");
    }

    @Test
    void reviews_whenApprovedAndDismissed_reportsStateAndCommit() {
        int n = world.requestPr("r2");
        String head = world.repo.pullRequest(n).headSha();
        long approval = world.repo.submitReview(n, "bob", ReviewEvent.APPROVE, null);
        world.repo.submitReview(n, "carol", ReviewEvent.REQUEST_CHANGES, "why so broad?");
        world.repo.dismissReview(n, approval, "carol", "stale");
        world.repo.pushBranch("request/r2", null, Map.of("requests/r2.yaml", "id: r2\nrole: ro\n"), "alice", "narrow");
        world.repo.submitReview(n, "bob", ReviewEvent.COMMENT, "ok now");

        List<Review> reviews = gh.reviews(StandInWorld.REPO, n);

        assertEquals(3, reviews.size());
        assertEquals(Review.State.DISMISSED, reviews.get(0).state());
        assertEquals("bob", reviews.get(0).reviewer());
        assertEquals(Optional.of(head), reviews.get(0).commitId());
        assertEquals(Review.State.CHANGES_REQUESTED, reviews.get(1).state());
        assertEquals(Review.State.COMMENTED, reviews.get(2).state());
        assertEquals(
                Optional.of(world.repo.pullRequest(n).headSha()), reviews.get(2).commitId());
        assertTrue(reviews.get(2).submittedAt().isPresent());
    }

    @Test
    void submitReview_whenAuthorApprovesOwnPr_isRefused() {
        int n = world.requestPr("self");
        assertThrows(IllegalStateException.class, () -> world.repo.submitReview(n, "alice", ReviewEvent.APPROVE, null));
    }

    @Test
    void fileAt_whenPresentAtHeadButNotBase_returnsBytesOrEmpty() {
        int n = world.requestPr("r3");
        PullRequest pr = gh.pullRequest(StandInWorld.REPO, n);

        Optional<byte[]> atHead =
                gh.fileAt(StandInWorld.REPO, "requests/r3.yaml", pr.head().sha());
        Optional<byte[]> atBase =
                gh.fileAt(StandInWorld.REPO, "requests/r3.yaml", pr.base().sha());
        Optional<byte[]> byBranch = gh.fileAt(StandInWorld.REPO, "README.md", "main");

        assertArrayEquals("id: r3\nrole: db-admin\n".getBytes(StandardCharsets.UTF_8), atHead.orElseThrow());
        assertTrue(atBase.isEmpty());
        assertEquals("# access\n", new String(byBranch.orElseThrow(), StandardCharsets.UTF_8));
        assertTrue(gh.fileAt(StandInWorld.REPO, "requests", "main").isEmpty(), "a directory is not a file");
    }

    @Test
    void publishCheck_whenCalledTwice_updatesTheSameRun() {
        int n = world.requestPr("r4");
        String sha = world.repo.pullRequest(n).headSha();

        gh.publishCheck(
                StandInWorld.REPO,
                sha,
                new CheckReport(CheckReport.Conclusion.ACTION_REQUIRED, "Needs approval", "one more", "details"));
        gh.publishCheck(
                StandInWorld.REPO, sha, new CheckReport(CheckReport.Conclusion.SUCCESS, "Allowed", "all good", ""));

        List<CheckRunView> runs = world.repo.checkRuns(sha);
        assertEquals(1, runs.size());
        assertEquals("hallpass", runs.get(0).name());
        assertEquals("completed", runs.get(0).status());
        assertEquals("success", runs.get(0).conclusion());
        assertEquals("Allowed", runs.get(0).title());
        assertEquals("all good", runs.get(0).summary());
    }

    @Test
    void upsertStickyComment_whenCalledTwice_editsInsteadOfDuplicating() {
        int n = world.requestPr("r5");
        world.repo.comment(n, "bob", "first!");

        gh.upsertStickyComment(StandInWorld.REPO, n, "Status: pending");
        gh.upsertStickyComment(StandInWorld.REPO, n, "Status: allowed");
        world.hub.clearRequestLog();
        gh.upsertStickyComment(StandInWorld.REPO, n, "Status: allowed");

        List<CommentView> comments = world.repo.comments(n);
        assertEquals(2, comments.size());
        assertEquals("first!", comments.get(0).body());
        assertEquals(
                GitHubGateway.STICKY_MARKER + "\nStatus: allowed",
                comments.get(1).body());
        assertEquals("hallpass[bot]", comments.get(1).author());
        assertEquals(0, world.hub.requestCount(), "unchanged body: the gateway remembers what it wrote, no call");
    }

    @Test
    void upsertStickyComment_whenRemembered_editsByIdWithoutListing() {
        int n = world.requestPr("r5b");
        gh.upsertStickyComment(StandInWorld.REPO, n, "Status: pending");
        world.hub.clearRequestLog();

        gh.upsertStickyComment(StandInWorld.REPO, n, "Status: allowed");

        assertEquals(
                List.of("PATCH"),
                world.hub.requestLog().stream().map(r -> r.method()).toList());
        assertEquals(
                GitHubGateway.STICKY_MARKER + "\nStatus: allowed",
                world.repo.comments(n).get(0).body());
    }

    @Test
    void upsertStickyComment_whenAnotherGatewayPostedIt_findsAndEditsIt() {
        int n = world.requestPr("r5c");
        world.appGateway().upsertStickyComment(StandInWorld.REPO, n, "Status: pending");

        gh.upsertStickyComment(StandInWorld.REPO, n, "Status: allowed");

        assertEquals(1, world.repo.comments(n).size(), "a restarted bot edits its comment, never repeats it");
    }

    @Test
    void publishCheck_whenAnotherGatewayCreatedTheRun_updatesIt() {
        int n = world.requestPr("r4b");
        String sha = world.repo.pullRequest(n).headSha();
        world.appGateway()
                .publishCheck(StandInWorld.REPO, sha, new CheckReport(CheckReport.Conclusion.NEUTRAL, "t", "s", ""));

        gh.publishCheck(StandInWorld.REPO, sha, new CheckReport(CheckReport.Conclusion.SUCCESS, "t", "s", ""));

        assertEquals(1, world.repo.checkRuns(sha).size(), "a head not seen arriving is listed first");
        assertEquals("success", world.repo.checkRuns(sha).get(0).conclusion());
    }

    @Test
    void upsertStickyComment_whenSomeoneElsePastesTheMarker_leavesTheirCommentAlone() {
        int n = world.requestPr("spoof");
        world.repo.comment(n, "alice", GitHubGateway.STICKY_MARKER + "\nStatus: allowed (trust me)");

        gh.upsertStickyComment(StandInWorld.REPO, n, "Status: denied");

        List<CommentView> comments = world.repo.comments(n);
        assertEquals(2, comments.size());
        assertEquals(
                GitHubGateway.STICKY_MARKER + "\nStatus: allowed (trust me)",
                comments.get(0).body());
        assertEquals("hallpass[bot]", comments.get(1).author());
        assertEquals(
                GitHubGateway.STICKY_MARKER + "\nStatus: denied",
                comments.get(1).body());
    }

    @Test
    void upsertStickyComment_whenTokenAuth_findsItsOwnCommentViaUser() {
        Hub4jGitHubGateway asBob = world.tokenGateway("bob");
        int n = world.requestPr("tok2");
        asBob.upsertStickyComment(StandInWorld.REPO, n, "one");
        asBob.upsertStickyComment(StandInWorld.REPO, n, "two");
        assertEquals(1, world.repo.comments(n).size());
        assertEquals("bob", world.repo.comments(n).get(0).author());
        assertEquals(
                1,
                world.hub.requestLog().stream()
                        .filter(r -> r.path().equals("/user"))
                        .count());
    }

    @Test
    void comments_whenSeveral_listsOldestFirstWithAuthors() {
        int n = world.requestPr("r6");
        world.repo.comment(n, "bob", "one");
        gh.comment(StandInWorld.REPO, n, "two");
        long third = world.repo.comment(n, "carol", "three");
        world.repo.editComment(third, "carol", "three, edited");

        List<IssueComment> comments = gh.comments(StandInWorld.REPO, n);

        assertEquals(
                List.of("one", "two", "three, edited"),
                comments.stream().map(IssueComment::body).toList());
        assertEquals(
                List.of("bob", "hallpass[bot]", "carol"),
                comments.stream().map(IssueComment::author).toList());
    }

    @Test
    void labels_whenAddedAndRemoved_reflectOnPullRequest() {
        int n = world.requestPr("r7");

        gh.addLabels(StandInWorld.REPO, n, Set.of("emergency", "hallpass:allowed"));
        gh.removeLabel(StandInWorld.REPO, n, "emergency");
        gh.removeLabel(StandInWorld.REPO, n, "never-there");

        assertEquals(Set.of("hallpass:allowed"), world.repo.pullRequest(n).labels());
        assertEquals(
                Set.of("hallpass:allowed"), gh.pullRequest(StandInWorld.REPO, n).labels());
    }

    @Test
    void merge_whenHeadMatches_createsTwoParentMergeCommitWithTitleAndMessage() throws Exception {
        int n = world.requestPr("r8");
        PullRequest pr = gh.pullRequest(StandInWorld.REPO, n);
        String baseBefore = pr.base().sha();

        MergeResult result =
                gh.merge(StandInWorld.REPO, n, pr.head().sha(), "Emergency access r8", "Hallpass-Request: r8");

        assertTrue(result.isMerged());
        String sha = result.mergedSha().orElseThrow();
        assertEquals(Optional.of(sha), world.repo.branchSha("main"));
        try (RevWalk rw = new RevWalk(world.repo.git())) {
            RevCommit c = rw.parseCommit(ObjectId.fromString(sha));
            assertEquals(2, c.getParentCount());
            assertEquals(baseBefore, c.getParent(0).name());
            assertEquals(pr.head().sha(), c.getParent(1).name());
            assertEquals("Emergency access r8\n\nHallpass-Request: r8\n", c.getFullMessage());
        }
        world.hub.clearRequestLog();
        PullRequest after = gh.pullRequest(StandInWorld.REPO, n);
        assertEquals(1, world.hub.requestCount(), "no re-read for the null mergeable of a closed PR");
        assertEquals(PullRequest.Mergeable.UNKNOWN, after.mergeable());
        assertTrue(after.merged());
        assertEquals(PullRequest.State.CLOSED, after.state());
        assertEquals(Optional.of(sha), after.mergeCommitSha());
        assertTrue(after.mergedAt().isPresent());
    }

    @Test
    void merge_whenOnlySquashAllowed_squashesWithTitleAndTrailers() throws Exception {
        world.repo.setMergeMethods(false, true, true);
        int n = world.requestPr("sq");
        PullRequest pr = gh.pullRequest(StandInWorld.REPO, n);

        MergeResult result =
                gh.merge(StandInWorld.REPO, n, pr.head().sha(), "Emergency access sq", "Hallpass-Request: sq");

        assertTrue(result.isMerged(), result.toString());
        try (RevWalk rw = new RevWalk(world.repo.git())) {
            RevCommit c = rw.parseCommit(ObjectId.fromString(result.mergedSha().orElseThrow()));
            assertEquals(1, c.getParentCount(), "a squash");
            assertEquals(pr.base().sha(), c.getParent(0).name());
            assertEquals("Emergency access sq\n\nHallpass-Request: sq\n", c.getFullMessage());
        }
        assertEquals(Optional.of("id: sq\nrole: db-admin\n"), world.repo.fileAt("main", "requests/sq.yaml"));
    }

    @Test
    void merge_whenOnlyRebaseAllowed_isRefusedAndNothingMerges() {
        world.repo.setMergeMethods(false, false, true);
        int n = world.requestPr("rb");
        String main = world.repo.branchSha("main").orElseThrow();
        String head = gh.pullRequest(StandInWorld.REPO, n).head().sha();

        MergeResult result = gh.merge(StandInWorld.REPO, n, head, "t", "Hallpass-Request: rb");

        assertEquals(MergeResult.Outcome.NOT_MERGEABLE, result.outcome());
        assertTrue(result.message().contains("audit trailers"), result.message());
        assertEquals(Optional.of(main), world.repo.branchSha("main"));
        assertTrue(world.repo.pullRequest(n).open());
    }

    @Test
    void standIn_whenMergeMethodIsDisallowed_answers405AndRebaseReplaysCommits() throws Exception {
        world.repo.setMergeMethods(true, false, true);
        int n = world.requestPr("m405");
        String head = world.repo.pullRequest(n).headSha();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String token = world.hub.issueToken("bob");
        java.util.function.Function<String, java.net.http.HttpResponse<String>> put = method -> {
            try {
                return http.send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                        world.hub.baseUrl() + "/repos/acme/access/pulls/" + n + "/merge"))
                                .header("Authorization", "token " + token)
                                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
                                        "{\"sha\":\"" + head + "\",\"merge_method\":\"" + method + "\"}"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };

        java.net.http.HttpResponse<String> squash = put.apply("squash");
        assertEquals(405, squash.statusCode(), squash.body());
        assertTrue(squash.body().contains("Squash merges are not allowed on this repository."), squash.body());

        java.net.http.HttpResponse<String> rebase = put.apply("rebase");
        assertEquals(200, rebase.statusCode(), rebase.body());
        try (RevWalk rw = new RevWalk(world.repo.git())) {
            RevCommit c = rw.parseCommit(
                    ObjectId.fromString(world.repo.branchSha("main").orElseThrow()));
            assertEquals(1, c.getParentCount(), "rebased, no merge commit");
            assertEquals("Request m405", c.getFullMessage(), "the pushed commit's own message");
        }
    }

    @Test
    void compareFiles_whenBranchIsBehindMain_listsOnlyWhatTheHeadChanges() {
        int n = world.requestPr("cmp");
        PullRequest pr = gh.pullRequest(StandInWorld.REPO, n);
        // main moves on after the branch was cut; the head then changes again.
        world.repo.pushBranch("main", null, Map.of("requests/other.yaml", "id: other\n"), "bob", "Other");
        world.repo.pushBranch("request/cmp", null, Map.of("catalog/groups.yaml", "groups: {}\n"), "alice", "Sneaky");
        String base = world.repo.branchSha("main").orElseThrow();

        List<ChangedFile> atEvaluatedHead =
                gh.compareFiles(StandInWorld.REPO, base, pr.head().sha());
        List<ChangedFile> atNewHead = gh.compareFiles(
                StandInWorld.REPO, base, world.repo.pullRequest(n).headSha());

        assertEquals(
                List.of(new ChangedFile("requests/cmp.yaml", ChangedFile.Status.ADDED, Optional.empty())),
                atEvaluatedHead,
                "pinned to the head that was evaluated; main's own change is not the pull request's");
        assertEquals(
                Set.of("requests/cmp.yaml", "catalog/groups.yaml"),
                Set.copyOf(atNewHead.stream().map(ChangedFile::path).toList()));
    }

    @Test
    void merge_whenRetriedAfterSuccess_reportsTheExistingMerge() {
        int n = world.requestPr("again");
        String head = gh.pullRequest(StandInWorld.REPO, n).head().sha();
        MergeResult first = gh.merge(StandInWorld.REPO, n, head, "t", "m");

        MergeResult second = gh.merge(StandInWorld.REPO, n, head, "t", "m");

        assertEquals(MergeResult.Outcome.MERGED, second.outcome());
        assertEquals(first.mergedSha(), second.mergedSha());
    }

    @Test
    void merge_whenHeadMoved_returnsHeadChanged409() {
        int n = world.requestPr("r9");
        String evaluated = gh.pullRequest(StandInWorld.REPO, n).head().sha();
        world.repo.pushBranch(
                "request/r9", null, Map.of("requests/r9.yaml", "id: r9\nrole: root\n"), "alice", "sneaky");

        MergeResult result = gh.merge(StandInWorld.REPO, n, evaluated, "t", "m");

        assertEquals(MergeResult.Outcome.HEAD_CHANGED, result.outcome());
        assertEquals(409, result.httpStatus());
        assertEquals("Head branch was modified. Review and try the merge again.", result.message());
        assertTrue(world.repo.pullRequest(n).open());
    }

    @Test
    void merge_whenNotMergeable_returnsNotMergeable405() {
        int n = world.requestPr("r10");
        String head = gh.pullRequest(StandInWorld.REPO, n).head().sha();
        world.repo.setMergeable(n, false);

        assertEquals(
                PullRequest.Mergeable.CONFLICTING,
                gh.pullRequest(StandInWorld.REPO, n).mergeable());
        MergeResult result = gh.merge(StandInWorld.REPO, n, head, "t", "m");

        assertEquals(MergeResult.Outcome.NOT_MERGEABLE, result.outcome());
        assertEquals(405, result.httpStatus());
        assertEquals("Pull Request is not mergeable", result.message());
    }

    @Test
    void pullRequest_whenMergeabilityStillComputing_isUnknownAfterOneReRead() {
        int n = world.requestPr("pending");
        world.repo.setMergeabilityPending(n);
        world.hub.clearRequestLog();

        PullRequest pr = gh.pullRequest(StandInWorld.REPO, n);

        assertEquals(PullRequest.Mergeable.UNKNOWN, pr.mergeable());
        assertTrue(pr.mergeCommitSha().isEmpty());
        long reads = world.hub.requestLog().stream()
                .filter(r -> r.path().endsWith("/pulls/" + n))
                .count();
        assertEquals(2, reads, "hub4j asks once more when mergeable is null, as GitHub suggests");
        MergeResult refused = gh.merge(StandInWorld.REPO, n, pr.head().sha(), "t", "m");
        assertEquals(MergeResult.Outcome.NOT_MERGEABLE, refused.outcome());
        world.repo.setMergeable(n, true);
        assertEquals(
                PullRequest.Mergeable.MERGEABLE,
                gh.pullRequest(StandInWorld.REPO, n).mergeable());
    }

    @Test
    void merge_whenRealConflict_isNotMergeable() {
        int n = world.requestPr("c1");
        world.repo.pushBranch("main", null, Map.of("requests/c1.yaml", "id: c1\nrole: other\n"), "bob", "conflicting");
        PullRequest pr = gh.pullRequest(StandInWorld.REPO, n);

        assertEquals(PullRequest.Mergeable.CONFLICTING, pr.mergeable());
        assertEquals(
                MergeResult.Outcome.NOT_MERGEABLE,
                gh.merge(StandInWorld.REPO, n, pr.head().sha(), "t", "m").outcome());
    }

    @Test
    void merge_whenAlreadyClosed_isNotMergeable() {
        int n = world.requestPr("r11");
        String head = world.repo.pullRequest(n).headSha();
        world.repo.closePullRequest(n, "alice");

        assertEquals(
                MergeResult.Outcome.NOT_MERGEABLE,
                gh.merge(StandInWorld.REPO, n, head, "t", "m").outcome());
    }

    @Test
    void openPullRequests_whenMoreThanOnePage_returnsAllOpenOnes() {
        for (int i = 0; i < 105; i++) {
            world.requestPr("p" + i);
        }
        world.repo.closePullRequest(3, "alice");
        world.hub.clearRequestLog();

        List<PullRequest> open = gh.openPullRequests(StandInWorld.REPO);

        assertEquals(104, open.size());
        assertTrue(open.stream().allMatch(PullRequest::isOpen));
        assertTrue(open.stream().noneMatch(p -> p.number() == 3));
        long pages = world.hub.requestLog().stream()
                .filter(r -> r.path().equals("/repos/acme/access/pulls"))
                .count();
        assertEquals(2, pages, "two pages of 100");
    }

    @Test
    void deleteFileOnNewBranch_whenFollowedByPullRequestAndMerge_revokesWithAuditTrail() throws Exception {
        int n = world.requestPr("r12");
        String head = gh.pullRequest(StandInWorld.REPO, n).head().sha();
        gh.merge(StandInWorld.REPO, n, head, "Merge r12", "");
        String message = "Revoke r12 (expired)\n\nHallpass-Request: r12\nHallpass-Action: revoke\n";

        String sha = gh.deleteFileOnNewBranch(
                StandInWorld.REPO, "main", "hallpass/revoke-r12", "requests/r12.yaml", message);
        PullRequest revert =
                gh.openPullRequest(StandInWorld.REPO, "Revoke r12", "expired", "hallpass/revoke-r12", "main");

        assertEquals(Optional.of(sha), world.repo.branchSha("hallpass/revoke-r12"));
        assertTrue(world.repo.fileAt("hallpass/revoke-r12", "requests/r12.yaml").isEmpty());
        assertTrue(world.repo.fileAt("main", "requests/r12.yaml").isPresent());
        try (RevWalk rw = new RevWalk(world.repo.git())) {
            RevCommit c = rw.parseCommit(ObjectId.fromString(sha));
            assertEquals(message, c.getFullMessage());
            assertEquals(
                    world.repo.branchSha("main").orElseThrow(), c.getParent(0).name());
        }
        assertEquals("hallpass[bot]", revert.author());
        assertEquals("hallpass/revoke-r12", revert.head().ref());
        assertEquals(sha, revert.head().sha());
        assertEquals(
                List.of(new ChangedFile("requests/r12.yaml", ChangedFile.Status.REMOVED, Optional.empty())),
                gh.files(StandInWorld.REPO, revert.number()));

        MergeResult merged = gh.merge(StandInWorld.REPO, revert.number(), sha, "Revoke r12", "Hallpass-Request: r12");
        assertTrue(merged.isMerged());
        assertTrue(world.repo.fileAt("main", "requests/r12.yaml").isEmpty(), "access is gone from main");
        try (RevWalk rw = new RevWalk(world.repo.git())) {
            RevCommit tip =
                    rw.parseCommit(ObjectId.fromString(merged.mergedSha().orElseThrow()));
            RevCommit grant = rw.parseCommit(tip.getParent(0));
            assertEquals(2, tip.getParentCount());
            assertEquals(sha, tip.getParent(1).name());
            assertEquals(2, grant.getParentCount(), "the grant was a merge commit too");
            assertTrue(grant.getFullMessage().startsWith("Merge r12"));
        }
    }

    @Test
    void openPullRequest_whenAlreadyOpenForBranch_returnsTheExistingOne() {
        gh.deleteFileOnNewBranch(StandInWorld.REPO, "main", "revoke/y", "README.md", "Revoke y");
        PullRequest first = gh.openPullRequest(StandInWorld.REPO, "Revoke y", "", "revoke/y", "main");
        PullRequest again = gh.openPullRequest(StandInWorld.REPO, "Revoke y", "", "revoke/y", "main");
        assertEquals(first.number(), again.number());
        assertEquals(1, gh.openPullRequests(StandInWorld.REPO).size());
    }

    @Test
    void openPullRequest_whenNoCommitsBetween_fails422() {
        world.repo.pushBranch("empty", "main", Map.of(), "alice", "nothing");
        GitHubException e = assertThrows(
                GitHubException.class, () -> gh.openPullRequest(StandInWorld.REPO, "t", "", "main", "main"));
        assertEquals(422, e.status());
    }

    @Test
    void deleteFileOnNewBranch_whenBranchExists_fails422() {
        world.repo.pushBranch("taken", "main", Map.of("x.txt", "x"), "alice", "x");
        GitHubException e = assertThrows(
                GitHubException.class,
                () -> gh.deleteFileOnNewBranch(StandInWorld.REPO, "main", "taken", "README.md", "m"));
        assertEquals(422, e.status());
    }

    @Test
    void deleteFileOnNewBranch_whenEarlierAttemptFailedHalfway_resumes() {
        world.hub.failNextRequests("/contents/README\\.md$", 502, 1);
        // The ref gets created, then the contents call fails: a crash between the two steps.
        assertThrows(
                GitHubException.class,
                () -> gh.deleteFileOnNewBranch(StandInWorld.REPO, "main", "revoke/x", "README.md", "Revoke x"));
        assertEquals(world.repo.branchSha("main"), world.repo.branchSha("revoke/x"));

        String sha = gh.deleteFileOnNewBranch(StandInWorld.REPO, "main", "revoke/x", "README.md", "Revoke x");
        String again = gh.deleteFileOnNewBranch(StandInWorld.REPO, "main", "revoke/x", "README.md", "Revoke x");

        assertEquals(Optional.of(sha), world.repo.branchSha("revoke/x"));
        assertEquals(sha, again, "a finished revert is not redone");
        assertTrue(world.repo.fileAt("revoke/x", "README.md").isEmpty());
    }

    @Test
    void anyCall_whenInstallationTokenRevoked_mintsANewOneAndSucceeds() {
        int n = world.requestPr("rev");
        gh.comments(StandInWorld.REPO, n);
        world.hub.revokeInstallationTokens();

        gh.comment(StandInWorld.REPO, n, "still here");

        assertEquals(1, world.repo.comments(n).size());
        assertEquals(
                1,
                world.hub.requestLog().stream().filter(r -> r.status() == 401).count());
    }

    @Test
    void teamMembership_whenAddedAndRemoved_isReflected() {
        world.hub.createTeam("acme", "db-admins");
        world.hub.addOrgMember("acme", "bob");

        assertFalse(gh.isTeamMember("acme", "db-admins", "bob"));
        assertTrue(gh.addTeamMember("acme", "db-admins", "bob"));
        assertTrue(gh.isTeamMember("acme", "db-admins", "bob"));
        assertEquals(Set.of("bob"), world.hub.teamMembers("acme", "db-admins"));
        gh.removeTeamMember("acme", "db-admins", "bob");
        gh.removeTeamMember("acme", "db-admins", "bob");
        assertFalse(gh.isTeamMember("acme", "db-admins", "bob"));
    }

    @Test
    void addTeamMember_whenNotOrgMember_staysPendingAndNotMember() {
        world.hub.createTeam("acme", "db-admins");
        assertFalse(gh.addTeamMember("acme", "db-admins", "carol"), "only invited");
        assertFalse(gh.isTeamMember("acme", "db-admins", "carol"));
        assertEquals(Set.of(), world.hub.teamMembers("acme", "db-admins"));
    }

    @Test
    void isTeamMember_whenTeamUnknown_isFalse() {
        assertFalse(gh.isTeamMember("acme", "nope", "bob"));
    }

    @Test
    void typicalEvaluation_whenRepositoryCached_costsNineCalls() {
        int n = world.requestPr("cost");
        gh.pullRequest(StandInWorld.REPO, n); // warms the repository metadata cache and the app token
        long before = gh.apiCalls() + gh.notModifiedCalls();
        int logBefore = world.hub.requestCount();

        PullRequest pr = gh.pullRequest(StandInWorld.REPO, n);
        List<ChangedFile> files = gh.files(StandInWorld.REPO, n);
        gh.reviews(StandInWorld.REPO, n);
        gh.fileAt(StandInWorld.REPO, files.get(0).path(), pr.base().sha());
        gh.fileAt(StandInWorld.REPO, files.get(0).path(), pr.head().sha());
        gh.publishCheck(
                StandInWorld.REPO,
                pr.head().sha(),
                new CheckReport(CheckReport.Conclusion.NEUTRAL, "Pending", "s", ""));
        gh.upsertStickyComment(StandInWorld.REPO, n, "pending");

        assertEquals(9, gh.apiCalls() + gh.notModifiedCalls() - before);
        assertEquals(9, world.hub.requestCount() - logBefore, "the stand-in saw exactly what the gateway counted");
    }

    @Test
    void reEvaluation_whenNothingChanged_costsOnlyFreeNotModifiedReads() {
        int n = world.requestPr("cost2");
        PullRequest pr = gh.pullRequest(StandInWorld.REPO, n);
        gh.files(StandInWorld.REPO, n);
        gh.reviews(StandInWorld.REPO, n);
        gh.comments(StandInWorld.REPO, n);
        CheckReport report = new CheckReport(CheckReport.Conclusion.NEUTRAL, "Pending", "s", "");
        gh.publishCheck(StandInWorld.REPO, pr.head().sha(), report);
        gh.upsertStickyComment(StandInWorld.REPO, n, "pending");
        gh.pullRequest(StandInWorld.REPO, n); // the comment touched the pull request (comments, updated_at)
        long counted = gh.apiCalls();
        long free = gh.notModifiedCalls();

        gh.pullRequest(StandInWorld.REPO, n);
        gh.files(StandInWorld.REPO, n);
        gh.reviews(StandInWorld.REPO, n);
        gh.upsertStickyComment(StandInWorld.REPO, n, "pending");

        assertEquals(0, gh.apiCalls() - counted, "PR, files and reviews unchanged: 304s; the comment is unchanged");
        assertEquals(3, gh.notModifiedCalls() - free);
        assertTrue(world.hub.requestLog().stream()
                .skip(world.hub.requestCount() - 3)
                .allMatch(r -> r.status() == 304));
    }

    @Test
    void pullRequest_whenWebhookCopyNoted_answersFromItOnceWithoutACall() {
        int n = world.requestPr("noted");
        PullRequest fromGitHub = gh.pullRequest(StandInWorld.REPO, n);
        world.hub.clearRequestLog();
        WebhookEvent e = WebhookEvent.parse(
                "pull_request",
                world.hub.deliveries().get(world.hub.deliveries().size() - 1).body());

        gh.notePullRequest(e.pullRequest().orElseThrow());
        PullRequest noted = gh.pullRequest(StandInWorld.REPO, n);

        assertEquals(0, world.hub.requestCount(), "the webhook's copy served the read");
        assertEquals(fromGitHub.head(), noted.head());
        assertEquals(fromGitHub.author(), noted.author());
        gh.pullRequest(StandInWorld.REPO, n);
        assertEquals(1, world.hub.requestCount(), "a copy is used once; the next read asks GitHub");
    }

    @Test
    void publishCheck_whenHeadMovedSinceLastRead_createsWithoutListing() {
        int n = world.requestPr("cost3");
        gh.pullRequest(StandInWorld.REPO, n);
        world.repo.pushBranch("request/cost3", null, Map.of("requests/cost3.yaml", "changed: true\n"), "alice", "push");
        String head = gh.pullRequest(StandInWorld.REPO, n).head().sha();
        world.hub.clearRequestLog();

        gh.publishCheck(StandInWorld.REPO, head, new CheckReport(CheckReport.Conclusion.NEUTRAL, "t", "s", ""));
        gh.publishCheck(StandInWorld.REPO, head, new CheckReport(CheckReport.Conclusion.SUCCESS, "t", "s", ""));

        assertEquals(
                List.of("POST", "PATCH"),
                world.hub.requestLog().stream().map(r -> r.method()).toList(),
                "a new head has no run yet; the second publish updates the remembered one");
        assertEquals(1, world.repo.checkRuns(head).size());
    }

    @Test
    void tokenGateway_whenPublishingChecks_isRefusedLikeGitHub() {
        Hub4jGitHubGateway asUser = world.tokenGateway("bob");
        int n = world.requestPr("tok");
        String sha = world.repo.pullRequest(n).headSha();
        GitHubException e = assertThrows(
                GitHubException.class,
                () -> asUser.publishCheck(
                        StandInWorld.REPO, sha, new CheckReport(CheckReport.Conclusion.SUCCESS, "t", "s", "")));
        assertEquals(403, e.status());
        asUser.comment(StandInWorld.REPO, n, "but I can comment");
        assertEquals("bob", world.repo.comments(n).get(0).author());
    }

    @Test
    void anyCall_whenServerFailsOnce_surfacesRetryableError() {
        int n = world.requestPr("f1");
        gh.pullRequest(StandInWorld.REPO, n);
        world.hub.failNextRequests("/pulls/" + n + "/reviews$", 502, 1);

        GitHubException e = assertThrows(GitHubException.class, () -> gh.reviews(StandInWorld.REPO, n));
        assertEquals(502, e.status());
        assertTrue(e.isRetryable());
        assertEquals(0, gh.reviews(StandInWorld.REPO, n).size(), "the fault is used up");
    }
}
