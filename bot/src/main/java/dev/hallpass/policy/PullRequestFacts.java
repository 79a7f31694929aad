package dev.hallpass.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the policy needs to know about a pull request, independent of how GitHub was asked.
 *
 * @param reviews each reviewer's latest review only
 * @param authorIsHallpass the pull request was opened by Hallpass itself (an expiry revert)
 */
public record PullRequestFacts(
        int number,
        String author,
        boolean authorIsHallpass,
        String headSha,
        String baseSha,
        List<ChangedFile> files,
        List<ReviewFact> reviews) {

    public PullRequestFacts {
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(headSha, "headSha");
        Objects.requireNonNull(baseSha, "baseSha");
        files = List.copyOf(files);
        reviews = List.copyOf(reviews);
    }

    /** A file the pull request changes; {@code status} is GitHub's: added, modified, removed, renamed. */
    public record ChangedFile(String path, String status, Optional<String> previousPath) {
        public ChangedFile {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(previousPath, "previousPath");
        }
    }

    /** A reviewer's latest review: APPROVED, CHANGES_REQUESTED, COMMENTED or DISMISSED, on a commit. */
    public record ReviewFact(String login, String state, String commitId) {
        public ReviewFact {
            Objects.requireNonNull(login, "login");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(commitId, "commitId");
        }
    }
}
