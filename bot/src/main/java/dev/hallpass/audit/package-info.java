/**
 * The audit trail: git history of the access repository's default branch answers "who had what access,
 * when, why, and who approved it" with no other system.
 *
 * <p><b>Files are the truth, trailers are claims.</b> A request file {@code requests/<id>.yaml} added by a
 * first-parent commit is a grant (from the merge, or from the file's {@code start} when later), modified is
 * an extension (expiry = start + the new duration), deleted is the end of access. {@link
 * dev.hallpass.audit.AuditLog} rebuilds one {@link dev.hallpass.audit.AuditRow} per request from those
 * changes and then cross-checks what the commit message claims; pull request numbers, approvers and
 * decision codes exist only in trailers, so they are reported as claims that agreed with the files or as
 * findings.
 *
 * <p><b>Commit trailers</b> ({@link dev.hallpass.audit.Trailers}), in the last paragraph of every commit
 * Hallpass makes or asks GitHub to make (build them with {@link dev.hallpass.audit.CommitMessages}):
 *
 * <pre>
 * Hallpass-Request: &lt;request id&gt;
 * Hallpass-Action: grant | extend | revoke | expire | attest | reject
 * Hallpass-Pull-Request: &lt;n&gt;              the request's PR (grant/extend/attest), the revert PR (expire/revoke)
 * Hallpass-Requester: &lt;login&gt;
 * Hallpass-Emergency: true | false            grant/extend
 * Hallpass-Approved-By: a, b | -             grant/extend: approvals on the merged head; "-" is none
 * Hallpass-Reviewer: &lt;login&gt;               attest/reject
 * Hallpass-Revoked-By: &lt;login&gt;             revoke
 * Hallpass-Expires-At: &lt;RFC 3339, UTC, seconds&gt;   grant/extend/expire
 * Hallpass-Decision: sha256:&lt;64 hex&gt;       grant/extend: digest of the canonical policy input and decision
 * Hallpass-Policy-Commit: &lt;sha&gt;            grant/extend: the base commit whose policies judged it
 * Hallpass-Codes: code, code                 grant/extend: the decision codes
 * </pre>
 *
 * Parsing is strict and never throws: a malformed value, a repeated or unknown {@code Hallpass-} key, or a
 * {@code Hallpass-} line outside the trailer block is a {@code malformed_trailer} finding. Access pull
 * requests must be merged with a merge commit or a squash (the merge API's {@code commit_title} and {@code
 * commit_message}), never rebased, so exactly one first-parent commit carries the change and its trailers.
 *
 * <p><b>Findings</b> ({@link dev.hallpass.audit.Finding}). Integrity (fail {@code audit verify}): {@code
 * merged_outside_hallpass}, {@code changed_outside_hallpass} (an extension, deletion or review without
 * trailers), {@code inconsistent_trailer} (a claim that disagrees with the files: another request, requester,
 * emergency flag, expiry or action, or a claim about a request the commit does not touch), {@code
 * malformed_trailer}, {@code policy_commit_unknown} (not an earlier commit of the branch), {@code
 * request_rewritten} (an extension changed more than the duration), {@code review_deleted}, {@code
 * bad_signature}, {@code unsigned}, {@code history_rewritten}. Compliance: {@code self_approval}, {@code
 * no_approvers} (none, where the role needs approvals in the environment), {@code approver_not_eligible} and {@code too_few_approvals} (claimed approvers against the
 * catalog at the policy commit), {@code not_in_catalog}, {@code changes_beyond_request} (the merge of an
 * access pull request changed more than its request file), {@code self_review}, {@code reviewer_not_eligible},
 * {@code review_tampered}, {@code review_rejected}, {@code review_overdue}, {@code review_for_unknown_request},
 * {@code request_id_reused}, {@code unreadable_file}. Git cannot prove an approval happened on GitHub; the
 * audit proves the claim is well-formed, made by Hallpass's message, and possible under the policy then.
 *
 * <p><b>Retroactive reviews are files, not git notes.</b> An emergency request's review is {@code
 * audit/reviews/<request-id>.yaml} ({@link dev.hallpass.audit.Attestation}, {@link
 * dev.hallpass.audit.AttestationYaml}), committed with {@code Hallpass-Action: attest} or {@code reject}
 * ({@link dev.hallpass.audit.Attestations#record}). Files survive everything the audit trail must: GitHub's
 * UI and API, every clone and fork, mirrors and backups; they go through the same branch protection and
 * pull request review as everything else; and anyone can read them in the web UI. Git notes live in {@code
 * refs/notes/*}, which {@code git clone} and {@code git fetch} do not fetch by default, GitHub neither shows
 * nor protects, and a force-push to a notes ref rewrites them without any trace on the branch. A review by
 * the requester, or one whose comment was edited or deleted ({@code tampered: true}), is recorded but does
 * not count.
 *
 * <p><b>Integrity.</b> {@link dev.hallpass.audit.Checkpoint} keeps the last audited commit in {@code
 * refs/hallpass/audited}; {@code hallpass audit verify} fails when it is no longer an ancestor of the branch
 * (history rewritten or force-pushed) or when any {@link dev.hallpass.audit.Finding.Kind#INTEGRITY} finding
 * exists. Optional SSH signatures on the commits Hallpass creates locally are made and checked by {@link
 * dev.hallpass.audit.CommitSigning} (Ed25519 only; see there for what is not supported). The JSON Lines
 * export is hash-chained ({@link dev.hallpass.audit.JsonlChain}) so a copy handed to a SIEM can be checked
 * line by line.
 *
 * <p><b>Speed.</b> One first-parent {@code RevWalk} reads each commit and its root tree once; only when the
 * {@code requests/} or {@code audit/reviews/} subtree id differs from the parent's is the subtree diffed, and
 * request files are parsed on every core before the sequential pass. {@code hallpass bench audit} measures
 * it on 100 000 commits and 20 000 requests.
 */
package dev.hallpass.audit;
