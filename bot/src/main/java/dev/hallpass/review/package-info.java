/**
 * Retroactive review of emergency (break-glass) access: {@link dev.hallpass.review.RetroReview}.
 *
 * <p>Break-glass access is acceptable only if every use is reviewed afterwards and the review is in git:
 * an approver of the role in the environment attests on the merged pull request, and Hallpass commits
 * {@code audit/reviews/<id>.yaml} with the audit's trailers (see {@link dev.hallpass.audit}). Emergencies are
 * found from the default branch's history through the gateway ({@link dev.hallpass.review.EmergencyIndex}),
 * not from labels, so what the escalation and the policy see agrees with what {@code hallpass audit}
 * reconstructs from a clone.
 */
package dev.hallpass.review;
