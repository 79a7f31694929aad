package dev.hallpass.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ValueRecordsTest {
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    @Test
    void repoName_whenParsed_splitsOwnerAndName() {
        RepoName r = RepoName.parse("acme/access-requests");
        assertEquals("acme", r.owner());
        assertEquals("access-requests", r.name());
        assertEquals("acme/access-requests", r.toString());
    }

    @Test
    void repoName_whenMalformed_isRejected() {
        for (String bad : new String[] {"acme", "a/b/c", "/x", "x/", "ac me/x", "acme/..", "acme/x?y", "аcme/x"}) {
            assertThrows(IllegalArgumentException.class, () -> RepoName.parse(bad), bad);
        }
    }

    @Test
    void login_whenAsciiAndShort_isAccepted() {
        assertEquals("alice-1", GitHubNames.login("alice-1"));
        assertEquals("hallpass[bot]", GitHubNames.login("hallpass[bot]"));
        assertEquals("a".repeat(39), GitHubNames.login("a".repeat(39)));
        assertEquals("alice_acme", GitHubNames.login("alice_acme"), "a managed user (Enterprise Managed Users)");
    }

    @Test
    void login_whenNonAsciiTooLongOrOdd_isRejected() {
        // Cyrillic "а" looks like Latin "a": a classic spoof, so logins stay ASCII.
        for (String bad : new String[] {
            "",
            "аlice",
            "a".repeat(40),
            "al ice",
            "_alice",
            "alice_",
            "a_b_c",
            "alice[bot",
            "x[bot][bot]",
            "a".repeat(35) + "_acme"
        }) {
            assertThrows(IllegalArgumentException.class, () -> GitHubNames.login(bad), bad);
        }
    }

    @Test
    void path_whenDotSegmentsOrAbsolute_isRejected() {
        assertEquals("requests/a.yaml", GitHubNames.path("requests/a.yaml"));
        for (String bad : new String[] {"/etc/passwd", "requests/../x", "./x", "a//b", "a/", ""}) {
            assertThrows(IllegalArgumentException.class, () -> GitHubNames.path(bad), bad);
        }
    }

    @Test
    void branch_whenGitWouldRefuse_isRejected() {
        assertEquals("hallpass/revoke-r1", GitHubNames.branch("hallpass/revoke-r1"));
        for (String bad : new String[] {"a..b", "x.lock", "has space", "refs/heads/x", "a~1", "a:b", "/x"}) {
            assertThrows(IllegalArgumentException.class, () -> GitHubNames.branch(bad), bad);
        }
    }

    @Test
    void pullRequest_whenMergedButOpen_isRejected() {
        GitRef ref = new GitRef("main", SHA);
        assertThrows(
                IllegalArgumentException.class,
                () -> new PullRequest(
                        new RepoName("a", "b"),
                        1,
                        "t",
                        "",
                        "alice",
                        PullRequest.State.OPEN,
                        false,
                        true,
                        ref,
                        ref,
                        PullRequest.Mergeable.UNKNOWN,
                        Set.of(),
                        Optional.empty(),
                        Instant.EPOCH,
                        Optional.empty(),
                        Optional.empty()));
    }

    @Test
    void mergeResult_whenRefused_mapsStatusToOutcome() {
        assertEquals(
                MergeResult.Outcome.NOT_MERGEABLE, MergeResult.refused(405, "x").outcome());
        assertEquals(
                MergeResult.Outcome.HEAD_CHANGED, MergeResult.refused(409, "x").outcome());
        assertEquals(MergeResult.Outcome.FAILED, MergeResult.refused(403, "x").outcome());
        assertTrue(MergeResult.merged(SHA).isMerged());
        assertThrows(IllegalArgumentException.class, () -> MergeResult.merged("not-a-sha"));
    }

    @Test
    void checkReport_whenOutputTooLong_isRejectedBeforeGitHubWould() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new CheckReport(CheckReport.Conclusion.SUCCESS, "t", "x".repeat(65_536), ""));
        assertEquals("action_required", CheckReport.Conclusion.ACTION_REQUIRED.wireName());
    }

    @Test
    void webhookEvent_whenNotJsonOrNoRepository_isRejected() {
        assertThrows(
                IllegalArgumentException.class,
                () -> WebhookEvent.parse("pull_request", "nope".getBytes(StandardCharsets.UTF_8)));
        assertThrows(
                IllegalArgumentException.class,
                () -> WebhookEvent.parse("ping", "{\"zen\":\"x\"}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void webhookEvent_whenCommentOnPlainIssue_isNotRelevant() {
        String body = "{\"action\":\"created\",\"issue\":{\"number\":3},\"comment\":{\"id\":9,\"body\":\"hi\"},"
                + "\"repository\":{\"full_name\":\"acme/access\"},\"sender\":{\"login\":\"bob\"}}";
        WebhookEvent e = WebhookEvent.parse("issue_comment", body.getBytes(StandardCharsets.UTF_8));
        assertFalse(e.isRelevant());
        assertEquals(Optional.of("hi"), e.commentBody());
    }
}
