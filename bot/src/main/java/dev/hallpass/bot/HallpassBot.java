package dev.hallpass.bot;

import dev.hallpass.github.GitHubGateway;
import dev.hallpass.github.GitHubRateLimitException;
import dev.hallpass.github.PullRequest;
import dev.hallpass.github.RepoName;
import dev.hallpass.github.WebhookEvent;
import dev.hallpass.web.KeyedWorkQueue;
import dev.hallpass.web.WebhookServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes webhook events to work: pull request and review events re-evaluate the pull request, merges
 * of the default branch go to the grant lifecycle, comments go to the command handlers. Work for one
 * pull request runs one at a time; a periodic resync re-evaluates every open pull request so a lost
 * webhook never leaves one stuck.
 */
public final class HallpassBot implements WebhookServer.Dispatcher, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HallpassBot.class);
    private static final Set<String> PR_ACTIONS =
            Set.of("opened", "synchronize", "reopened", "edited", "ready_for_review");

    /** Handles {@code issue_comment} events (commands such as {@code /hallpass revoke}). */
    @FunctionalInterface
    public interface CommentHandler {
        /** Returns true when the comment was a command this handler took. Runs on the pull request's queue. */
        boolean handle(WebhookEvent event);
    }

    /** Called when something merged into the default branch, to apply, extend or revoke grants. */
    @FunctionalInterface
    public interface MergeHandler {
        void merged(RepoName repo, int number);
    }

    private final GitHubGateway github;
    private final Set<String> repos;
    private final PullRequestProcessor processor;
    private final KeyedWorkQueue queue;
    private final List<CommentHandler> commentHandlers;
    private final MergeHandler mergeHandler;
    private final ScheduledExecutorService scheduler;
    /** Per "repo#number", the head sha and updated_at of the last completed resync evaluation. */
    private final Map<String, String> evaluated = new ConcurrentHashMap<>();

    private final AtomicLong requeued = new AtomicLong();
    private final AtomicLong resyncs = new AtomicLong();
    /** Every this many resyncs, all open pull requests are re-evaluated (hourly at the 5-minute default). */
    static final int FULL_RESYNC_EVERY = 12;

    private final String defaultBranch = "main";

    /** @param repos the repositories served ({@code --repo}); events of any other repository are ignored */
    public HallpassBot(
            GitHubGateway github,
            List<RepoName> repos,
            PullRequestProcessor processor,
            KeyedWorkQueue queue,
            List<CommentHandler> commentHandlers,
            MergeHandler mergeHandler) {
        this.github = github;
        this.repos = Set.copyOf(repos.stream().map(HallpassBot::key).toList());
        this.processor = processor;
        this.queue = queue;
        this.commentHandlers = List.copyOf(commentHandlers);
        this.mergeHandler = mergeHandler;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hallpass-resync");
            t.setDaemon(true);
            return t;
        });
    }

    /** GitHub compares repository names case-insensitively. */
    private static String key(RepoName repo) {
        return repo.fullName().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String dispatch(WebhookEvent e) {
        // An App installed on more repositories than Hallpass serves sends their events too; only the repositories
        // given to --repo hold access requests, and only their configuration judges them.
        if (!repos.contains(key(e.repo()))) {
            return "ignored: " + e.repo() + " is not served";
        }
        // GitHub reports the bot's own comments, labels and merges too; acting on them would loop. A merge is the
        // exception: whoever merged, access must follow the default branch.
        boolean merge = e.event().equals("pull_request") && e.action().equals("closed");
        if (processor.isBot(e.sender()) && !merge) {
            return "ignored: sent by Hallpass itself";
        }
        if (e.pullRequestNumber().isEmpty()) {
            return "ignored: not about a pull request";
        }
        int number = e.pullRequestNumber().getAsInt();
        RepoName repo = e.repo();
        switch (e.event()) {
            case "pull_request":
                if (PR_ACTIONS.contains(e.action())) {
                    e.pullRequest().ifPresent(github::notePullRequest); // the evaluation need not read it again
                    return submit(repo, number, () -> evaluate(repo, number));
                }
                if (e.action().equals("closed")) {
                    return submit(repo, number, () -> {
                        PullRequest pr = github.pullRequest(repo, number);
                        if (pr.merged()) {
                            mergeHandler.merged(repo, number);
                        }
                    });
                }
                return "ignored: pull_request." + e.action();
            case "pull_request_review":
                if (e.action().equals("submitted")
                        || e.action().equals("dismissed")
                        || e.action().equals("edited")) {
                    return submit(repo, number, () -> {
                        PullRequest pr = github.pullRequest(repo, number);
                        if (pr.state() == PullRequest.State.OPEN) {
                            evaluate(repo, number);
                        } else {
                            commentHandlers.forEach(h -> h.handle(e));
                        }
                    });
                }
                return "ignored: pull_request_review." + e.action();
            case "issue_comment":
                if (commentHandlers.isEmpty()) {
                    return "ignored: no command handlers";
                }
                return submit(repo, number, () -> {
                    for (CommentHandler h : commentHandlers) {
                        if (h.handle(e)) {
                            return;
                        }
                    }
                });
            default:
                return "ignored: " + e.event();
        }
    }

    /** Evaluates a pull request; a merge Hallpass made goes straight to the grant lifecycle, webhook or not. */
    private void evaluate(RepoName repo, int number) {
        PullRequestProcessor.Outcome o = processor.process(repo, number);
        if (o.merge().map(m -> m.isMerged()).orElse(false)) {
            mergeHandler.merged(repo, number);
        }
    }

    private String submit(RepoName repo, int number, Runnable work) {
        KeyedWorkQueue.Admission a = enqueue(repo + "#" + number, work);
        if (a == KeyedWorkQueue.Admission.REJECTED_FULL || a == KeyedWorkQueue.Admission.REJECTED_CLOSED) {
            throw new WebhookServer.Overloaded("work queue " + a.name().toLowerCase(java.util.Locale.ROOT)
                    + "; GitHub may redeliver, and the resync will catch up");
        }
        return a.name().toLowerCase(java.util.Locale.ROOT) + " " + repo + "#" + number;
    }

    /**
     * Re-evaluates the open pull requests of {@code repos} whose state may have changed since their last completed
     * evaluation (head, {@code updated_at}, or the tip of the branch they target, where the rules live); every
     * {@value #FULL_RESYNC_EVERY}th resync re-evaluates all of them, for decisions that change with time alone (on-call
     * hand-offs). Returns how many were queued.
     */
    public int resync(List<RepoName> repos) {
        boolean full = resyncs.getAndIncrement() % FULL_RESYNC_EVERY == 0;
        int n = 0;
        for (RepoName repo : repos) {
            Map<Integer, String> open;
            String mainTip;
            try {
                open = github.openPullRequestVersions(repo);
            } catch (RuntimeException e) {
                LOG.warn("resync of {} failed: {}", repo, e.getMessage());
                continue;
            }
            try {
                mainTip = open.isEmpty() ? "" : github.branchSha(repo, defaultBranch);
            } catch (RuntimeException e) {
                mainTip = "?" + resyncs.get(); // unknown: treat as changed
            }
            for (Map.Entry<Integer, String> pr : open.entrySet()) {
                int number = pr.getKey();
                String key = repo + "#" + number;
                String version = pr.getValue() + " " + mainTip;
                if (!full && version.equals(evaluated.get(key))) {
                    continue; // unchanged since its last evaluation completed: nothing a webhook could have missed
                }
                KeyedWorkQueue.Admission a = enqueue(key, () -> {
                    processor.process(repo, number);
                    evaluated.put(key, version);
                });
                if (a != KeyedWorkQueue.Admission.REJECTED_FULL && a != KeyedWorkQueue.Admission.REJECTED_CLOSED) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * Queues {@code work} for {@code key}; when GitHub refuses it for a rate limit, the same work is queued again for
     * the time GitHub named (the latest work for the key still wins), so a limited evaluation is delayed, never lost.
     */
    private KeyedWorkQueue.Admission enqueue(String key, Runnable work) {
        return queue.submit(key, () -> {
            try {
                work.run();
            } catch (GitHubRateLimitException e) {
                long delay = Math.max(1, e.retryAfter().toMillis());
                LOG.warn("{}: GitHub rate limit; retrying in {} ms: {}", key, delay, e.getMessage());
                requeued.incrementAndGet();
                try {
                    scheduler.schedule(
                            () -> {
                                KeyedWorkQueue.Admission a = enqueue(key, work);
                                if (a == KeyedWorkQueue.Admission.REJECTED_FULL) {
                                    LOG.warn("{}: queue full after the rate limit; the resync will catch up", key);
                                }
                            },
                            delay,
                            TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException closed) {
                    LOG.warn("{}: not retried, shutting down", key);
                }
            }
        });
    }

    /** Work put back on the queue after a rate limit, since start. */
    public long rateLimitRequeues() {
        return requeued.get();
    }

    /** Starts the periodic resync. */
    public void startResync(List<RepoName> repos, Duration every) {
        List<RepoName> copy = new ArrayList<>(repos);
        scheduler.scheduleWithFixedDelay(
                () -> {
                    try {
                        LOG.info("resync queued {} open pull request(s)", resync(copy));
                    } catch (RuntimeException e) {
                        LOG.warn("resync failed", e);
                    }
                },
                every.toMillis(),
                every.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    public KeyedWorkQueue queue() {
        return queue;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        queue.close();
    }
}
