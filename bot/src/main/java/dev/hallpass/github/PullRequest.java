package dev.hallpass.github;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A pull request as the bot needs it. {@code mergeable} is {@link Mergeable#UNKNOWN} when GitHub has not computed it
 * yet, and always for pull requests read from a list (GitHub only computes it on single reads).
 */
public record PullRequest(
        RepoName repo,
        int number,
        String title,
        String body,
        String author,
        State state,
        boolean draft,
        boolean merged,
        GitRef base,
        GitRef head,
        Mergeable mergeable,
        Set<String> labels,
        Optional<String> mergeCommitSha,
        Instant createdAt,
        Optional<Instant> mergedAt,
        Optional<Instant> closedAt) {

    public enum State {
        OPEN,
        CLOSED
    }

    public enum Mergeable {
        MERGEABLE,
        CONFLICTING,
        UNKNOWN
    }

    public PullRequest {
        Objects.requireNonNull(repo, "repo");
        if (number <= 0) {
            throw new IllegalArgumentException("pull request number must be positive: " + number);
        }
        title = Objects.requireNonNull(title, "title");
        body = body == null ? "" : body;
        GitHubNames.login(author);
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(mergeable, "mergeable");
        labels = Set.copyOf(labels);
        mergeCommitSha =
                Objects.requireNonNull(mergeCommitSha, "mergeCommitSha").map(GitHubNames::sha);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(mergedAt, "mergedAt");
        Objects.requireNonNull(closedAt, "closedAt");
        if (merged && state != State.CLOSED) {
            throw new IllegalArgumentException("a merged pull request is closed");
        }
    }

    public boolean isOpen() {
        return state == State.OPEN;
    }
}
