package dev.hallpass.grant;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One provider call, for comments and logs.
 *
 * @param number 1 for the first try
 * @param retryIn when the call failed and will be tried again, after how long
 */
public record Attempt(
        Action action,
        Grant grant,
        int number,
        Instant startedAt,
        Instant finishedAt,
        Outcome outcome,
        Optional<Duration> retryIn) {
    public Attempt {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(grant, "grant");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(retryIn, "retryIn");
    }
}
