package dev.hallpass.bot;

import dev.hallpass.audit.CommitMessages;
import dev.hallpass.audit.DecisionStamp;
import dev.hallpass.audit.Trailers;
import dev.hallpass.evaluation.Evaluation;
import dev.hallpass.github.PullRequest;
import dev.hallpass.request.AccessRequest;
import dev.hallpass.request.Login;
import dev.hallpass.request.RequestId;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Merge messages with the audit's trailers ({@code Hallpass-Request}, {@code Hallpass-Action},
 * {@code Hallpass-Decision}, {@code Hallpass-Policy-Commit}, ...), so every merge Hallpass makes carries
 * the claims the audit later checks against the files.
 */
public final class AuditedMergeMessages implements PullRequestProcessor.MergeMessages {
    private final Clock clock;
    private final Function<RequestId, Optional<Instant>> startOf;

    /**
     * @param startOf when a live request started (for an extension, whose expiry counts from the original
     *     start); empty for a new request
     */
    public AuditedMergeMessages(Clock clock, Function<RequestId, Optional<Instant>> startOf) {
        this.clock = clock;
        this.startOf = startOf;
    }

    @Override
    public String title(PullRequest pr, Evaluation e) {
        return message(pr, e).lines().findFirst().orElse("Hallpass merge (#" + pr.number() + ")");
    }

    @Override
    public String body(PullRequest pr, Evaluation e) {
        String m = message(pr, e);
        int nl = m.indexOf('\n');
        return nl < 0 ? "" : m.substring(nl + 1).strip();
    }

    private String message(PullRequest pr, Evaluation e) {
        // An id OPA gave that does not look like one is left out rather than failing the merge message.
        DecisionStamp stamp = new DecisionStamp(
                "sha256:" + e.digest(),
                pr.base().sha(),
                e.decision().codes(),
                e.decisionId()
                        .filter(id -> Trailers.DECISION_ID_SHAPE.matcher(id).matches()));
        List<Login> approvers =
                e.decision().approvedBy().stream().map(Login::new).toList();
        Instant now = clock.instant();
        String kind = e.decision().kind();
        if ((kind.equals("emergency") || kind.equals("normal")) && e.request().isPresent()) {
            AccessRequest r = e.request().get();
            Instant start = r.start().filter(s -> s.isAfter(now)).orElse(now);
            return CommitMessages.grant(
                    r, pr.number(), approvers, stamp, start.plus(r.duration().value()));
        }
        if (kind.equals("extension") && e.request().isPresent()) {
            AccessRequest r = e.request().get();
            Instant start = startOf.apply(r.id()).orElse(now);
            return CommitMessages.extend(
                    r, pr.number(), approvers, stamp, start.plus(r.duration().value()));
        }
        Optional<AccessRequest> removed = e.removed().stream().findFirst();
        if (kind.equals("revoke") && removed.isPresent()) {
            return CommitMessages.revoke(
                    removed.get(), pr.number(), new Login(pr.author()), "the request file was deleted");
        }
        if (kind.equals("expiry") && removed.isPresent()) {
            AccessRequest r = removed.get();
            Instant expired =
                    startOf.apply(r.id()).map(s -> s.plus(r.duration().value())).orElse(now);
            return CommitMessages.expire(r, pr.number(), expired);
        }
        return "Hallpass merge (#" + pr.number() + ")\n\nHallpass-Decision: sha256:" + e.digest() + "\n";
    }
}
