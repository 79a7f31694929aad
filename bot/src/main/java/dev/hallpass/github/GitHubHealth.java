package dev.hallpass.github;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the gateway last saw of GitHub, for readiness checks and metrics.
 *
 * @param rateLimitRemaining {@code x-ratelimit-remaining} of the last response that carried it
 * @param rateLimitReset {@code x-ratelimit-reset} of that response
 * @param limitedUntil when GitHub last refused a call for a rate limit and said to retry, if that is still ahead
 * @param lastSuccess when GitHub last answered (any status below 500)
 * @param consecutiveFailures calls since then that got no answer, timed out or got a 5xx
 * @param calls calls that count against the rate limit (everything but 304s)
 * @param notModified conditional requests answered 304, which GitHub does not count
 */
public record GitHubHealth(
        OptionalLong rateLimitRemaining,
        Optional<Instant> rateLimitReset,
        Optional<Instant> limitedUntil,
        Optional<Instant> lastSuccess,
        int consecutiveFailures,
        long calls,
        long notModified) {

    /** Reachable: the last call got an answer and GitHub is not refusing calls for a rate limit right now. */
    public boolean healthy(Instant now) {
        return consecutiveFailures == 0
                && lastSuccess.isPresent()
                && limitedUntil.map(t -> !t.isAfter(now)).orElse(true);
    }
}
