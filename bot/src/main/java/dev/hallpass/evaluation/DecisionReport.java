package dev.hallpass.evaluation;

import dev.hallpass.policy.Decision;
import dev.hallpass.request.AccessRequest;
import dev.hallpass.request.Problem;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Explains an evaluation in plain words, for the check run, the sticky comment, the Action's job summary
 * and the CLI: what was requested, which rules passed or failed, who can approve, what happens next.
 */
public final class DecisionReport {
    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** The check run's conclusion for an outcome, as GitHub names them. */
    public enum Conclusion {
        SUCCESS("success"),
        NEUTRAL("neutral"),
        ACTION_REQUIRED("action_required"),
        FAILURE("failure");

        public final String github;

        Conclusion(String github) {
            this.github = github;
        }
    }

    private DecisionReport() {}

    public static Conclusion conclusion(Decision d) {
        return switch (d.outcome()) {
            case "merge" -> Conclusion.SUCCESS;
            case "needs_platform_review", "not_an_access_request" -> Conclusion.NEUTRAL;
            case "wait_for_approval", "emergency_refused" -> d.violations().isEmpty()
                    ? Conclusion.ACTION_REQUIRED
                    : Conclusion.FAILURE;
            default -> Conclusion.FAILURE;
        };
    }

    /** One line: the check run's title. */
    public static String title(Evaluation e) {
        Decision d = e.decision();
        String what = e.request().map(DecisionReport::shortRequest).orElse("");
        String sep = what.isEmpty() ? "" : ": " + what;
        return switch (d.outcome()) {
            case "merge" -> (d.kind().equals("emergency") ? "Emergency access allowed" : "Allowed") + sep;
            case "wait_for_approval" -> "Waiting for " + (d.requiredApprovals() - d.approvals()) + " approval(s)" + sep;
            case "emergency_refused" -> "Emergency auto-merge refused" + sep;
            case "needs_platform_review" -> "Configuration change: needs the platform team's review";
            case "not_an_access_request" -> "Not an access request";
            case Decision.OUTCOME_ERROR -> "Cannot decide (failing closed)";
            default -> "Denied" + sep;
        };
    }

    private static String shortRequest(AccessRequest r) {
        return r.role() + " in " + r.environment() + " for " + r.requester() + ", " + r.duration();
    }

    /** Markdown for the check run's summary, with which engine decided, how fast, and the decision digest. */
    public static String markdown(Evaluation e) {
        return markdown(e, true);
    }

    /**
     * Markdown for the sticky comment: without the timing and digest, which change on every evaluation, so
     * an unchanged decision leaves the comment untouched.
     */
    public static String comment(Evaluation e) {
        return markdown(e, false);
    }

    private static String markdown(Evaluation e, boolean footer) {
        Decision d = e.decision();
        StringBuilder sb = new StringBuilder();
        sb.append("### Hallpass: ").append(title(e)).append("\n\n");
        e.request().ifPresent(r -> {
            sb.append("| | |\n|---|---|\n");
            sb.append("| requester | @").append(r.requester()).append(" |\n");
            sb.append("| role | `")
                    .append(r.role())
                    .append("` in `")
                    .append(r.environment())
                    .append("` |\n");
            sb.append("| duration | ").append(r.duration());
            e.previous().ifPresent(p -> sb.append(" (was ").append(p.duration()).append(": an extension)"));
            sb.append(" |\n");
            sb.append("| starts | ")
                    .append(r.start().map(WHEN::format).orElse("when merged"))
                    .append(" |\n");
            sb.append("| emergency | ")
                    .append(r.emergency() ? "yes, incident " + r.incident().orElse("?") : "no")
                    .append(" |\n");
            sb.append("| reason | ").append(escape(r.reason())).append(" |\n\n");
        });
        if (!e.removed().isEmpty()) {
            sb.append("Removes ").append(e.removed().size()).append(" request(s): ");
            sb.append(String.join(
                    ", ",
                    e.removed().stream()
                            .map(r -> "`" + r.id() + "` (" + r.requester() + ", " + r.role() + ")")
                            .toList()));
            sb.append(". Access ends when this merges.\n\n");
        }
        if (!d.violations().isEmpty()) {
            sb.append("**Why not:**\n\n");
            d.violations().forEach(v -> sb.append("- :x: ")
                    .append(escape(v.message()))
                    .append(" (`")
                    .append(v.code())
                    .append("`)\n"));
            sb.append('\n');
        }
        if (!d.emergencyBlockers().isEmpty()) {
            sb.append("**Not merged as an emergency because:**\n\n");
            d.emergencyBlockers().forEach(v -> sb.append("- :warning: ")
                    .append(escape(v.message()))
                    .append(" (`")
                    .append(v.code())
                    .append("`)\n"));
            sb.append('\n');
        }
        if (!d.reasons().isEmpty()) {
            sb.append("**Checked:**\n\n");
            d.reasons().forEach(r -> sb.append("- ")
                    .append(r.code().endsWith("_ignored") ? ":information_source: " : ":white_check_mark: ")
                    .append(escape(r.message()))
                    .append('\n'));
            sb.append('\n');
        }
        sb.append("**Next:** ").append(next(e)).append("\n");
        List<Problem> problems = e.problems();
        if (!problems.isEmpty()) {
            sb.append("\n<details><summary>")
                    .append(problems.size())
                    .append(" problem(s) in the files</summary>\n\n```\n");
            problems.stream().limit(50).forEach(p -> sb.append(p.format()).append('\n'));
            sb.append("```\n</details>\n");
        }
        if (!footer) {
            return sb.toString();
        }
        sb.append("\n<sub>Decided by ")
                .append(e.engine())
                .append(" in ")
                .append(millis(e.took()))
                .append(" · decision `sha256:")
                .append(e.digest(), 0, 12)
                .append('`');
        // OPA's decision id is the key into its decision logs: an auditor goes from the check to the log entry.
        e.decisionId()
                .ifPresent(id -> sb.append(" · OPA decision id `").append(id).append('`'));
        sb.append("</sub>\n");
        return sb.toString();
    }

