package dev.hallpass.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hallpass.policy.Decision;
import dev.hallpass.request.AccessRequest;
import dev.hallpass.request.Problem;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of evaluating one pull request: the decision, what it was made from, and a digest of both
 * (the {@code Hallpass-Decision} trailer) so the audit can later prove what was decided on what input.
 *
 * @param request the request at the head commit, when it parsed cleanly
 * @param previous the same request at the base commit, when this is an extension
 * @param removed requests deleted by this pull request (early revoke or expiry)
 * @param problems problems found in the pull request's files or in the base configuration
 * @param digest SHA-256 over the canonical input and decision
 */
public record Evaluation(
        Decision decision,
        Optional<AccessRequest> request,
        Optional<AccessRequest> previous,
        List<AccessRequest> removed,
        List<Problem> problems,
        JsonNode input,
        String engine,
        Optional<String> decisionId,
        Duration took,
        String digest) {
    public Evaluation {
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(previous, "previous");
        removed = List.copyOf(removed);
        problems = List.copyOf(problems);
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(decisionId, "decisionId");
        Objects.requireNonNull(took, "took");
        Objects.requireNonNull(digest, "digest");
    }
}
