package dev.hallpass.github;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A pull request review. {@code commitId} is the head the reviewer saw, so approvals of an older head can be told
 * apart from approvals of the current one.
 */
public record Review(long id, String reviewer, State state, String commitId, Optional<Instant> submittedAt) {
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
        GitHubNames.sha(commitId);
        Objects.requireNonNull(submittedAt, "submittedAt");
    }
}
