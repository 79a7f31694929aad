package dev.hallpass.audit;

import dev.hallpass.request.AccessRequest;
import dev.hallpass.request.Login;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The full messages of the commits Hallpass makes: a title line, a body a person reads in {@code git log},
 * a blank line and the {@link Trailers} the audit reads. Pass the result as the commit message of GitHub's
 * merge API ({@code commit_title} = first line, {@code commit_message} = the rest) or of a local commit.
 */
public final class CommitMessages {
    private CommitMessages() {}

    /**
     * The merge of a request's pull request that grants it.
     *
     * @param approvedBy approvals on the merged head, requester excluded; empty for an emergency
     * @param expiresAt the later of the merge time and the request's {@code start}, plus its duration; the audit
     *     recomputes it from the file and the merge commit's time and flags a difference
     */
    public static String grant(
            AccessRequest request, int pullRequest, List<Login> approvedBy, DecisionStamp decision, Instant expiresAt) {
        return judged(AuditAction.GRANT, "Grant access: ", request, pullRequest, approvedBy, decision, expiresAt);
    }

    /**
     * The merge of a pull request that changes an existing request's duration.
     *
     * @param expiresAt the original start (merge time or {@code start}) plus the new duration
     */
    public static String extend(
            AccessRequest request, int pullRequest, List<Login> approvedBy, DecisionStamp decision, Instant expiresAt) {
        return judged(AuditAction.EXTEND, "Extend access: ", request, pullRequest, approvedBy, decision, expiresAt);
    }

    private static String judged(
            AuditAction action,
            String title,
            AccessRequest r,
            int pullRequest,
            List<Login> approvedBy,
            DecisionStamp decision,
            Instant expiresAt) {
        Objects.requireNonNull(decision, "decision");
        StringBuilder body = new StringBuilder();
        body.append(r.requester().value())
                .append(" gets ")
                .append(r.role())
                .append(" on ")
                .append(r.environment())
                .append(" for ")
                .append(r.duration())
                .append(", until ")
                .append(Trailers.rfc3339(expiresAt))
                .append(".\n");
        body.append("Reason: ").append(oneLine(r.reason())).append('\n');
        if (r.emergency()) {
            body.append("Emergency for ")
                    .append(oneLine(r.incident().orElse("?")))
                    .append(": merged at once, to be reviewed retroactively.\n");
        } else {
            body.append("Approved by ")
                    .append(approvedBy.isEmpty() ? "nobody" : String.join(", ", logins(approvedBy)))
                    .append(".\n");
        }
        Trailers t = Trailers.builder()
                .request(r.id())
                .action(action)
                .pullRequest(pullRequest)
                .requester(r.requester())
                .emergency(r.emergency())
                .approvedBy(approvedBy)
                .expiresAt(expiresAt)
                .decision(decision.digest())
                .policyCommit(decision.policyCommit())
                .decisionId(decision.decisionId().orElse(null))
                .codes(decision.codes())
                .build();
        return message(title + r.id() + " (#" + pullRequest + ")", body.toString(), t);
    }

    /**
     * The merge of the revert pull request that deletes a request file after its access expired.
     *
     * @param revertPullRequest the pull request deleting the file
     * @param expiredAt when the access ended (the request's expiry)
     */
    public static String expire(AccessRequest request, int revertPullRequest, Instant expiredAt) {
        String body = "Access of " + request.requester().value() + " to " + request.role() + " on "
                + request.environment() + " expired at " + Trailers.rfc3339(expiredAt)
                + " and was removed; this deletes the request file.\n";
        Trailers t = Trailers.builder()
                .request(request.id())
                .action(AuditAction.EXPIRE)
                .pullRequest(revertPullRequest)
                .requester(request.requester())
                .expiresAt(expiredAt)
                .build();
        return message("Expire access: " + request.id() + " (#" + revertPullRequest + ")", body, t);
    }

    /**
     * The merge of the pull request that deletes a request file because its access was revoked early.
     *
     * @param revokedBy who asked for the revocation ({@code /hallpass revoke}, or the requester)
     */
    public static String revoke(AccessRequest request, int revertPullRequest, Login revokedBy, String reason) {
        String body = "Access of " + request.requester().value() + " to " + request.role() + " on "
                + request.environment() + " was revoked early by " + revokedBy.value() + ".\n"
                + (reason == null || reason.isBlank() ? "" : "Reason: " + oneLine(reason) + "\n");
        Trailers t = Trailers.builder()
                .request(request.id())
                .action(AuditAction.REVOKE)
                .pullRequest(revertPullRequest)
                .requester(request.requester())
                .revokedBy(revokedBy)
                .build();
        return message("Revoke access: " + request.id() + " (#" + revertPullRequest + ")", body, t);
    }

    /**
     * The commit that records a retroactive review in {@code audit/reviews/<id>.yaml}: action {@code attest}
     * for an approval, {@code reject} for a rejection.
     *
     * @param requester the requester of the reviewed request, written so the audit can see a self-review
     */
    public static String attest(Attestation a, Login requester) {
        AuditAction action = a.outcome() == Attestation.Outcome.APPROVE ? AuditAction.ATTEST : AuditAction.REJECT;
        String verb = a.outcome() == Attestation.Outcome.APPROVE ? "approved" : "rejected";
        String body = a.reviewer().value() + " " + verb + " emergency access " + a.request() + " (#"
                + a.pullRequest() + ") of " + requester.value() + " retroactively at " + Trailers.rfc3339(a.at())
                + ".\n" + (a.note().isBlank() ? "" : "Note: " + oneLine(a.note()) + "\n")
                + (a.tampered() ? "The review comment was edited or deleted after it was given.\n" : "");
        Trailers t = Trailers.builder()
                .request(a.request())
                .action(action)
                .pullRequest(a.pullRequest())
                .requester(requester)
                .reviewer(a.reviewer())
                .build();
        String title = (a.outcome() == Attestation.Outcome.APPROVE ? "Attest" : "Reject") + " emergency access: "
                + a.request() + " (#" + a.pullRequest() + ")";
        return message(title, body, t);
    }

    /** {@code title}, blank line, {@code body}, blank line, trailers. */
    public static String message(String title, String body, Trailers trailers) {
        String b = body == null ? "" : body.strip();
        return oneLine(title) + "\n\n" + (b.isEmpty() ? "" : neutralise(b) + "\n\n") + trailers.format();
    }

    // A free-text line that looks like a trailer could be mistaken for one; indenting it keeps git's reading.
    private static String neutralise(String body) {
        StringBuilder sb = new StringBuilder();
        for (String l : body.split("\n", -1)) {
            sb.append(l.regionMatches(true, 0, Trailers.PREFIX, 0, Trailers.PREFIX.length()) ? "  " + l : l)
                    .append('\n');
        }
        return sb.substring(0, sb.length() - 1);
    }

    private static String oneLine(String s) {
        String t = s.replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }

    private static List<String> logins(List<Login> l) {
        return l.stream().map(Login::value).toList();
    }
}
