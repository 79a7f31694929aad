package dev.hallpass.audit;

import dev.hallpass.request.Login;
import dev.hallpass.request.RequestId;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A retroactive review of an emergency request, kept in git as {@code audit/reviews/<request>.yaml} and
 * committed with {@code Hallpass-Action: attest} or {@code reject}. See {@link AttestationYaml} for the file.
 *
 * @param pullRequest the emergency request's pull request
 * @param note what the reviewer wrote, free text (may be empty)
 * @param at when the review was given (to the second)
 * @param tampered true when the review comment was edited or deleted after Hallpass read it
 * @param comment the id of the {@code /hallpass approve|reject} comment it was recorded from (none for a pull request
 *     review): one comment is recorded once, so a replayed delivery of it cannot record it again
 */
public record Attestation(
        RequestId request,
        int pullRequest,
        Outcome outcome,
        Login reviewer,
        String note,
        Instant at,
        boolean tampered,
        OptionalLong comment) {

    public static final String DIRECTORY = "audit/reviews/";
    public static final int MAX_NOTE_LENGTH = 2000;

    public enum Outcome {
        APPROVE,
        REJECT;

        public String word() {
            return this == APPROVE ? "approve" : "reject";
        }
    }

    public Attestation {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reviewer, "reviewer");
        Objects.requireNonNull(at, "at");
        note = note == null ? "" : note;
        if (pullRequest <= 0) {
            throw new IllegalArgumentException("pull_request must be positive");
        }
        if (note.length() > MAX_NOTE_LENGTH) {
            throw new IllegalArgumentException("note is longer than " + MAX_NOTE_LENGTH + " characters");
        }
        at = at.truncatedTo(ChronoUnit.SECONDS);
        Objects.requireNonNull(comment, "comment");
        if (comment.isPresent() && comment.getAsLong() <= 0) {
            throw new IllegalArgumentException("comment must be positive");
        }
    }

    /** An attestation not recorded from a comment. */
    public Attestation(
            RequestId request,
            int pullRequest,
            Outcome outcome,
            Login reviewer,
            String note,
            Instant at,
            boolean tampered) {
        this(request, pullRequest, outcome, reviewer, note, at, tampered, OptionalLong.empty());
    }

    /** The same attestation, marked as tampered. */
    public Attestation asTampered() {
        return new Attestation(request, pullRequest, outcome, reviewer, note, at, true, comment);
    }

    /** Where this attestation lives in the access repository. */
    public String path() {
        return path(request);
    }

    public static String path(RequestId request) {
        return DIRECTORY + request.value() + ".yaml";
    }
}
