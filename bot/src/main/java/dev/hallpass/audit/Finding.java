package dev.hallpass.audit;

import java.util.Objects;

/**
 * Something the audit found wrong.
 *
 * @param kind {@link Kind#INTEGRITY} when git history and its claims disagree (fails {@code audit verify}),
 *     {@link Kind#COMPLIANCE} when the history is intact but the process was not followed
 * @param code a stable identifier, e.g. {@code merged_outside_hallpass}
 * @param commit the commit it is about, or empty
 */
public record Finding(Kind kind, String code, String commit, String message) {
    public enum Kind {
        INTEGRITY,
        COMPLIANCE
    }

    public static final String MERGED_OUTSIDE_HALLPASS = "merged_outside_hallpass";
    public static final String CHANGED_OUTSIDE_HALLPASS = "changed_outside_hallpass";
    public static final String INCONSISTENT_TRAILER = "inconsistent_trailer";
    public static final String MALFORMED_TRAILER = "malformed_trailer";
    public static final String UNREADABLE_FILE = "unreadable_file";
    public static final String REQUEST_ID_REUSED = "request_id_reused";
    public static final String REQUEST_REWRITTEN = "request_rewritten";
    public static final String SELF_APPROVAL = "self_approval";
    public static final String NO_APPROVERS = "no_approvers";
    public static final String APPROVER_NOT_ELIGIBLE = "approver_not_eligible";
    public static final String TOO_FEW_APPROVALS = "too_few_approvals";
    public static final String NOT_IN_CATALOG = "not_in_catalog";
    public static final String CHANGES_BEYOND_REQUEST = "changes_beyond_request";
    public static final String SELF_REVIEW = "self_review";
    public static final String REVIEWER_NOT_ELIGIBLE = "reviewer_not_eligible";
    public static final String REVIEW_TAMPERED = "review_tampered";
    public static final String REVIEW_DELETED = "review_deleted";
    public static final String REVIEW_OVERDUE = "review_overdue";
    public static final String REVIEW_REJECTED = "review_rejected";
    public static final String REVIEW_UNKNOWN_REQUEST = "review_for_unknown_request";
    public static final String POLICY_COMMIT_UNKNOWN = "policy_commit_unknown";
    public static final String HISTORY_REWRITTEN = "history_rewritten";
    public static final String BAD_SIGNATURE = "bad_signature";
    public static final String UNSIGNED = "unsigned";

    public Finding {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(code, "code");
        commit = commit == null ? "" : commit;
        Objects.requireNonNull(message, "message");
    }

    static Finding integrity(String code, String commit, String message) {
        return new Finding(Kind.INTEGRITY, code, commit, message);
    }

    static Finding compliance(String code, String commit, String message) {
        return new Finding(Kind.COMPLIANCE, code, commit, message);
    }

    /** {@code code: message (commit abc1234)}. */
    public String format() {
        return code + ": " + message
                + (commit.isEmpty() ? "" : " (commit " + commit.substring(0, Math.min(12, commit.length())) + ")");
    }
}
