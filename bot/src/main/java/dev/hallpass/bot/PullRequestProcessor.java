package dev.hallpass.bot;

import dev.hallpass.evaluation.AccessEvaluator;
import dev.hallpass.evaluation.DecisionReport;
import dev.hallpass.evaluation.Evaluation;
import dev.hallpass.github.ChangedFile;
import dev.hallpass.github.CheckReport;
import dev.hallpass.github.GitHubGateway;
import dev.hallpass.github.MergeResult;
import dev.hallpass.github.PullRequest;
import dev.hallpass.github.RepoName;
import dev.hallpass.github.Review;
import dev.hallpass.observe.HallpassMetrics;
import dev.hallpass.observe.Logs;
import dev.hallpass.policy.Decision;
import dev.hallpass.policy.PolicyInput;
import dev.hallpass.policy.PullRequestFacts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates one pull request against current GitHub state and acts on the decision: one check run, one
 * sticky comment, labels, and — only when the policy says so — a merge pinned to the evaluated head sha.
 * Safe to run any number of times: it reads state afresh and its writes are idempotent.
 */
public final class PullRequestProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(PullRequestProcessor.class);

    public static final String LABEL_EMERGENCY = "hallpass:emergency";
    public static final String LABEL_RETRO_REVIEW = "hallpass:retro-review-required";

    /** Writes the merge commit's message (title and body with trailers) for an evaluation. */
    public interface MergeMessages {
        String title(PullRequest pr, Evaluation e);

        String body(PullRequest pr, Evaluation e);
    }

    /** What one run did, for logs, tests and benchmarks. */
    public record Outcome(
            RepoName repo, int number, Optional<Evaluation> evaluation, Optional<MergeResult> merge, String note) {}

    private final GitHubGateway github;
    private final AccessEvaluator evaluator;
    private final GitHubRepoTree.Cache cache;
    private final Function<RepoName, PolicyInput.State> state;
    private final Set<String> botLogins;
    private final MergeMessages messages;
    private final boolean dryRun;
    private final RepositoryLock lock;

    /** A processor with an {@link InProcessRepositoryLock}: enough when one process serves the repositories. */
    public PullRequestProcessor(
            GitHubGateway github,
            AccessEvaluator evaluator,
            GitHubRepoTree.Cache cache,
            Function<RepoName, PolicyInput.State> state,
            Set<String> botLogins,
            MergeMessages messages,
            boolean dryRun) {
        this(github, evaluator, cache, state, botLogins, messages, dryRun, new InProcessRepositoryLock());
    }

    /**
     * @param state the live emergencies and overdue reviews; read afresh for every decision to merge an emergency
     * @param lock serialises emergency merges per repository (see {@link RepositoryLock})
     */
    public PullRequestProcessor(
            GitHubGateway github,
            AccessEvaluator evaluator,
            GitHubRepoTree.Cache cache,
            Function<RepoName, PolicyInput.State> state,
            Set<String> botLogins,
            MergeMessages messages,
            boolean dryRun,
            RepositoryLock lock) {
        this.github = github;
        this.evaluator = evaluator;
        this.cache = cache;
        this.state = state;
        this.botLogins = Set.copyOf(
                botLogins.stream().map(l -> l.toLowerCase(Locale.ROOT)).toList());
        this.messages = messages;
        this.dryRun = dryRun;
        this.lock = java.util.Objects.requireNonNull(lock, "lock");
    }

    public boolean isBot(String login) {
        return botLogins.contains(login.toLowerCase(Locale.ROOT));
    }

    public Outcome process(RepoName repo, int number) {
        try (Logs.Scope scope =
                Logs.context("repo", repo.toString(), "pr", Integer.toString(number), "request", null)) {
            return processNow(repo, number);
        }
    }

    private Outcome processNow(RepoName repo, int number) {
        PullRequest pr = github.pullRequest(repo, number);
        if (pr.state() != PullRequest.State.OPEN) {
            return new Outcome(repo, number, Optional.empty(), Optional.empty(), "closed: nothing to evaluate");
        }
        // The files from the two commits themselves, not the pull request's current file list: a force-push after the
        // pull request was read would otherwise let one commit be judged and another merged. The merge below is
        // pinned to this same head sha.
        List<ChangedFile> files =
                github.compareFiles(repo, pr.base().sha(), pr.head().sha());
        List<Review> reviews = github.reviews(repo, number);
        PullRequestFacts facts = facts(pr, files, reviews);
        GitHubRepoTree base = new GitHubRepoTree(github, repo, pr.base().sha(), cache);
        GitHubRepoTree head = new GitHubRepoTree(github, repo, pr.head().sha(), cache);
        Judged first = judge(repo, pr, base, head, facts);
        if (first.failed().isPresent()) {
            return first.failed().get();
        }
        Evaluation e = first.evaluation();
        if (!dryRun && !pr.draft() && e.decision().autoMerge() && emergencyPath(e)) {
            // The live-grant cap holds only if no other emergency merges between reading the state and merging:
            // judge again under the repository's lock, with the state as it is now (merges just made included).
            return lock.withLock(repo, () -> {
                Judged again = judge(repo, pr, base, head, facts);
                return again.failed().orElseGet(() -> act(repo, pr, again.evaluation()));
            });
        }
        return act(repo, pr, e);
    }

    /** An emergency merged without approvals counts against {@code emergency.max_live_grants}. */
    private static boolean emergencyPath(Evaluation e) {
        String kind = e.decision().kind();
        return kind.equals("emergency")
                || (kind.equals("extension")
                        && e.request().map(r -> r.emergency()).orElse(false));
    }

    /** An evaluation, or the outcome of failing closed when the state cannot be read. */
    private record Judged(Evaluation evaluation, Optional<Outcome> failed) {}

    private Judged judge(
            RepoName repo, PullRequest pr, GitHubRepoTree base, GitHubRepoTree head, PullRequestFacts facts) {
        int number = pr.number();
        PolicyInput.State current;
        try {
            current = state.apply(repo);
        } catch (RuntimeException ex) {
            // Without the live emergencies and overdue reviews the emergency rules cannot be judged: fail closed.
            LOG.warn("{}#{}: cannot read the emergency state: {}", repo, number, ex.toString());
            if (!dryRun) {
                github.publishCheck(
                        repo,
                        pr.head().sha(),
                        new CheckReport(
                                CheckReport.Conclusion.FAILURE,
                                "Cannot decide (failing closed)",
                                "Hallpass could not read the live emergency grants and overdue reviews from git ("
                                        + ex.getMessage()
                                        + "). Nothing is merged or granted; it evaluates again on the next push,"
                                        + " review or resync.",
                                ""));
            }
            return new Judged(
                    null,
                    Optional.of(
                            new Outcome(repo, number, Optional.empty(), Optional.empty(), "error: state unavailable")));
        }
        return new Judged(evaluator.evaluate(base, head, facts, current), Optional.empty());
    }

    private Outcome act(RepoName repo, PullRequest pr, Evaluation e) {
        int number = pr.number();
        Decision d = e.decision();
        e.request().ifPresent(r -> org.slf4j.MDC.put("request", r.id().value()));
        HallpassMetrics.shared().evaluation(d.outcome(), e.took());
        LOG.info(
                "{}#{} at {}: {} ({}) in {} ms",
                repo,
                number,
                pr.head().sha().substring(0, 7),
                d.outcome(),
                String.join(",", d.codes()),
                e.took().toMillis());
        if (dryRun) {
            return new Outcome(repo, number, Optional.of(e), Optional.empty(), "dry run: nothing written");
        }
        github.publishCheck(repo, pr.head().sha(), check(e));
        github.upsertStickyComment(repo, number, DecisionReport.comment(e));
        if (!d.autoMerge()) {
            return new Outcome(repo, number, Optional.of(e), Optional.empty(), d.outcome());
        }
        if (pr.draft()) {
            return new Outcome(repo, number, Optional.of(e), Optional.empty(), "draft: not merged");
        }
        MergeResult merge = github.merge(repo, number, pr.head().sha(), messages.title(pr, e), messages.body(pr, e));
        if (merge.isMerged()) {
            if (d.kind().equals("emergency")
                    || (d.kind().equals("extension")
                            && e.request().map(r -> r.emergency()).orElse(false))) {
                github.addLabels(repo, number, Set.of(LABEL_EMERGENCY, LABEL_RETRO_REVIEW));
            }
        } else if (merge.outcome() == MergeResult.Outcome.NOT_MERGEABLE) {
            github.comment(
                    repo,
                    number,
                    "Hallpass could not merge this pull request: GitHub says it is not mergeable (" + merge.message()
                            + "). Resolve the conflict and push again; nothing was granted.");
        }
        // HEAD_CHANGED needs no comment: the push that changed the head triggers a fresh evaluation.
        return new Outcome(
                repo,
                number,
                Optional.of(e),
                Optional.of(merge),
                merge.outcome().name().toLowerCase(Locale.ROOT));
    }

    static CheckReport check(Evaluation e) {
        CheckReport.Conclusion c =
                switch (DecisionReport.conclusion(e.decision())) {
                    case SUCCESS -> CheckReport.Conclusion.SUCCESS;
                    case NEUTRAL -> CheckReport.Conclusion.NEUTRAL;
                    case ACTION_REQUIRED -> CheckReport.Conclusion.ACTION_REQUIRED;
                    case FAILURE -> CheckReport.Conclusion.FAILURE;
                };
        String summary = DecisionReport.markdown(e);
        if (summary.length() > 60_000) {
            summary = summary.substring(0, 60_000) + "\n\n… (cut)";
        }
        return new CheckReport(c, DecisionReport.title(e), summary, "");
    }

    /**
     * Facts for the policy. Only each reviewer's latest approving or blocking review counts; comments do not
     * change a reviewer's state, and a dismissal removes it.
     */
    PullRequestFacts facts(PullRequest pr, List<ChangedFile> files, List<Review> reviews) {
        Map<String, PullRequestFacts.ReviewFact> latest = new LinkedHashMap<>();
        for (Review r : reviews) {
            switch (r.state()) {
                case APPROVED, CHANGES_REQUESTED, DISMISSED -> latest.put(
                        r.reviewer().toLowerCase(Locale.ROOT),
                        new PullRequestFacts.ReviewFact(
                                r.reviewer(), r.state().name(), r.commitId().orElse("")));
                default -> {}
            }
        }
        List<PullRequestFacts.ChangedFile> changed = new ArrayList<>();
        for (ChangedFile f : files) {
            changed.add(new PullRequestFacts.ChangedFile(f.path(), f.status().wireName(), f.previousPath()));
        }
        return new PullRequestFacts(
                pr.number(),
                pr.author(),
                isBot(pr.author()),
                pr.head().sha(),
                pr.base().sha(),
                changed,
                List.copyOf(latest.values()));
    }
}
