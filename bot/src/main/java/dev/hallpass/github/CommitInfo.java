package dev.hallpass.github;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A commit as listed by GitHub's commit history: enough to tell when a file reached a branch.
 *
 * @param committedAt the committer date (for a merge commit: when the pull request was merged)
 * @param parents parent shas, first parent first
 */
public record CommitInfo(String sha, String message, Instant committedAt, List<String> parents) {
    public CommitInfo {
        GitHubNames.sha(sha);
        message = message == null ? "" : message;
        Objects.requireNonNull(committedAt, "committedAt");
        parents = List.copyOf(parents);
        parents.forEach(GitHubNames::sha);
    }

    /** The first line of the message. */
    public String title() {
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
