package dev.hallpass.github;

import java.time.Instant;
import java.util.Objects;

/** A conversation comment on a pull request (GitHub models these as issue comments). */
public record IssueComment(long id, String author, String body, Instant createdAt, Instant updatedAt) {
    public IssueComment {
        if (id <= 0) {
            throw new IllegalArgumentException("comment id must be positive");
        }
        GitHubNames.login(author);
        body = body == null ? "" : body;
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
