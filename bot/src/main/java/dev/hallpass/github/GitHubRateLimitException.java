package dev.hallpass.github;

import java.time.Duration;
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
    private final Duration retryAfter;

    /**
     * @param status 403 or 429 as GitHub answered; 0 when the call was not sent because a limit still holds
     * @param retryAfter how long from now {@code retryAt} is (what a scheduler needs, whatever its clock)
     */
    public GitHubRateLimitException(int status, String message, Instant retryAt, Duration retryAfter, Throwable cause) {
        super(status, message, cause);
        this.retryAt = Objects.requireNonNull(retryAt, "retryAt");
        this.retryAfter = retryAfter.isNegative() ? Duration.ZERO : retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    public Instant retryAt() {
        return retryAt;
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
