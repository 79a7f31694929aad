package dev.hallpass.github;

import java.util.Objects;
import java.util.Optional;

/** The answer to a merge attempt. Expected refusals are values, not exceptions, because the bot acts on them. */
public record MergeResult(Outcome outcome, Optional<String> mergedSha, int httpStatus, String message) {
    public enum Outcome {
        MERGED,
        /** 405: conflicts, closed, or blocked by branch protection. */
        NOT_MERGEABLE,
        /** 409: the head moved since the bot evaluated it. */
        HEAD_CHANGED,
        /** Any other refusal (403, 404, 422, ...). */
        FAILED
    }

    public MergeResult {
        Objects.requireNonNull(outcome, "outcome");
        mergedSha = Objects.requireNonNull(mergedSha, "mergedSha").map(GitHubNames::sha);
        message = message == null ? "" : message;
        if ((outcome == Outcome.MERGED) != mergedSha.isPresent()) {
            throw new IllegalArgumentException("a merged sha exactly when merged");
        }
    }

    public static MergeResult merged(String sha) {
        return new MergeResult(Outcome.MERGED, Optional.of(sha), 200, "Pull Request successfully merged");
    }

    public static MergeResult refused(int httpStatus, String message) {
        Outcome o =
                httpStatus == 405 ? Outcome.NOT_MERGEABLE : httpStatus == 409 ? Outcome.HEAD_CHANGED : Outcome.FAILED;
        return new MergeResult(o, Optional.empty(), httpStatus, message);
    }

    public boolean isMerged() {
        return outcome == Outcome.MERGED;
    }
}
