package dev.hallpass.lifecycle;

import dev.hallpass.bot.PullRequestProcessor;
import dev.hallpass.github.ChangedFile;
import dev.hallpass.github.GitHubException;
import dev.hallpass.github.GitHubGateway;
import dev.hallpass.github.IssueComment;
import dev.hallpass.github.MergeResult;
import dev.hallpass.github.PullRequest;
import dev.hallpass.github.RepoName;
import dev.hallpass.github.WebhookEvent;
import dev.hallpass.grant.AppliedGrant;
import dev.hallpass.grant.AppliedGrants;
import dev.hallpass.grant.Attempt;
import dev.hallpass.grant.ExecutionResult;
import dev.hallpass.grant.Grant;
import dev.hallpass.grant.GrantExecutor;
import dev.hallpass.grant.GrantLedger;
import dev.hallpass.grant.LeaseKey;
import dev.hallpass.grant.ReconcileReport;
import dev.hallpass.observe.HallpassMetrics;
import dev.hallpass.request.Catalog;
import dev.hallpass.request.Login;
import dev.hallpass.request.RequestId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The grant lifecycle of one access repository: what the server's scheduler and webhooks and the CLI call.
 *
 * <p>{@link #sync()} rebuilds the desired grants from git, reconciles the targets with them (applying what
 * merged, revoking what expired or was deleted) and then removes expired request files through revert pull
 * requests. {@link #enforce()} does the reconcile part with the grants last read, without touching GitHub
 * first, so the scheduler can revoke at the exact expiry. Every step is safe to repeat after a crash: the
 * executor's applied-grants store remembers what is applied, and the revert steps are idempotent.
 *
 * <p>Revert pull requests are merged through the {@link PullRequestProcessor} when one is given (the policy
 * classifies them as {@code expiry} and lets them auto-merge, and the merge is checked and labelled like any
 * other); without one they are merged through the gateway, pinned to the head Hallpass created. Hallpass only
 * opens a revert once the access is revoked, so a revert that cannot merge leaves access revoked and the pull
 * request open with a comment saying why.
 *
 * <p>Thread-safe: calls are serialised, since the executor is not.
 */
public final class GrantLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(GrantLifecycle.class);
    static final String EXPIRE_BRANCH = "hallpass/expire-";
    static final String REVOKE_BRANCH = "hallpass/revoke-";
    static final String BLOCKED_MARKER = "<!-- hallpass:revert-blocked -->";
    private static final Pattern REVOKE_COMMAND = Pattern.compile("(?m)^\\s*/hallpass\\s+revoke\\s*$");

    /**
     * How Hallpass reaches the access repository on GitHub, for revert pull requests and reports.
     *
     * @param processor merges Hallpass's pull requests through the policy; null merges them directly
     * @param botLogins the logins Hallpass acts as, to recognise its own revoke pull requests
     */
    public record GitHubSide(
            GitHubGateway gateway,
            RepoName repo,
            String defaultBranch,
            PullRequestProcessor processor,
            Set<String> botLogins) {
        public GitHubSide {
            Objects.requireNonNull(gateway, "gateway");
            Objects.requireNonNull(repo, "repo");
            Objects.requireNonNull(defaultBranch, "defaultBranch");
            botLogins = Set.copyOf(
                    botLogins.stream().map(l -> l.toLowerCase(Locale.ROOT)).toList());
        }
    }

    /** What happened to one revert (expiry) or revoke pull request. */
    public record PullRequestStep(RequestId request, String kind, int number, boolean merged, String note) {}

    /**
     * What one sync or enforce did.
     *
     * @param revertsDue expired grants whose file is still on the default branch (in a dry run: what would be
     *     reverted)
     */
    public record SyncReport(
            Instant at,
            Optional<String> headSha,
            ReconcileReport reconcile,
            List<dev.hallpass.request.Problem> problems,
            List<Grant> revertsDue,
            List<PullRequestStep> pullRequests,
            Optional<Instant> nextChange) {
        public SyncReport {
            problems = List.copyOf(problems);
            revertsDue = List.copyOf(revertsDue);
            pullRequests = List.copyOf(pullRequests);
        }

        public boolean ok() {
            return reconcile.ok();
        }
    }

    /** The answer to a {@code /hallpass revoke} command. */
    public record CommandResult(boolean accepted, String reply, List<PullRequestStep> pullRequests) {}

    private final GrantSource source;
    private final GrantExecutor executor;
    private final AppliedGrants applied;
    private final Clock clock;
    private final boolean dryRun;
    private final Optional<GitHubSide> github;
    private final LifecycleMessages messages;
    private final RepoStateStore store;

    private volatile java.util.function.BooleanSupplier leading = () -> true;
    private volatile Runnable wakeLeader = () -> {};

    private GrantSource.Snapshot snapshot;
    private boolean fromAppliedState; // the grants are the applied state's, git was never read
    private Set<RequestId> withdrawn = Set.of();
    private GrantLedger ledger;
    private Instant lastRun;
    private final Map<LeaseKey, Instant> revokedAt = new java.util.concurrent.ConcurrentHashMap<>();
    private final Set<String> reportedFailures = java.util.concurrent.ConcurrentHashMap.newKeySet();
    // Serialises the work that waits on GitHub (reading git, reverts, revoke commands). Never taken while holding
    // this object's monitor, which guards the grants and the reconciles only, so a revoke never waits on GitHub.
    private final Object work = new Object();
    private final HallpassMetrics metrics = HallpassMetrics.shared();
    // Reverts merged since the last read of git: the snapshot still lists their files until the next sync.
    private final Set<RequestId> reverted = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public GrantLifecycle(
            GrantSource source,
            GrantExecutor executor,
            AppliedGrants applied,
            Clock clock,
            boolean dryRun,
            Optional<GitHubSide> github,
            LifecycleMessages messages) {
        this(source, executor, applied, clock, dryRun, github, messages, RepoStateStore.NONE);
    }

    /**
     * @param store where the grants last read from git are saved (and read back by a lifecycle that starts
     *     before it can read git: a new leader, GitHub down)
     */
    public GrantLifecycle(
            GrantSource source,
            GrantExecutor executor,
            AppliedGrants applied,
            Clock clock,
            boolean dryRun,
            Optional<GitHubSide> github,
            LifecycleMessages messages,
            RepoStateStore store) {
        this.store = Objects.requireNonNull(store, "store");
        this.source = Objects.requireNonNull(source, "source");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.applied = Objects.requireNonNull(applied, "applied");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.dryRun = dryRun;
        this.github = Objects.requireNonNull(github, "github");
        this.messages = Objects.requireNonNull(messages, "messages");
    }

    /**
     * For a replica that may not lead this repository: a {@code /hallpass revoke} handled here while another
     * replica leads opens the removal and wakes the leader, which revokes, instead of reconciling here.
     */
    public synchronized void followerMode(java.util.function.BooleanSupplier leading, Runnable wakeLeader) {
        this.leading = Objects.requireNonNull(leading, "leading");
        this.wakeLeader = Objects.requireNonNull(wakeLeader, "wakeLeader");
    }

    /** Rebuilds the grants from git, reconciles the targets, and reverts expired request files. */
    public SyncReport sync() {
        synchronized (work) {
            return sync(true);
        }
    }

    /**
     * {@link #sync()} without opening or merging pull requests: for {@code hallpass apply} after a push, which
     * leaves reverts to the scheduled {@code expire}. Expired files are still listed in the report.
     */
    public SyncReport syncWithoutReverts() {
        synchronized (work) {
            return sync(false);
        }
    }

    private SyncReport sync(boolean reverts) {
        GrantSource.Snapshot s = source.snapshot();
        Set<RequestId> w = github.map(this::withdrawnRequests).orElse(Set.of());
        List<Grant> live =
                s.grants().stream().filter(g -> !w.contains(g.requestId())).toList();
        if (!s.problems().isEmpty()) {
            LOG.info("{} grant(s) at {}; not granted: {}", live.size(), s.headSha(), s.problems());
        }
        synchronized (this) {
            snapshot = s;
            fromAppliedState = false;
            withdrawn = w;
            reverted.clear();
            ledger = GrantLedger.of(live, clock);
        }
        if (!dryRun) {
            try {
                store.saveSchedule(live);
            } catch (RuntimeException e) {
                // The targets still follow git; only a takeover before the next save works from an older schedule.
                LOG.warn("cannot save the grant schedule: {}", e.getMessage());
            }
        }
        return run(true, reverts);
    }

    /**
     * Reconciles with the grants last read from git, then reverts expired files. Cheap when nothing changed,
     * so the scheduler calls it at each start and expiry. Before any successful read of git (GitHub down at
     * start-up) it works from the applied state alone: each applied grant is revoked at its own expiry and
     * nothing new is applied. With a saved schedule (the grants another replica last read from git) it works
     * from that instead, which also applies what was merged but not yet applied when that replica died.
     */
    public SyncReport enforce() {
        synchronized (work) {
            boolean reverts;
            synchronized (this) {
                initFromSavedState();
                reverts = !fromAppliedState;
            }
            return run(false, reverts);
        }
    }

    /**
     * Applies and revokes what is due now from the grants last read, and nothing else: no GitHub, so it never
     * waits behind a read of git or a revert. The scheduler calls it at each start and expiry; empty before
     * the grants were read once.
     */
    public synchronized Optional<ReconcileReport> revokeDue() {
        if (ledger == null) {
            return Optional.empty();
        }
        ReconcileReport r = executor.reconcile(ledger, dryRun);
        record(r);
        return Optional.of(r);
    }

    private void initFromSavedState() {
        if (ledger == null) {
            List<Grant> known = store.schedule().orElseGet(() -> applied.snapshot().values().stream()
                    .map(AppliedGrant::grant)
                    .toList());
            snapshot = new GrantSource.Snapshot("", known, List.of(), Optional.empty());
            ledger = GrantLedger.of(known, clock);
            fromAppliedState = true;
        }
    }

    /** The next start or expiry after the last run: when the scheduler must enforce again. */
    public synchronized Optional<Instant> nextChange() {
        if (ledger == null || lastRun == null) {
            return Optional.empty();
        }
        return ledger.nextChange(lastRun);
    }

    /** The grants last read from git (withdrawn ones excluded). */
    public synchronized List<Grant> grants() {
        return ledger == null ? List.of() : List.copyOf(ledger.grants());
    }

    /** Called holding {@link #work}, never the monitor: the reverts wait on GitHub. */
    private SyncReport run(boolean fromGit, boolean reverts) {
        ReconcileReport first;
        List<Grant> due;
        GrantSource.Snapshot snap;
        GrantLedger led;
        Set<RequestId> withdrawnNow;
        boolean fromApplied;
        synchronized (this) {
            first = executor.reconcile(ledger, dryRun);
            record(first);
            due = revertsDue(first.at());
            snap = snapshot;
            led = ledger;
            withdrawnNow = withdrawn;
            fromApplied = fromAppliedState;
        }
        Instant now = first.at();
        List<ExecutionResult> results = new ArrayList<>(first.results());
        List<PullRequestStep> steps = new ArrayList<>();
        if (!dryRun && reverts && github.isPresent()) {
            for (Grant g : due) {
                // Single-threaded callers: a grant expiring while reverts wait on GitHub is revoked first.
                synchronized (this) {
                    if (ledger.nextChange(lastRun)
                            .filter(c -> !clock.instant().isBefore(c))
                            .isPresent()) {
                        ReconcileReport more = executor.reconcile(ledger, dryRun);
                        record(more);
                        results.addAll(more.results());
                    }
                }
                PullRequestStep step = expire(github.get(), g, now);
                if (step.merged()) {
                    reverted.add(g.requestId());
                }
                steps.add(step);
            }
            if (fromGit) {
                for (RequestId id : withdrawnNow) {
                    snap.grants().stream()
                            .filter(g -> g.requestId().equals(id))
                            .findFirst()
                            .ifPresent(g -> steps.add(mergeRevoke(github.get(), g)));
                }
            }
        }
        ReconcileReport r = results.size() == first.results().size()
                ? first
                : new ReconcileReport(now, dryRun, results, led.nextChange(now));
        return new SyncReport(
                now,
                fromApplied ? Optional.empty() : Optional.of(snap.headSha()),
                r,
                snap.problems(),
                due,
                steps,
                led.nextChange(now));
    }

    /** Notes one reconcile's revokes and failures (holding the monitor); returns its results. */
    private List<ExecutionResult> record(ReconcileReport r) {
        lastRun = r.at();
        for (ExecutionResult x : r.results()) {
            if (x.ok() && x.action() == dev.hallpass.grant.Action.REVOKE) {
                Instant done = x.attempts().get(x.attempts().size() - 1).finishedAt();
                revokedAt.put(x.grant().key(), done);
                LOG.info(
                        "revoked {} ({}), {} ms after its expiry",
                        x.grant().requestId(),
                        x.grant().key(),
                        java.time.Duration.between(x.grant().expiresAt(), done).toMillis());
                if (!done.isBefore(x.grant().expiresAt())) {
                    metrics.revoked(Duration.between(x.grant().expiresAt(), done));
                }
            } else if (!x.ok() && x.action() == dev.hallpass.grant.Action.REVOKE) {
                metrics.revokeFailed(x.grant().provider().toString());
            }
            report(x);
        }
        return r.results();
    }

    /** Expired grants still in git whose access Hallpass no longer holds (revoked, or another lease holds the key). */
    private List<Grant> revertsDue(Instant now) {
        List<Grant> out = new ArrayList<>();
        Map<LeaseKey, AppliedGrant> current = applied.snapshot();
        for (Grant g : snapshot.grants()) {
            if (now.isBefore(g.expiresAt()) || withdrawn.contains(g.requestId()) || reverted.contains(g.requestId())) {
                continue;
            }
            AppliedGrant a = current.get(g.key());
            if (a != null && a.grant().requestId().equals(g.requestId())) {
                continue; // the revoke has not succeeded yet: keep the file, so the record matches the target
            }
            out.add(g);
        }
        return out;
    }

    // ------------------------------------------------------------------ reporting

    /** Provider failures and retries go to the log and, once per distinct failure, to the request's pull request. */
    private void report(ExecutionResult x) {
        List<Attempt> failed =
                x.attempts().stream().filter(a -> !a.outcome().ok()).toList();
        if (failed.isEmpty()) {
            return;
        }
        Grant g = x.grant();
        String verb = x.action().wire();
        String last = failed.get(failed.size() - 1).outcome().summary();
        if (x.ok()) {
            LOG.warn("{} of {} succeeded after {} failed attempt(s): {}", verb, g.requestId(), failed.size(), last);
        } else {
            LOG.error("{} of {} failed after {} attempt(s): {}", verb, g.requestId(), failed.size(), last);
        }
        if (dryRun || github.isEmpty()) {
            return;
        }
        String key = g.requestId() + "/" + verb + "/" + g.expiresAt() + "/" + x.ok() + "/" + last;
        if (!reportedFailures.add(key)) {
            return;
        }
        StringBuilder body = new StringBuilder();
        String what = "`" + verb + "` of `" + g.target() + "` for @" + g.person() + " via `" + g.provider() + "`";
        body.append(
                        x.ok()
                                ? "Hallpass's " + what + " succeeded after " + failed.size() + " failed attempt(s)."
                                : "Hallpass's " + what + " failed after "
                                        + x.attempts().size() + " attempt(s).")
                .append("\n\n| Attempt | Result |\n|---|---|\n");
        for (Attempt a : x.attempts()) {
            body.append("| ")
                    .append(a.number())
                    .append(" | ")
                    .append(
                            a.outcome().ok()
                                    ? "ok"
                                    : "failed: " + a.outcome().summary().replace("|", "\\|"))
                    .append(" |\n");
        }
        if (!x.ok()) {
            body.append("\nHallpass keeps the ")
                    .append(verb)
                    .append(" pending and tries again at the next sync (within minutes).\n");
        }
        try {
            github.get().gateway().comment(github.get().repo(), g.pullRequest(), body.toString());
        } catch (GitHubException e) {
            reportedFailures.remove(key); // tell them next time
            LOG.warn(
                    "cannot report the {} failure of {} on #{}: {}",
                    verb,
                    g.requestId(),
                    g.pullRequest(),
                    e.getMessage());
        }
    }

    // ------------------------------------------------------------------ expiry reverts

    private PullRequestStep expire(GitHubSide gh, Grant g, Instant now) {
        Instant revoked = revokedAt.getOrDefault(g.key(), now);
        if (revoked.isBefore(g.expiresAt())) {
            revoked = now; // a revoke of an earlier lease on the key says nothing of this one
        }
        LifecycleMessages.Timeline t = new LifecycleMessages.Timeline(g.start(), g.expiresAt(), revoked);
        try {
            PullRequest pr = openRemoval(
                    gh,
                    g,
                    EXPIRE_BRANCH + g.requestId(),
                    messages.expireCommit(g, revoked),
                    messages.expirePrTitle(g),
                    messages.expirePrBody(g, t));
            return mergeRemoval(gh, g, pr, "expire", messages.expirePrTitle(g), messages.expireCommit(g, revoked));
        } catch (GitHubException e) {
            LOG.warn("revert of expired {} failed, retried at the next sync: {}", g.requestId(), e.getMessage());
            return new PullRequestStep(g.requestId(), "expire", 0, false, "GitHub failed: " + e.getMessage());
        }
    }

    /**
     * Opens (or finds again) the pull request deleting {@code g}'s file on {@code branch}. A branch left by an
     * earlier request with the same id (its revert merged long ago) or by a crash after main moved cannot be
     * resumed; GitHub then refuses (422) and a fresh branch {@code <branch>_<epoch seconds>} is used instead.
     */
    private PullRequest openRemoval(
            GitHubSide gh, Grant g, String branch, String commitMessage, String title, String body) {
        String path = g.requestId().path();
        try {
            gh.gateway().deleteFileOnNewBranch(gh.repo(), gh.defaultBranch(), branch, path, commitMessage);
            return gh.gateway().openPullRequest(gh.repo(), title, body, branch, gh.defaultBranch());
        } catch (GitHubException e) {
            if (e.status() != 422) {
                throw e;
            }
            Optional<PullRequest> open = openFrom(gh, branch);
            if (open.isPresent()) {
                return open.get();
            }
            String fresh = branch + "_" + clock.instant().getEpochSecond();
            LOG.info("{} cannot be reused ({}); opening the removal from {}", branch, e.getMessage(), fresh);
            gh.gateway().deleteFileOnNewBranch(gh.repo(), gh.defaultBranch(), fresh, path, commitMessage);
            return gh.gateway().openPullRequest(gh.repo(), title, body, fresh, gh.defaultBranch());
        }
    }

    /** The open pull request from {@code branch} or from one of its fresh variants. */
    private static Optional<PullRequest> openFrom(GitHubSide gh, String branch) {
        return gh.gateway().openPullRequests(gh.repo()).stream()
                .filter(p -> isBranchOf(p.head().ref(), branch))
                .findFirst();
    }

    static boolean isBranchOf(String ref, String branch) {
        return ref.equals(branch)
                || ref.startsWith(branch + "_")
                        && ref.substring(branch.length() + 1).matches("\\d+");
    }

    private PullRequestStep mergeRemoval(
            GitHubSide gh, Grant g, PullRequest pr, String kind, String title, String commitMessage) {
        String why;
        if (gh.processor() != null) {
            PullRequestProcessor.Outcome o = gh.processor().process(gh.repo(), pr.number());
            if (o.merge().map(MergeResult::isMerged).orElse(false)) {
                LOG.info("{} of {}: #{} merged", kind, g.requestId(), pr.number());
                return new PullRequestStep(g.requestId(), kind, pr.number(), true, "merged");
            }
            why = o.merge()
                    .map(m -> "GitHub refused the merge (" + m.outcome().name().toLowerCase(Locale.ROOT) + ": "
                            + m.message() + ")")
                    .orElse("the policy did not allow it to merge (" + o.note() + ")");
        } else {
            MergeResult m = gh.gateway().merge(gh.repo(), pr.number(), pr.head().sha(), title, commitMessage);
            if (m.isMerged()) {
                LOG.info("{} of {}: #{} merged", kind, g.requestId(), pr.number());
                return new PullRequestStep(g.requestId(), kind, pr.number(), true, "merged");
            }
            why = "GitHub refused the merge (" + m.outcome().name().toLowerCase(Locale.ROOT) + ": " + m.message() + ")";
        }
        LOG.warn("{} of {}: #{} not merged: {}", kind, g.requestId(), pr.number(), why);
        commentOnce(
                gh,
                pr.number(),
                BLOCKED_MARKER + "\nHallpass could not merge this pull request: " + why + ".\n\n"
                        + "The access of @" + g.person() + " to `" + g.target() + "` is revoked already; "
                        + "only the request file remains. Hallpass retries the merge at every sync; "
                        + "resolve the problem or merge it by hand.");
        return new PullRequestStep(g.requestId(), kind, pr.number(), false, why);
    }

    private static void commentOnce(GitHubSide gh, int number, String body) {
        String marker = body.substring(0, body.indexOf('\n'));
        for (IssueComment c : gh.gateway().comments(gh.repo(), number)) {
            if (c.body().contains(marker) && gh.botLogins().contains(c.author().toLowerCase(Locale.ROOT))) {
                return;
            }
        }
        gh.gateway().comment(gh.repo(), number, body);
    }

    // ------------------------------------------------------------------ early revoke

    /** Requests withdrawn by an open Hallpass revoke pull request: no longer granted, even before it merges. */
    private Set<RequestId> withdrawnRequests(GitHubSide gh) {
        Set<RequestId> out = new TreeSet<>();
        for (PullRequest p : gh.gateway().openPullRequests(gh.repo())) {
            String ref = p.head().ref();
            if (ref.startsWith(REVOKE_BRANCH)
                    && p.base().ref().equals(gh.defaultBranch())
                    && gh.botLogins().contains(p.author().toLowerCase(Locale.ROOT))) {
                // Request ids have no '_', so the fresh-branch suffix is unambiguous.
                String id = ref.substring(REVOKE_BRANCH.length()).replaceFirst("_\\d+$", "");
                try {
                    out.add(new RequestId(id));
                } catch (IllegalArgumentException e) {
                    // not a request id: not ours to act on
                }
            }
        }
        return out;
    }

    private PullRequestStep mergeRevoke(GitHubSide gh, Grant g) {
        Optional<PullRequest> open = openFrom(gh, REVOKE_BRANCH + g.requestId());
        if (open.isEmpty()) {
            return new PullRequestStep(g.requestId(), "revoke", 0, false, "revoke pull request not found");
        }
        try {
            return mergeRemoval(
                    gh,
                    g,
                    open.get(),
                    "revoke",
                    open.get().title(),
                    messages.revokeCommit(g, "hallpass", clock.instant()));
        } catch (GitHubException e) {
            return new PullRequestStep(g.requestId(), "revoke", open.get().number(), false, e.getMessage());
        }
    }

    /**
     * Routes a webhook: a {@code /hallpass revoke} comment on a merged request pull request. Identity is the
     * event's sender, never anything in the comment. Empty when the event is not such a command.
     */
    public Optional<CommandResult> onWebhook(WebhookEvent e) {
        if (github.isEmpty()
                || !e.repo().equals(github.get().repo())
                || !e.event().equals("issue_comment")
                || !e.action().equals("created")
                || e.pullRequestNumber().isEmpty()
                || e.commentBody().map(b -> !REVOKE_COMMAND.matcher(b).find()).orElse(true)) {
            return Optional.empty();
        }
        return Optional.of(revokeCommand(e.pullRequestNumber().getAsInt(), e.sender()));
    }

    /**
     * For {@code HallpassBot.CommentHandler}: true when the event was a {@code /hallpass revoke} for this
     * repository and was handled (accepted or refused, with a reply on the pull request).
     */
    public boolean handleComment(WebhookEvent e) {
        return onWebhook(e).isPresent();
    }

    /**
     * {@code /hallpass revoke} on request pull request {@code number} by {@code sender}: allowed for the
     * requester and for the approvers of the role in that environment. Opens a Hallpass pull request deleting
     * the request file, which withdraws the grant at once (the sync that follows revokes it), then merges it.
     */
    public CommandResult revokeCommand(int number, String sender) {
        synchronized (work) {
            return revokeCommandLocked(number, sender);
        }
    }

    private CommandResult revokeCommandLocked(int number, String sender) {
        GitHubSide gh = github.orElseThrow(() -> new IllegalStateException("revoke needs GitHub"));
        PullRequest pr = gh.gateway().pullRequest(gh.repo(), number);
        if (!pr.merged()) {
            return reply(gh, number, false, "`/hallpass revoke` works on merged request pull requests only.");
        }
        Set<RequestId> ids = new TreeSet<>();
        for (ChangedFile f : gh.gateway().files(gh.repo(), number)) {
            RequestId.fromPath(f.path()).ifPresent(ids::add);
        }
        GrantSource.Snapshot s = source.snapshot();
        List<Grant> grants = s.grants().stream()
                // Any merged pull request that added or extended the request will do, not only the first.
                .filter(g -> ids.contains(g.requestId()))
                .toList();
        if (grants.isEmpty()) {
            return reply(gh, number, false, "Nothing to revoke: no access granted by this pull request is in force.");
        }
        for (Grant g : grants) {
            if (!mayRevoke(s.catalog(), g, sender)) {
                LOG.warn("refused /hallpass revoke of {} by {}", g.requestId(), sender);
                return reply(
                        gh,
                        number,
                        false,
                        "@" + sender + " may not revoke " + g.requestId() + ": only the requester and the approvers of "
                                + g.role() + " in " + g.environment() + " can.");
            }
        }
        List<PullRequestStep> steps = new ArrayList<>();
        Instant now = clock.instant();
        for (Grant g : grants) {
            LifecycleMessages.Timeline t = new LifecycleMessages.Timeline(g.start(), g.expiresAt(), now);
            PullRequest removal = openRemoval(
                    gh,
                    g,
                    REVOKE_BRANCH + g.requestId(),
                    messages.revokeCommit(g, sender, now),
                    messages.revokePrTitle(g),
                    messages.revokePrBody(g, sender, t));
            steps.add(new PullRequestStep(g.requestId(), "revoke", removal.number(), false, "opened"));
        }
        if (!leading.getAsBoolean()) {
            // The leader's sync revokes and merges; two replicas reconciling at once would race.
            wakeLeader.run();
            String list = String.join(
                    ", ", grants.stream().map(g -> g.requestId().value()).toList());
            return reply(gh, number, true, "Revoking " + list + " at the request of @" + sender + ".", steps);
        }
        // The open revoke pull requests withdraw the grants: this sync revokes them, then merges the removals.
        SyncReport r = sync();
        steps.addAll(r.pullRequests());
        String list = String.join(
                ", ", grants.stream().map(g -> g.requestId().value()).toList());
        return reply(
                gh,
                number,
                true,
                "Revoked " + list + " at the request of @" + sender
                        + (r.ok() ? "." : "; some revokes are still retrying."),
                steps);
    }

    private static boolean mayRevoke(Optional<Catalog> catalog, Grant g, String sender) {
        Login who;
        try {
            who = new Login(sender);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (who.equals(g.person())) {
            return true;
        }
        return catalog.flatMap(c -> c.role(g.role())
                        .map(r -> r.environments().get(g.environment()))
                        .filter(Objects::nonNull)
                        .map(env -> c.expand(env.approvers()).contains(who)))
                .orElse(false);
    }

    private CommandResult reply(GitHubSide gh, int number, boolean accepted, String text) {
        return reply(gh, number, accepted, text, List.of());
    }

    private CommandResult reply(GitHubSide gh, int number, boolean accepted, String text, List<PullRequestStep> steps) {
        if (!dryRun) {
            gh.gateway().comment(gh.repo(), number, text);
        }
        return new CommandResult(accepted, text, steps);
    }
}
