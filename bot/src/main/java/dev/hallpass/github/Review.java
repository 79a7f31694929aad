package dev.hallpass.github;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A pull request review. {@code commitId} is the head the reviewer saw, so approvals of an older head can be told
 * apart from approvals of the current one.
 */
public record Review(long id, String reviewer, State state, Optional<String> commitId, Optional<Instant> submittedAt) {
    public enum State {
        APPROVED,
        CHANGES_REQUESTED,
        COMMENTED,
        DISMISSED,
        PENDING
    }

    public Review {
        if (id <= 0) {
            throw new IllegalArgumentException("review id must be positive");
        }
        GitHubNames.login(reviewer);
        Objects.requireNonNull(state, "state");
        // GitHub may omit the commit of reviews whose commit is gone (force-push); such a review matches no head.
        commitId = Objects.requireNonNull(commitId, "commitId").map(GitHubNames::sha);
        Objects.requireNonNull(submittedAt, "submittedAt");
    }
}
