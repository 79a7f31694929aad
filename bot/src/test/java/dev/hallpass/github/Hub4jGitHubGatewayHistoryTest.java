package dev.hallpass.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The history calls the grant lifecycle uses: branch tips, a file's commits, a commit's pull requests. */
class Hub4jGitHubGatewayHistoryTest {
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
    void branchSha_whenBranchExists_isItsTip_andMissingBranchIs404() {
        assertEquals(world.repo.branchSha("main").orElseThrow(), gh.branchSha(StandInWorld.REPO, "main"));
        GitHubException e = assertThrows(GitHubException.class, () -> gh.branchSha(StandInWorld.REPO, "nope"));
        assertEquals(404, e.status());
    }

    @Test
    void commits_whenRequestMergedLater_listBranchCommitNewestFirst_andPullRequestGivesMergeTime() {
        int n = world.requestPr("r1");
        String branchCommit = world.repo.pullRequest(n).headSha();
        Instant pushed = world.clock.instant();
        world.clock.advance(Duration.ofMinutes(30));
        world.repo.mergePullRequest(n, "bob");
        world.clock.advance(Duration.ofMinutes(5));
        world.repo.pushBranch("main", null, Map.of("requests/r1.yaml", "id: r1\nrole: db\n"), "carol", "Edit r1");

        List<CommitInfo> history = gh.commits(StandInWorld.REPO, "requests/r1.yaml", "main");
        // git log -- path: the edit, then the requester's commit; the merge took the file unchanged from it.
        assertEquals(2, history.size(), history.toString());
        assertEquals("Edit r1", history.get(0).title());
        assertEquals(branchCommit, history.get(1).sha());
        assertEquals(pushed, history.get(1).committedAt());
        assertEquals(1, history.get(1).parents().size());

        List<PullRequest> prs = gh.pullRequestsWithCommit(StandInWorld.REPO, branchCommit);
        assertEquals(1, prs.size());
        assertEquals(n, prs.get(0).number());
        assertTrue(prs.get(0).merged());
        assertEquals(pushed.plus(Duration.ofMinutes(30)), prs.get(0).mergedAt().orElseThrow());
    }

    @Test
    void commits_whenPathNeverExisted_isEmpty() {
        assertEquals(List.of(), gh.commits(StandInWorld.REPO, "requests/none.yaml", "main"));
    }
}
