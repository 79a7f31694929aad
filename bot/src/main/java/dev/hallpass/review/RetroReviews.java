package dev.hallpass.review;

import dev.hallpass.bot.HallpassBot;
import dev.hallpass.bot.HallpassServer;
import dev.hallpass.github.GitHubGateway;
import dev.hallpass.github.RepoName;
import dev.hallpass.policy.PolicyInput;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * The retroactive reviews of every served repository: their commands, the overdue check every few
 * minutes, and the policy state (live emergencies, overdue reviews) the server evaluates with.
 */
public final class RetroReviews implements AutoCloseable {
    private final Map<RepoName, RetroReview> reviews = new LinkedHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hallpass-review");
        t.setDaemon(true);
        return t;
    });

    public RetroReviews(
            GitHubGateway github, List<RepoName> repos, String defaultBranch, Set<String> botLogins, Clock clock) {
        for (RepoName repo : repos) {
            reviews.put(repo, new RetroReview(github, repo, defaultBranch, botLogins, clock));
        }
    }

    /** What the policy needs from git history; fails closed (throws) when GitHub cannot be read. */
    public Function<RepoName, PolicyInput.State> state() {
        return RetroReview.states(reviews.values());
    }

    public HallpassBot.CommentHandler commentHandler() {
        return e -> {
            RetroReview r = reviews.get(e.repo());
            return r != null && r.handleComment(e);
        };
    }

    public RetroReviews startOverdueChecks(Duration every) {
        reviews.values().forEach(r -> r.scheduleOverdueChecks(scheduler, every));
        return this;
    }

    /** The given extensions with the review commands and the overdue checks added. */
    public HallpassServer.Extensions extend(HallpassServer.Extensions base) {
        return base.plus(new ArrayList<>(List.of(commentHandler())), List.of(this));
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
