package dev.hallpass.audit;

import dev.hallpass.request.EnvironmentName;
import dev.hallpass.request.Login;
import dev.hallpass.request.RequestId;
import dev.hallpass.request.RoleName;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One request as git tells its story: who had what access, when, why, and who approved it. Facts come from
 * the files ({@code requests/<id>.yaml}, {@code audit/reviews/<id>.yaml}) and commit times; pull request
 * numbers, approvers and decision codes can only come from trailers and are claims the audit cross-checked.
 *
 * <p>The access lease is {@code [startsAt, end())}: start inclusive, end exclusive, where {@link #end()} is
 * the earlier of the expiry and the commit that deleted the file.
 */
public record AuditRow(
        RequestId request,
        Optional<Login> requester,
        Optional<RoleName> role,
        Optional<EnvironmentName> environment,
        String reason,
        boolean emergency,
        Optional<String> incident,
        OptionalInt pullRequest,
        List<String> codes,
        List<Login> approvedBy,
        String mergeCommit,
        Instant mergedAt,
        Instant startsAt,
        Instant expiresAt,
        int extensions,
        Optional<Instant> revokedAt,
        Optional<String> revokedHow,
        OptionalInt revertPullRequest,
        Optional<String> revertCommit,
        Optional<Review> review,
        boolean reviewOverdue,
        List<Finding> findings) {

    /** How the access ended when the file was deleted. */
    public static final String HOW_EXPIRE = "expire";

    public static final String HOW_REVOKE = "revoke";
    public static final String HOW_DELETED = "deleted";

    /**
     * The retroactive review that counts (the latest that is neither by the requester nor tampered), or the
     * latest one when none counts.
     */
    public record Review(
            Attestation.Outcome outcome, Login reviewer, Instant at, String commit, boolean counts, boolean tampered) {}

    public AuditRow {
        Objects.requireNonNull(request);
        codes = List.copyOf(codes);
        approvedBy = List.copyOf(approvedBy);
        findings = List.copyOf(findings);
    }

    /** When the access ended or ends: the earlier of expiry and deletion of the file. */
    public Instant end() {
        return revokedAt.filter(r -> r.isBefore(expiresAt)).orElse(expiresAt);
    }

    /** True when the access was in force at {@code t}: {@code startsAt <= t < end()}. */
    public boolean activeAt(Instant t) {
        return !t.isBefore(startsAt) && t.isBefore(end());
    }

    /** True when anything about this request happened in {@code [since, until)} (either may be null). */
    public boolean overlaps(Instant since, Instant until) {
        Instant from = mergedAt.isBefore(startsAt) ? mergedAt : startsAt;
        Instant to = revokedAt.filter(r -> r.isAfter(end())).orElse(end());
        boolean afterSince = since == null
                || to.isAfter(since)
                || review.map(r -> !r.at().isBefore(since)).orElse(false);
        boolean beforeUntil = until == null || from.isBefore(until);
        return afterSince && beforeUntil;
    }

    /** The columns of every output format, in order; values are String, Number, Boolean, List or null. */
    public Map<String, Object> columns() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("request", request.value());
        m.put("requester", requester.map(Login::value).orElse(null));
        m.put("role", role.map(Object::toString).orElse(null));
        m.put("environment", environment.map(Object::toString).orElse(null));
        m.put("reason", reason);
        m.put("emergency", emergency);
        m.put("incident", incident.orElse(null));
        m.put("pull_request", pullRequest.isPresent() ? pullRequest.getAsInt() : null);
        m.put("decision_codes", codes);
        m.put("approved_by", approvedBy.stream().map(Login::value).toList());
        m.put("merge_commit", mergeCommit);
        m.put("merged_at", Trailers.rfc3339(mergedAt));
        m.put("starts_at", Trailers.rfc3339(startsAt));
        m.put("expires_at", Trailers.rfc3339(expiresAt));
        m.put("extensions", extensions);
        m.put("revoked_at", revokedAt.map(Trailers::rfc3339).orElse(null));
        m.put("revoked_how", revokedHow.orElse(null));
        m.put("revert_pull_request", revertPullRequest.isPresent() ? revertPullRequest.getAsInt() : null);
        m.put("revert_commit", revertCommit.orElse(null));
        m.put(
                "review_outcome",
                review.filter(Review::counts).map(r -> r.outcome().word()).orElse(null));
        m.put(
                "reviewer",
                review.filter(Review::counts).map(r -> r.reviewer().value()).orElse(null));
        m.put(
                "reviewed_at",
                review.filter(Review::counts).map(r -> Trailers.rfc3339(r.at())).orElse(null));
        m.put("review_overdue", reviewOverdue);
        m.put("findings", findings.stream().map(Finding::format).toList());
        return m;
    }
}
