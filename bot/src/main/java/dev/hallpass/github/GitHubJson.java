package dev.hallpass.github;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Maps GitHub REST JSON to Hallpass records, for the calls the gateway makes without hub4j's object model. */
final class GitHubJson {
    private GitHubJson() {}

    static PullRequest pullRequest(RepoName repo, JsonNode n) {
        Set<String> labels = new TreeSet<>();
        n.path("labels").forEach(l -> labels.add(l.path("name").asText()));
        JsonNode mergeable = n.get("mergeable");
        PullRequest.Mergeable m = mergeable == null || mergeable.isNull()
                ? PullRequest.Mergeable.UNKNOWN
                : mergeable.asBoolean() ? PullRequest.Mergeable.MERGEABLE : PullRequest.Mergeable.CONFLICTING;
        return new PullRequest(
                repo,
                n.path("number").asInt(),
                n.path("title").asText(),
                text(n, "body"),
                n.path("user").path("login").asText(),
                "open".equals(n.path("state").asText()) ? PullRequest.State.OPEN : PullRequest.State.CLOSED,
                n.path("draft").asBoolean(false),
                // List responses omit "merged"; a merged PR always has merged_at.
                n.path("merged").asBoolean(false) || instant(n, "merged_at").isPresent(),
                new GitRef(
                        n.path("base").path("ref").asText(),
                        n.path("base").path("sha").asText()),
                new GitRef(
                        n.path("head").path("ref").asText(),
                        n.path("head").path("sha").asText()),
                m,
                labels,
                Optional.ofNullable(text(n, "merge_commit_sha")),
                instant(n, "created_at").orElseThrow(() -> new IllegalArgumentException("created_at missing")),
                instant(n, "merged_at"),
                instant(n, "closed_at"));
    }

    static Review review(JsonNode n) {
        JsonNode user = n.get("user");
        String login =
                user == null || user.isNull() ? "ghost" : user.path("login").asText();
        return new Review(
                n.path("id").asLong(),
                login,
                Review.State.valueOf(n.path("state").asText()),
                Optional.ofNullable(text(n, "commit_id")),
                instant(n, "submitted_at"));
    }

    static IssueComment comment(JsonNode n) {
        JsonNode user = n.get("user");
        return new IssueComment(
                n.path("id").asLong(),
                user == null || user.isNull() ? "ghost" : user.path("login").asText(),
                text(n, "body"),
                instant(n, "created_at").orElseThrow(() -> new IllegalArgumentException("created_at missing")),
                instant(n, "updated_at").orElseThrow(() -> new IllegalArgumentException("updated_at missing")));
    }

    static CommitInfo commit(JsonNode n) {
        java.util.List<String> parents = new java.util.ArrayList<>();
        n.path("parents").forEach(x -> parents.add(x.path("sha").asText()));
        JsonNode c = n.path("commit");
        return new CommitInfo(
                n.path("sha").asText(),
                text(c, "message"),
                instant(c.path("committer"), "date")
                        .orElseThrow(() -> new IllegalArgumentException("commit.committer.date missing")),
                parents);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Optional<Instant> instant(JsonNode n, String field) {
        return Optional.ofNullable(text(n, field)).map(Instant::parse);
    }
}
