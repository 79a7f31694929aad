package dev.hallpass.bot;

import dev.hallpass.github.GitHubGateway;
import dev.hallpass.github.PullRequest;
import dev.hallpass.github.RepoName;
import dev.hallpass.github.WebhookEvent;
import dev.hallpass.web.KeyedWorkQueue;
import dev.hallpass.web.WebhookServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
        KeyedWorkQueue.Admission a = queue.submit(repo + "#" + number, work);
        if (a == KeyedWorkQueue.Admission.REJECTED_FULL || a == KeyedWorkQueue.Admission.REJECTED_CLOSED) {
            throw new WebhookServer.Overloaded("work queue " + a.name().toLowerCase(java.util.Locale.ROOT)
                    + "; GitHub may redeliver, and the resync will catch up");
        }
        return a.name().toLowerCase(java.util.Locale.ROOT) + " " + repo + "#" + number;
    }

    /** Re-evaluates every open pull request of {@code repos} now; returns how many were queued. */
    public int resync(List<RepoName> repos) {
        int n = 0;
        for (RepoName repo : repos) {
            List<PullRequest> open;
            try {
                open = github.openPullRequests(repo);
            } catch (RuntimeException e) {
                LOG.warn("resync of {} failed: {}", repo, e.getMessage());
                continue;
            }
            for (PullRequest pr : open) {
                KeyedWorkQueue.Admission a =
                        queue.submit(repo + "#" + pr.number(), () -> processor.process(repo, pr.number()));
                if (a != KeyedWorkQueue.Admission.REJECTED_FULL && a != KeyedWorkQueue.Admission.REJECTED_CLOSED) {
                    n++;
                }
            }
        }
        return n;
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