    static String next(Evaluation e) {
        Decision d = e.decision();
        String approvers = d.eligibleApprovers().isEmpty()
                ? "nobody (the catalog names no eligible approver)"
                : String.join(
                        ", ", d.eligibleApprovers().stream().map(l -> "@" + l).toList());
        return switch (d.outcome()) {
            case "merge" -> switch (d.kind()) {
                case "emergency" -> "Hallpass merges this now and grants access. A retroactive review by one of "
                        + approvers + " is due by "
                        + d.retroReviewDue().map(WHEN::format).orElse("the deadline")
                        + ": approve this pull request or comment `/hallpass approve`.";
                case "revoke" -> "Hallpass merges this now and revokes the access.";
                case "expiry" -> "Hallpass merges this: the access has expired and was revoked.";
                default -> "Hallpass merges this now and grants access.";
            };
            case "wait_for_approval", "emergency_refused" -> "Needs " + d.requiredApprovals()
                    + " approval(s) on the latest commit from " + approvers + " (" + d.approvals()
                    + " so far). A new push voids earlier approvals.";
            case "needs_platform_review" -> "Hallpass never merges changes to policies, the catalog, settings, on-call or .github/: the platform team reviews and merges this.";
            case "not_an_access_request" -> "Nothing for Hallpass to do.";
            case Decision
                    .OUTCOME_ERROR -> "Nothing is merged or granted until this is fixed; Hallpass evaluates again on the next push, review or resync.";
            default -> "Fix the problems above and push again.";
        };
    }

    /** Plain text for a terminal. */
    public static String text(Evaluation e) {
        Decision d = e.decision();
        StringBuilder sb = new StringBuilder();
        sb.append(title(e)).append('\n');
        sb.append("  kind: ")
                .append(d.kind())
                .append(", outcome: ")
                .append(d.outcome())
                .append(", allow: ")
                .append(d.allow())
                .append(", auto_merge: ")
                .append(d.autoMerge())
                .append('\n');
        d.violations().forEach(v -> sb.append("  violation ")
                .append(v.code())
                .append(": ")
                .append(v.message())
                .append('\n'));
        d.emergencyBlockers().forEach(v -> sb.append("  blocker ")
                .append(v.code())
                .append(": ")
                .append(v.message())
                .append('\n'));
        d.reasons().forEach(v -> sb.append("  ok ")
                .append(v.code())
                .append(": ")
                .append(v.message())
                .append('\n'));
        e.problems().forEach(p -> sb.append("  ").append(p.format()).append('\n'));
        sb.append("  next: ").append(next(e)).append('\n');
        return sb.toString();
    }

    private static String millis(Duration d) {
        return String.format(Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
    }

    private static String escape(String s) {
        return s.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ");
    }
}
