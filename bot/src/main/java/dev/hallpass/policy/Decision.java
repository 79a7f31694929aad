package dev.hallpass.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The access decision for one pull request, read from {@code data.hallpass.access.decision} (see
 * policies/README.md). A value with reasons: every violation, blocker and passed rule carries a stable
 * code. {@link #failClosed} builds the decision Hallpass acts on when no policy answer can be had.
 */
public record Decision(
        String kind,
        boolean allow,
        boolean autoMerge,
        String outcome,
        int requiredApprovals,
        int approvals,
        List<String> approvedBy,
        List<String> eligibleApprovers,
        long maxDurationSeconds,
        Optional<Instant> retroReviewDue,
        List<Reason> violations,
        List<Reason> emergencyBlockers,
        List<Reason> reasons) {

    /** Outcome when the policy could not be evaluated; never merges. */
    public static final String OUTCOME_ERROR = "error";

    public Decision {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(outcome, "outcome");
        approvedBy = List.copyOf(approvedBy);
        eligibleApprovers = List.copyOf(eligibleApprovers);
        Objects.requireNonNull(retroReviewDue, "retroReviewDue");
        violations = List.copyOf(violations);
        emergencyBlockers = List.copyOf(emergencyBlockers);
        reasons = List.copyOf(reasons);
        if (autoMerge && (!allow || !violations.isEmpty())) {
            throw new IllegalArgumentException("a decision that merges must allow and have no violations");
        }
    }

    /** A stable code and a sentence for people. */
    public record Reason(String code, String message) {
        public Reason {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }

    /** The decision when the policy engine failed: deny, never merge, say why. */
    public static Decision failClosed(String code, String message) {
        return new Decision(
                "unknown",
                false,
                false,
                OUTCOME_ERROR,
                0,
                0,
                List.of(),
                List.of(),
                0,
                Optional.empty(),
                List.of(new Reason(code, message)),
                List.of(),
                List.of());
    }

    /**
     * Reads a decision document. Anything malformed fails closed: a policy that answers nonsense must not
     * be able to merge.
     */
    public static Decision fromJson(JsonNode doc) {
        if (doc == null || !doc.isObject()) {
            return failClosed("policy.decision_malformed", "the policy's decision is not an object");
        }
        JsonNode allow = doc.get("allow");
        JsonNode autoMerge = doc.get("auto_merge");
        if (allow == null || !allow.isBoolean() || autoMerge == null || !autoMerge.isBoolean()) {
            return failClosed("policy.decision_malformed", "the policy's decision lacks boolean allow/auto_merge");
        }
        List<Reason> violations = reasons(doc.get("violations"));
        Optional<Instant> due = Optional.empty();
        JsonNode dueNode = doc.get("retro_review_due");
        if (dueNode != null && dueNode.isTextual()) {
            try {
                due = Optional.of(Instant.parse(dueNode.asText()));
            } catch (DateTimeParseException e) {
                return failClosed(
                        "policy.decision_malformed", "retro_review_due is not an RFC 3339 time: " + dueNode.asText());
            }
        }
        boolean merge = autoMerge.asBoolean() && allow.asBoolean() && violations.isEmpty();
        return new Decision(
                doc.path("kind").asText("other"),
                allow.asBoolean(),
                merge,
                doc.path("outcome").asText(merge ? "merge" : "deny"),
                doc.path("required_approvals").asInt(0),
                doc.path("approvals").asInt(0),
                strings(doc.get("approved_by")),
                strings(doc.get("eligible_approvers")),
                doc.path("max_duration_seconds").asLong(0),
                due,
                violations,
                reasons(doc.get("emergency_blockers")),
                reasons(doc.get("reasons")));
    }

    /** The decision document in the policy's own shape (snake_case), as the audit and the CLI show it. */
    public com.fasterxml.jackson.databind.node.ObjectNode toJson() {
        var f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        var o = f.objectNode();
        o.put("kind", kind);
        o.put("allow", allow);
        o.put("auto_merge", autoMerge);
        o.put("outcome", outcome);
        o.put("required_approvals", requiredApprovals);
        o.put("approvals", approvals);
        approvedBy.forEach(o.putArray("approved_by")::add);
        eligibleApprovers.forEach(o.putArray("eligible_approvers")::add);
        o.put("max_duration_seconds", maxDurationSeconds);
        retroReviewDue.ifPresentOrElse(
                d -> o.put("retro_review_due", d.toString()), () -> o.putNull("retro_review_due"));
        var v = o.putArray("violations");
        violations.forEach(r -> v.addObject().put("code", r.code()).put("message", r.message()));
        var b = o.putArray("emergency_blockers");
        emergencyBlockers.forEach(r -> b.addObject().put("code", r.code()).put("message", r.message()));
        var rs = o.putArray("reasons");
        reasons.forEach(r -> rs.addObject().put("code", r.code()).put("message", r.message()));
        return o;
    }

    /** The codes of every violation and blocker, for labels, logs and the audit trailer. */
    public List<String> codes() {
        List<String> out = new ArrayList<>();
        violations.forEach(r -> out.add(r.code()));
        emergencyBlockers.forEach(r -> out.add(r.code()));
        return out;
    }

    private static List<Reason> reasons(JsonNode n) {
        List<Reason> out = new ArrayList<>();
        if (n != null && n.isArray()) {
            for (JsonNode r : n) {
                out.add(new Reason(
                        r.path("code").asText("unknown"), r.path("message").asText("")));
            }
        }
        return out;
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n != null && n.isArray()) {
            n.forEach(x -> out.add(x.asText()));
        }
        return out;
    }
}
