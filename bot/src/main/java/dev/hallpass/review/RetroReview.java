package dev.hallpass.review;

import dev.hallpass.audit.Attestation;
import dev.hallpass.audit.AttestationYaml;
import dev.hallpass.audit.CommitMessages;
import dev.hallpass.audit.Trailers;
import dev.hallpass.bot.GitHubRepoTree;
import dev.hallpass.bot.HallpassBot;
import dev.hallpass.bot.PullRequestProcessor;
import dev.hallpass.github.GitHubGateway;
import dev.hallpass.github.IssueComment;
import dev.hallpass.github.PullRequest;
import dev.hallpass.github.RepoName;
import dev.hallpass.github.WebhookEvent;
import dev.hallpass.policy.PolicyInput;
import dev.hallpass.request.AccessRepo;
import dev.hallpass.request.AccessRepoLoader;
import dev.hallpass.request.AccessRequest;
import dev.hallpass.request.Catalog;
import dev.hallpass.request.Login;
import dev.hallpass.request.RequestId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retroactive review of emergency access for one access repository.
 *
 * <p>An emergency request merged at once must be reviewed within {@code emergency.review_deadline} of its
 * merge by an approver of its role in its environment (never its requester, never the author of its pull
 * request). The review is given on the merged pull request: an approving GitHub review, {@code /hallpass
 * approve [note]}, or {@code /hallpass reject <note>}. Identity is the event's sender, never the comment text.
 * Each review is committed to the default branch as {@code audit/reviews/<id>.yaml} with the audit's
 * trailers, then the labels and a reply follow. An edited or deleted attestation comment is recorded as
 * tampered (a new commit) and reported.
 *
 * <p>Which requests are emergencies, when they merged and whether their review counts all come from git
 * ({@link EmergencyIndex}, the review files, the catalog and settings at the head), rebuilt only when the
 * head of the default branch moves, so {@link #state} and {@link #checkOverdue} cost one call when nothing
 * changed. Thread-safe: calls are serialised.
 */
public final class RetroReview {
    private static final Logger LOG = LoggerFactory.getLogger(RetroReview.class);

    public static final String LABEL_OVERDUE = "hallpass:review-overdue";
    public static final String LABEL_REVIEWED = "hallpass:reviewed";
    public static final String LABEL_REJECTED = "hallpass:review-rejected";
    // The command must open the comment, so a quote of someone else's command is not one.
    private static final Pattern COMMAND =
            Pattern.compile("\\A\\s*/hallpass[ \\t]+(approve|reject)(?=\\s|\\z)(.*)\\z", Pattern.DOTALL);
    private static final Pattern MARKER =
            Pattern.compile("<!-- hallpass:attestation comment=(\\d+) reviewer=([a-z0-9-]+) at=(\\S+) -->");

    /** What Hallpass did with one review command, review or comment change. */
    public record Result(boolean recorded, String reply) {}

    /** Everything read from git at one head of the default branch. */
    private record Snapshot(
            String head,
            Map<RequestId, Emergency> emergencies,
            Set<RequestId> requestFiles,
            Optional<Catalog> catalog,
            Optional<Duration> deadline) {}

    private final GitHubGateway github;
    private final RepoName repo;
    private final String branch;
    private final Clock clock;
    private final Set<String> botLogins;
    private final EmergencyIndex index;
    private final GitHubRepoTree.Cache cache = new GitHubRepoTree.Cache(2_000);
    private final AccessRepoLoader loader = new AccessRepoLoader();
    private final AttestationYaml yaml = new AttestationYaml();

    private Snapshot snapshot;
    // Review files read at a head; Hallpass's own writes update it, anything else is re-read at a new head.
    private final Map<RequestId, Optional<Attestation>> reviews = new HashMap<>();
    private String reviewsHead;
    private final Map<String, Optional<Instant>> expiries = new HashMap<>();
    private final Set<Integer> overdueNotified = new HashSet<>();

    /**
     * @param defaultBranch where requests are merged and reviews are committed (e.g. {@code main})
     * @param botLogins the logins Hallpass acts as, to recognise its own reply comments
     */
    public RetroReview(GitHubGateway github, RepoName repo, String defaultBranch, Set<String> botLogins, Clock clock) {
        this.github = Objects.requireNonNull(github, "github");
        this.repo = Objects.requireNonNull(repo, "repo");
        this.branch = Objects.requireNonNull(defaultBranch, "defaultBranch");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.botLogins = Set.copyOf(
                botLogins.stream().map(l -> l.toLowerCase(Locale.ROOT)).toList());
        this.index = new EmergencyIndex(github, repo, defaultBranch);
    }

    /** For {@code HallpassBot}: register next to the lifecycle's handler. */
    public HallpassBot.CommentHandler commentHandler() {
        return this::handleComment;
    }

    /** For the server's pull-request processor: the policy's view of emergencies in {@code repo}. */
    public Function<RepoName, PolicyInput.State> stateFunction() {
        return this::state;
    }

    /**
     * The policy state of several repositories, one {@code RetroReview} each; repositories without one get
     * {@link PolicyInput.State#empty()}.
     */
    public static Function<RepoName, PolicyInput.State> states(java.util.Collection<RetroReview> reviews) {
        Map<RepoName, RetroReview> byRepo = new HashMap<>();
        reviews.forEach(r -> byRepo.put(r.repo, r));
        return r -> {
            RetroReview x = byRepo.get(r);
            return x == null ? PolicyInput.State.empty() : x.state(r);
        };
    }

    /**
     * Runs {@link #checkOverdue} at the clock's now every {@code every} on {@code executor}; a failed check
     * (GitHub down) is logged and the next one tries again.
     */
    public java.util.concurrent.ScheduledFuture<?> scheduleOverdueChecks(
            java.util.concurrent.ScheduledExecutorService executor, Duration every) {
        java.util.concurrent.atomic.AtomicInteger overdueNow = new java.util.concurrent.atomic.AtomicInteger();
        dev.hallpass.observe.HallpassMetrics.shared().reviewsOverdue(repo.toString(), overdueNow::get);
        return executor.scheduleWithFixedDelay(
                () -> {
                    try {
                        List<PolicyInput.OverdueReview> overdue = checkOverdue(clock.instant());
                        if (!overdue.isEmpty()) {
                            LOG.info("{} retroactive review(s) overdue in {}", overdue.size(), repo);
                        }
                        overdueNow.set(state(repo).overdueReviews().size());
                    } catch (RuntimeException e) {
                        LOG.warn("overdue check of {} failed: {}", repo, e.getMessage());
                    }
                },
                0,
                every.toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** True when the event was a review command, an attesting review or a change to an attestation comment. */
    public boolean handleComment(WebhookEvent e) {
        return onWebhook(e).isPresent();
    }

    /** Routes a webhook; empty when it is not about a retroactive review. */
    public synchronized Optional<Result> onWebhook(WebhookEvent e) {
        if (!e.repo().equals(repo) || e.pullRequestNumber().isEmpty() || isBot(e.sender())) {
            return Optional.empty();
        }
        int number = e.pullRequestNumber().getAsInt();
        if (e.event().equals("issue_comment") && e.action().equals("created")) {
            Matcher m = COMMAND.matcher(e.commentBody().orElse(""));
            if (!m.matches()) {
                return Optional.empty();
            }
            Attestation.Outcome outcome =
                    m.group(1).equals("approve") ? Attestation.Outcome.APPROVE : Attestation.Outcome.REJECT;
            // A signed delivery can be replayed under a new delivery id: believe the comment only as GitHub holds it
            // now, by its sender, never edited.
            if (e.commentId().isEmpty()
                    || !asWritten(
                            number,
                            e.commentId().getAsLong(),
                            e.sender(),
                            e.commentBody().orElse(""))) {
                LOG.warn(
                        "{}#{}: review command of {} (comment {}) is not on GitHub as sent: edited, deleted or replayed;"
                                + " not recorded",
                        repo,
                        number,
                        e.sender(),
                        e.commentId());
                return Optional.of(new Result(false, "not recorded: the comment is not on GitHub as sent"));
            }
            return Optional.of(review(number, e.sender(), outcome, m.group(2).strip(), e.commentId(), true));
        }
        if (e.event().equals("issue_comment")
                && (e.action().equals("edited") || e.action().equals("deleted"))) {
            return e.commentId().isPresent()
                    ? tampered(number, e.commentId().getAsLong(), e.sender(), e.action())
                    : Optional.empty();
        }
        if (e.event().equals("pull_request_review")
                && e.action().equals("submitted")
                && e.reviewState().equals(Optional.of("APPROVED"))) {
            PullRequest pr = github.pullRequest(repo, number);
            if (!pr.merged() || emergencyOf(refresh(), number).isEmpty()) {
                return Optional.empty(); // an ordinary review; the processor handles open pull requests
            }
            return Optional.of(
                    review(number, e.sender(), Attestation.Outcome.APPROVE, "", OptionalLong.empty(), false));
        }
        return Optional.empty();
    }

    private Result review(
            int number,
            String sender,
            Attestation.Outcome outcome,
            String note,
            OptionalLong commentId,
            boolean command) {
        PullRequest pr = github.pullRequest(repo, number);
        if (!pr.merged()) {
            return reply(
                    number,
                    false,
                    "Retroactive reviews are given on merged emergency pull requests; #" + number + " is not merged.");
        }
        Snapshot s = refresh();
        Optional<Emergency> found = emergencyOf(s, number);
        if (found.isEmpty()) {
            return reply(number, false, "#" + number + " merged no emergency request: there is nothing to review.");
        }
        Emergency em = found.get();
        Optional<String> refusal = refusal(s, em, pr, sender);
        if (refusal.isPresent()) {
            LOG.warn("refused retroactive review of {} by {}: {}", em.request(), sender, refusal.get());
            return reply(number, false, "@" + sender + ": " + refusal.get());
        }
        if (outcome == Attestation.Outcome.REJECT && note.isBlank()) {
            return reply(number, false, "A rejection needs a note saying what was wrong: `/hallpass reject <note>`.");
        }
        if (note.length() > Attestation.MAX_NOTE_LENGTH) {
            return reply(number, false, "The note is longer than " + Attestation.MAX_NOTE_LENGTH + " characters.");
        }
        Login who = new Login(sender);
        Optional<Attestation> current = readReview(em.request(), branchHead());
        if (commentId.isPresent()
                && current.isPresent()
                && current.get().comment().equals(commentId)) {
            // One comment is recorded once: its record, tampered or not, stands against any redelivery.
            return new Result(false, "already recorded");
        }
        if (current.isPresent() && counts(s, em, current.get())) {
            Attestation c = current.get();
            // Keep the first counting review: a second approval adds nothing, and a later approval never
            // hides a rejection (a finding). A rejection after an approval is recorded, as it is a finding.
            boolean keep = outcome == Attestation.Outcome.APPROVE || c.outcome() == Attestation.Outcome.REJECT;
            if (keep) {
                // The labels follow the review that stands: this finishes them after a failure cut them short,
                // and clears them on an emergency extension merged after the review.
                label(em, number, c.outcome());
                if (c.reviewer().equals(who) && c.outcome() == outcome) {
                    return new Result(false, "already recorded"); // a redelivery, or the same command again
                }
                return reply(
                        number,
                        false,
                        em.request() + " was already "
                                + (c.outcome() == Attestation.Outcome.APPROVE ? "approved" : "rejected")
                                + " retroactively by @" + c.reviewer() + " at " + Trailers.rfc3339(c.at())
                                + "; that review stands and nothing was recorded.");
            }
        }
        Attestation a =
                new Attestation(em.request(), em.pullRequest(), outcome, who, note, clock.instant(), false, commentId);
        String sha = github.putFile(
                repo, branch, a.path(), AttestationYaml.write(a), CommitMessages.attest(a, em.requester()));
        reviews.put(em.request(), Optional.of(a));
        // Should this review be voided (tampering) past the deadline, the escalation is due again.
        overdueNotified.remove(em.pullRequest());
        boolean approved = outcome == Attestation.Outcome.APPROVE;
        label(em, number, outcome);
        String text = "Recorded the retroactive " + (approved ? "approval" : "rejection") + " of " + em.request()
                + " (#" + em.pullRequest() + ", emergency access of @" + em.requester() + ") by @" + who + " ("
                + (command ? "comment" : "pull request review") + "): `" + a.path() + "` on " + branch + " (commit "
                + sha.substring(0, Math.min(7, sha.length())) + ")."
                + (approved ? "" : " The rejection is an audit finding; follow up on the incident.")
                + commentId.stream()
                        .mapToObj(id -> "\n\nEditing or deleting the review comment is recorded as tampering.\n"
                                + "<!-- hallpass:attestation comment=" + id + " reviewer=" + who + " at="
                                + Trailers.rfc3339(a.at()) + " -->")
                        .findFirst()
                        .orElse("");
        return reply(number, true, text);
    }

    private void label(Emergency em, int number, Attestation.Outcome outcome) {
        boolean approved = outcome == Attestation.Outcome.APPROVE;
        for (int n : pullsOf(em, number)) {
            github.removeLabel(repo, n, PullRequestProcessor.LABEL_RETRO_REVIEW);
            github.removeLabel(repo, n, LABEL_OVERDUE);
            github.removeLabel(repo, n, approved ? LABEL_REJECTED : LABEL_REVIEWED);
            github.addLabels(repo, n, Set.of(approved ? LABEL_REVIEWED : LABEL_REJECTED));
        }
    }

    private Optional<String> refusal(Snapshot s, Emergency em, PullRequest pr, String sender) {
        Login who;
        try {
            who = new Login(sender);
        } catch (IllegalArgumentException e) {
            return Optional.of("not a reviewer Hallpass can record.");
        }
        if (who.equals(em.requester())) {
            return Optional.of("nobody reviews their own emergency access; an approver of " + em.role() + " in "
                    + em.environment() + " must.");
        }
        if (sender.equalsIgnoreCase(em.author()) || sender.equalsIgnoreCase(pr.author())) {
            return Optional.of("the author of the pull request may not review it retroactively.");
        }
        Set<Login> approvers = approvers(s, em);
        if (!approvers.contains(who)) {
            return Optional.of("only the approvers of " + em.role() + " in " + em.environment() + " ("
                    + (approvers.isEmpty() ? "none in the catalog" : mentions(approvers, false))
                    + ") can review this emergency access retroactively.");
        }
        return Optional.empty();
    }

    /** The comment exists on the pull request, by {@code sender}, with {@code body}, and was never edited. */
    private boolean asWritten(int number, long commentId, String sender, String body) {
        for (IssueComment c : github.comments(repo, number)) {
            if (c.id() == commentId) {
                return c.author().equalsIgnoreCase(sender)
                        && c.body().equals(body)
                        && c.updatedAt().equals(c.createdAt());
            }
        }
        return false;
    }

    private Optional<Result> tampered(int number, long commentId, String sender, String action) {
        // Hallpass's reply names the comment it recorded; only its own replies are believed.
        Optional<String> reviewer = Optional.empty();
        String at = "";
        for (IssueComment c : github.comments(repo, number)) {
            Matcher m = MARKER.matcher(c.body());
            if (isBot(c.author()) && m.find() && Long.parseLong(m.group(1)) == commentId) {
                reviewer = Optional.of(m.group(2));
                at = m.group(3);
            }
        }
        if (reviewer.isEmpty()) {
            return Optional.empty(); // not an attestation comment
        }
        Snapshot s = refresh();
        Optional<Emergency> found = emergencyOf(s, number);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Emergency em = found.get();
        Optional<Attestation> current = readReview(em.request(), branchHead());
        String verb = action.equals("deleted") ? "deleted" : "edited";
        if (current.isEmpty()
                || current.get().tampered()
                || !current.get().reviewer().value().equals(reviewer.get())
                || !Trailers.rfc3339(current.get().at()).equals(at)) {
            // Already recorded, or a later review replaced this one: report only.
            return Optional.of(reply(
                    number,
                    false,
                    "@" + sender + " " + verb + " the retroactive review comment of @" + reviewer.get()
                            + " after Hallpass recorded it."));
        }
        Attestation c = current.get();
        Attestation t = c.asTampered();
        String sha = github.putFile(
                repo, branch, t.path(), AttestationYaml.write(t), CommitMessages.attest(t, em.requester()));
        reviews.put(em.request(), Optional.of(t));
        for (int n : pullsOf(em, number)) {
            github.removeLabel(repo, n, LABEL_REVIEWED);
            github.removeLabel(repo, n, LABEL_REJECTED);
            github.addLabels(repo, n, Set.of(PullRequestProcessor.LABEL_RETRO_REVIEW));
        }
        LOG.warn("attestation comment {} of {} on {}#{} {} by {}", commentId, c.reviewer(), repo, number, verb, sender);
        return Optional.of(reply(
                number,
                true,
                "Tampering: @" + sender + " " + verb + " the retroactive review comment of @" + c.reviewer()
                        + " after Hallpass recorded it. Recorded as tampered in `" + t.path() + "` (commit "
                        + sha.substring(0, Math.min(7, sha.length())) + "); the review no longer counts and "
                        + em.request() + " needs a new retroactive review by " + mentions(approvers(s, em, em), true)
                        + "."));
    }

    /**
     * Labels and mentions, once each, every emergency whose review is past its deadline at {@code now} and
     * returns them all. The caller schedules it (the server every few minutes).
     */
    public synchronized List<PolicyInput.OverdueReview> checkOverdue(Instant now) {
        Snapshot s = refresh();
        List<PolicyInput.OverdueReview> out = new ArrayList<>();
        for (Emergency em : s.emergencies().values()) {
            Optional<Instant> due = due(s, em);
            if (due.isEmpty() || !now.isAfter(due.get()) || reviewed(s, em)) {
                continue;
            }
            out.add(new PolicyInput.OverdueReview(em.request().value(), em.requester(), due.get()));
            if (overdueNotified.contains(em.pullRequest())) {
                continue;
            }
            // The label marks the escalation as done, so a restart does not repeat the comment.
            PullRequest pr = github.pullRequest(repo, em.pullRequest());
            if (!pr.labels().contains(LABEL_OVERDUE)) {
                github.addLabels(repo, em.pullRequest(), Set.of(LABEL_OVERDUE));
                github.comment(
                        repo,
                        em.pullRequest(),
                        "The retroactive review of " + em.request() + " (emergency access of @" + em.requester()
                                + ") was due at " + Trailers.rfc3339(due.get()) + " and is missing. "
                                + mentions(approvers(s, em, em), true) + ": please review it with `/hallpass approve"
                                + " [note]`, `/hallpass reject <note>` or an approving review of this pull request."
                                + " Until then emergency requests of @" + em.requester()
                                + " are not merged automatically.");
            }
            overdueNotified.add(em.pullRequest());
        }
        return out;
    }

    /** The policy's state for {@code r}: live emergency grants and overdue reviews now. Fails closed. */
    public synchronized PolicyInput.State state(RepoName r) {
        if (!r.equals(repo)) {
            return PolicyInput.State.empty();
        }
        Snapshot s = refresh();
        Instant now = clock.instant();
        int live = 0;
        List<PolicyInput.OverdueReview> overdue = new ArrayList<>();
        for (Emergency em : s.emergencies().values()) {
            if (expiry(s, em)
                    .map(x -> now.isBefore(x) && !now.isBefore(startOf(em)))
                    .orElse(false)) {
                live++;
            }
            Optional<Instant> due = due(s, em);
            if (due.isPresent() && now.isAfter(due.get()) && !reviewed(s, em)) {
                overdue.add(new PolicyInput.OverdueReview(em.request().value(), em.requester(), due.get()));
            }
        }
        return new PolicyInput.State(live, overdue);
    }

    /** The emergencies known at the current head, for reports and tests. */
    public synchronized List<Emergency> emergencies() {
        return List.copyOf(refresh().emergencies().values());
    }

    // ---------------------------------------------------------------- reading git

    private String branchHead() {
        return github.branchSha(repo, branch);
    }

    private Snapshot refresh() {
        String head = branchHead();
        if (snapshot != null && snapshot.head().equals(head)) {
            return snapshot;
        }
        AccessRepo config = loader.loadConfig(new GitHubRepoTree(github, repo, head, cache));
        Set<RequestId> files = new HashSet<>();
        for (String p : github.directory(repo, RequestId.DIRECTORY, head)) {
            try {
                RequestId.fromPath(p).ifPresent(files::add);
            } catch (IllegalArgumentException e) {
                // not a request file
            }
        }
        Optional<Duration> deadline = config.settings().map(x -> x.emergency().reviewDeadline());
        snapshot = new Snapshot(head, index.at(head), Set.copyOf(files), config.catalog(), deadline);
        return snapshot;
    }

    private Optional<Emergency> emergencyOf(Snapshot s, int number) {
        return s.emergencies().values().stream()
                .filter(e -> e.pullRequests().contains(number))
                .findFirst();
    }

    private Optional<Instant> due(Snapshot s, Emergency em) {
        return s.deadline().map(d -> em.mergedAt().plus(d));
    }

    private boolean reviewed(Snapshot s, Emergency em) {
        if (!s.head().equals(reviewsHead)) {
            // Counting reviews stay counted (Hallpass's own writes update them); the others are read anew.
            reviews.values().removeIf(a -> a.isEmpty() || a.get().tampered());
            reviewsHead = s.head();
        }
        Optional<Attestation> a = reviews.computeIfAbsent(em.request(), id -> readReview(id, s.head()));
        return a.map(x -> counts(s, em, x)).orElse(false);
    }

    /** Whether a review counts as the audit counts it: eligible, not the requester's, not tampered. */
    private boolean counts(Snapshot s, Emergency em, Attestation a) {
        return !a.tampered()
                && !a.reviewer().equals(em.requester())
                && approvers(s, em).contains(a.reviewer());
    }

    private Optional<Attestation> readReview(RequestId id, String ref) {
        String path = Attestation.path(id);
        List<String> problems = new ArrayList<>();
        Optional<Attestation> a = github.fileAt(repo, path, ref).flatMap(b -> yaml.read(path, b, problems));
        if (!problems.isEmpty()) {
            LOG.warn("{} in {} does not parse: {}", path, repo, problems);
        }
        return a;
    }

    private Optional<Instant> expiry(Snapshot s, Emergency em) {
        if (!s.requestFiles().contains(em.request())) {
            return Optional.empty(); // expired and reverted, or revoked: only files on the branch grant
        }
        String key = s.head() + ":" + em.request();
        Optional<Instant> known = expiries.get(key);
        if (known != null) {
            return known;
        }
        if (expiries.size() > 10_000) {
            expiries.clear();
        }
        // The file's current duration counts (an extension moves the expiry); a removed file is no grant.
        Optional<Instant> x = index.requestAt(s.head(), em.request())
                .map(AccessRequest::duration)
                .map(d -> startOf(em).plus(d.value()));
        expiries.put(key, x);
        return x;
    }

    private static Instant startOf(Emergency em) {
        return em.start().filter(t -> t.isAfter(em.mergedAt())).orElse(em.mergedAt());
    }

    private static Set<Login> approvers(Snapshot s, Emergency em) {
        return s.catalog()
                .flatMap(c -> c.role(em.role())
                        .map(r -> r.environments().get(em.environment()))
                        .map(env -> c.expand(env.approvers())))
                .orElse(Set.of());
    }

    /** The approvers who may review {@code em}: neither its requester nor its author. */
    private static Set<Login> approvers(Snapshot s, Emergency em, Emergency self) {
        Set<Login> out = new TreeSet<>(approvers(s, em));
        out.remove(self.requester());
        out.removeIf(l -> l.value().equalsIgnoreCase(self.author()));
        return out;
    }

    private static Set<Integer> pullsOf(Emergency em, int number) {
        Set<Integer> out = new LinkedHashSet<>(em.pullRequests());
        out.add(number);
        return out;
    }

    private static String mentions(Set<Login> logins, boolean at) {
        if (logins.isEmpty()) {
            return "an approver (none is in the catalog)";
        }
        List<String> out = new ArrayList<>();
        for (Login l : logins) {
            out.add((at ? "@" : "") + l.value());
        }
        return String.join(", ", out);
    }

    private boolean isBot(String login) {
        return botLogins.contains(login.toLowerCase(Locale.ROOT));
    }

    private Result reply(int number, boolean recorded, String text) {
        github.comment(repo, number, text);
        return new Result(recorded, text);
    }
}
