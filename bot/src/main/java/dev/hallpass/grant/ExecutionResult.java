package dev.hallpass.grant;

import java.util.List;
import java.util.Objects;

/**
 * The end of one apply or revoke, after any retries. A failure is returned to the caller to report.
 *
 * @param attempts every try, in order; the last one decides
 */
public record ExecutionResult(Action action, Grant grant, List<Attempt> attempts) {
    public ExecutionResult {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(grant, "grant");
        attempts = List.copyOf(attempts);
        if (attempts.isEmpty()) {
            throw new IllegalArgumentException("a result needs at least one attempt");
        }
    }

    public Outcome outcome() {
        return attempts.get(attempts.size() - 1).outcome();
    }

    public boolean ok() {
        return outcome().ok();
    }
}
