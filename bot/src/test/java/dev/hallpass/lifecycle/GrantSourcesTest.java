package dev.hallpass.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.bot.GitHubRepoTree;
import dev.hallpass.grant.Grant;
import dev.hallpass.request.Problem;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Both sources read the same stand-in history: GitHub's API, and the same git objects through JGit. */
class GrantSourcesTest {
    private LifecycleWorld world;

    @BeforeEach
    void setUp() {
        world = new LifecycleWorld();
    }

    @AfterEach
    void tearDown() {
        world.close();
    }

    private GrantSource github() {
        return new GitHubGrantSource(world.gateway(), LifecycleWorld.REPO, "main", new GitHubRepoTree.Cache(1000));
    }

    private GrantSource local() {
        return new LocalGitGrantSource(world.repo.git(), "main");
    }

    private static List<Grant> sorted(List<Grant> grants) {
        return grants.stream().sorted(Comparator.comparing(Grant::requestId)).toList();
    }

    @Test
    void snapshot_whenRequestMergedLaterAndExtended_startsAtTheMergeAndKeepsTheStart() {
        Instant pushed = world.clock.instant();
        int n = world.openPr(
                "alice",
                "request/alice-late",
                Map.of("requests/alice-late.yaml", LifecycleWorld.request("alice", "db-admin", "staging", "1h")),
                "Access request alice-late");
        world.clock.advance(Duration.ofMinutes(30)); // waits for review before the merge
        assertTrue(world.processor
                .process(LifecycleWorld.REPO, n)
                .merge()
                .orElseThrow()
                .isMerged());
        Instant merged = pushed.plus(Duration.ofMinutes(30));

        world.clock.advance(Duration.ofMinutes(10));
        int ext = world.openPr(
                "alice",
                "extend/alice-late",
                Map.of("requests/alice-late.yaml", LifecycleWorld.request("alice", "db-admin", "staging", "3h")),
                "Extend alice-late");
        world.clock.advance(Duration.ofMinutes(10));
        assertTrue(world.processor
                .process(LifecycleWorld.REPO, ext)
                .merge()
                .orElseThrow()
                .isMerged());

        for (GrantSource source : List.of(github(), local())) {
            List<Grant> grants = source.grants();
            assertEquals(1, grants.size(), source.getClass().getSimpleName());
            Grant g = grants.get(0);
            assertEquals(merged, g.start(), "starts when merged, not when pushed");
            assertEquals(merged.plus(Duration.ofHours(3)), g.expiresAt(), "the extension moves the expiry");
            assertEquals(n, g.pullRequest());
            assertEquals(world.repo.pullRequest(n).mergeCommitSha(), g.mergeCommit());
            assertEquals("orders-db-staging", g.provider().value());
            assertEquals("orders_admin", g.target());
        }
        assertEquals(sorted(github().grants()), sorted(local().grants()), "both sources agree");
    }

    @Test
    void snapshot_whenFileReachedMainWithoutPullRequest_reportsItAndGrantsNothing() {
        world.repo.pushBranch(
                "main",
                null,
                Map.of("requests/bob-direct.yaml", LifecycleWorld.request("bob", "db-admin", "staging", "1h")),
                "bob",
                "Add bob-direct");
        for (GrantSource source : List.of(github(), local())) {
            GrantSource.Snapshot s = source.snapshot();
            assertEquals(List.of(), s.grants());
            assertTrue(
                    s.problems().stream().map(Problem::code).anyMatch("grant.no_pull_request"::equals),
                    s.problems().toString());
        }
    }

    @Test
    void snapshot_whenRequestIsInvalid_reportsItAndGrantsTheOthers() {
        world.requestAndMerge("dave-ok", "dave", "1h");
        Map<String, String> bad = new HashMap<>();
        bad.put("requests/mallory-bad.yaml", LifecycleWorld.request("mallory", "db-admin", "staging", "1h"));
        int n = world.openPr("mallory", "request/mallory-bad", bad, "Access request mallory-bad");
        world.repo.mergePullRequest(n, "frank"); // merged by hand although the policy would refuse it
        for (GrantSource source : List.of(github(), local())) {
            GrantSource.Snapshot s = source.snapshot();
            assertEquals(
                    List.of("dave-ok"),
                    s.grants().stream().map(g -> g.requestId().value()).toList());
            assertTrue(
                    s.problems().stream()
                            .anyMatch(p -> p.file().equals("requests/mallory-bad.yaml")
                                    && p.code().equals("request.requester.not_eligible")),
                    s.problems().toString());
        }
    }
}
