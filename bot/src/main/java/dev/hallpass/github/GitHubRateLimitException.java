package dev.hallpass.github;

import java.time.Instant;
import java.util.Objects;

/**
 * GitHub refused a call for a primary or secondary rate limit (403 or 429). {@link #retryAt()} is when GitHub said
 * to try again: {@code Retry-After}, else {@code x-ratelimit-reset} when no calls remain, else a minute later (GitHub's
 * advice for a secondary limit without either header). Work that fails with this is requeued for then, never dropped.
 */
public final class GitHubRateLimitException extends GitHubException {
    private static final long serialVersionUID = 1L;
    private final Instant retryAt;

    public GitHubRateLimitException(int status, String message, Instant retryAt, Throwable cause) {
        super(status, message, cause);
        this.retryAt = Objects.requireNonNull(retryAt, "retryAt");
    }

    public Instant retryAt() {
        return retryAt;
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
