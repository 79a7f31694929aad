package dev.hallpass.grant;

import dev.hallpass.request.EnvironmentName;
import dev.hallpass.request.Login;
import dev.hallpass.request.ProviderName;
import dev.hallpass.request.RequestId;
import dev.hallpass.request.RoleName;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Access that a merged request grants: a lease on {@code (person, provider, target)} from {@code start}
 * (inclusive) to {@code expiresAt} (exclusive). Rebuilt from the access repository, so a grant is identified
 * by its request id: an extension is the same request with a later {@code expiresAt}.
 *
 * @param target what the provider grants (a database role, a team slug, ...), taken from the catalog
 * @param pullRequest the number of the pull request that was merged
 * @param mergeCommit the merge commit's sha (40 or 64 lowercase hex digits)
 * @param decision a short summary of why it was allowed, for the audit
 */
public record Grant(
        RequestId requestId,
        Login person,
        RoleName role,
        EnvironmentName environment,
        ProviderName provider,
        String target,
        Instant start,
        Instant expiresAt,
        int pullRequest,
        String mergeCommit,
        String decision) {

    public static final int MAX_TARGET_LENGTH = 200;
    public static final int MAX_DECISION_LENGTH = 500;
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

    public Grant {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(person, "person");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(mergeCommit, "mergeCommit");
        Objects.requireNonNull(decision, "decision");
        if (target == null || target.isBlank() || target.length() > MAX_TARGET_LENGTH) {
            throw new IllegalArgumentException("target must be 1 to " + MAX_TARGET_LENGTH + " characters");
        }
        // Targets reach providers' commands and queries; control characters are never legitimate there.
        if (target.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("target contains a control character");
        }
        if (!expiresAt.isAfter(start)) {
            throw new IllegalArgumentException(
                    "grant " + requestId + " expires at " + expiresAt + ", which is not after its start " + start);
        }
        if (pullRequest <= 0) {
            throw new IllegalArgumentException("pull request number must be positive, got " + pullRequest);
        }
        if (!SHA.matcher(mergeCommit).matches()) {
            throw new IllegalArgumentException("merge commit must be a lowercase hex sha, got '" + mergeCommit + "'");
        }
        if (decision.isBlank() || decision.length() > MAX_DECISION_LENGTH) {
            throw new IllegalArgumentException("decision summary must be 1 to " + MAX_DECISION_LENGTH + " characters");
        }
    }

    /** What this grant is a lease on. */
    public LeaseKey key() {
        return new LeaseKey(person, provider, target);
    }

    /** Whether the lease is in force at {@code t}: from start inclusive to expiry exclusive. */
    public boolean isLiveAt(Instant t) {
        return !t.isBefore(start) && t.isBefore(expiresAt);
    }

    public Duration duration() {
        return Duration.between(start, expiresAt);
    }

    /** The same request with a different expiry: an extension (or a shortening). */
    public Grant withExpiresAt(Instant newExpiry) {
        return new Grant(
                requestId,
                person,
                role,
                environment,
                provider,
                target,
                start,
                newExpiry,
                pullRequest,
                mergeCommit,
                decision);
    }
}
