package dev.hallpass.lifecycle;

import dev.hallpass.bot.GitHubRepoTree;
import dev.hallpass.bot.HallpassBot;
import dev.hallpass.bot.HallpassServer;
import dev.hallpass.bot.PullRequestProcessor;
import dev.hallpass.github.GitHubGateway;
import dev.hallpass.github.RepoName;
import dev.hallpass.grant.AppliedGrants;
import dev.hallpass.grant.AttemptListener;
import dev.hallpass.grant.FileAppliedGrants;
import dev.hallpass.grant.GrantExecutor;
import dev.hallpass.grant.Providers;
import dev.hallpass.grant.RetryPolicy;
import dev.hallpass.grant.Sleeper;
import dev.hallpass.grant.TeamMembership;
import dev.hallpass.request.AccessRepo;
import dev.hallpass.request.AccessRepoLoader;
import dev.hallpass.request.Settings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The grant lifecycle of {@code hallpass serve}: per access repository, grants rebuilt from the default
 * branch through the GitHub API, providers from its {@code hallpass.yaml}, a durable applied-grants file,
 * and an expiry scheduler that revokes on time and opens the revert pull requests.
 */
public final class ServerLifecycles {
    private ServerLifecycles() {}

    /** What the lifecycle needs besides GitHub: where state lives, the environment for secrets. */
    public record Options(
            String defaultBranch,
            Path stateDir,
            Map<String, String> environment,
            Path workingDir,
            boolean dryRun,
            Set<String> botLogins,
            Function<Providers, Providers> providerOverride) {}

    /** Builds the lifecycles once the server's processor exists; pass to {@link HallpassServer}. */
    public static Function<PullRequestProcessor, HallpassServer.Extensions> extensions(
            GitHubGateway github, List<RepoName> repos, Clock clock, Options s) {
        return processor -> {
            Map<RepoName, GrantLifecycle> lifecycles = new LinkedHashMap<>();
            Map<RepoName, ExpiryScheduler> schedulers = new LinkedHashMap<>();
            List<AutoCloseable> resources = new ArrayList<>();
            GitHubRepoTree.Cache cache = new GitHubRepoTree.Cache(10_000);
            for (RepoName repo : repos) {
                GrantLifecycle lifecycle = lifecycle(github, repo, processor, clock, cache, s);
                ExpiryScheduler scheduler =
                        ExpiryScheduler.withDefaults(lifecycle, clock).start();
                lifecycles.put(repo, lifecycle);
                schedulers.put(repo, scheduler);
                resources.add(scheduler);
            }
            HallpassBot.CommentHandler comments = e -> {
                GrantLifecycle l = lifecycles.get(e.repo());
                return l != null && l.handleComment(e);
            };
            HallpassBot.MergeHandler merges = (repo, number) -> {
                ExpiryScheduler sch = schedulers.get(repo);
                if (sch != null) {
                    sch.wake();
                }
            };
            return new HallpassServer.Extensions(List.of(comments), merges, resources);
        };
    }

    static GrantLifecycle lifecycle(
            GitHubGateway github,
            RepoName repo,
            PullRequestProcessor processor,
            Clock clock,
            GitHubRepoTree.Cache cache,
            Options s) {
        String head = github.branchSha(repo, s.defaultBranch());
        AccessRepo config = new AccessRepoLoader().loadConfig(new GitHubRepoTree(github, repo, head, cache));
        Settings settings = config.settings()
                .orElseThrow(() -> new IllegalStateException("cannot read hallpass.yaml of " + repo + " at "
                        + head.substring(0, 7) + ": " + config.problems()));
        Providers providers = s.providerOverride()
                .apply(Providers.fromSettings(settings, s.environment(), s.workingDir(), teams(github)));
        if (s.dryRun()) {
            providers = providers.dryRun();
        }
        AppliedGrants applied = new FileAppliedGrants(
                s.stateDir().resolve(repo.owner() + "-" + repo.name()).resolve("applied.json"));
        GrantExecutor executor = new GrantExecutor(
                providers, applied, RetryPolicy.defaults(), Sleeper.REAL, clock, AttemptListener.NONE);
        return new GrantLifecycle(
                new GitHubGrantSource(github, repo, s.defaultBranch(), cache),
                executor,
                applied,
                clock,
                s.dryRun(),
                Optional.of(new GrantLifecycle.GitHubSide(github, repo, s.defaultBranch(), processor, s.botLogins())),
                LifecycleMessages.DEFAULT);
    }

    /** GitHub team membership through the gateway; an invitation is not access, so it fails the apply. */
    public static TeamMembership teams(GitHubGateway g) {
        return new TeamMembership() {
            @Override
            public boolean isMember(String organization, String team, String login) {
                return g.isTeamMember(organization, team, login);
            }

            @Override
            public void add(String organization, String team, String login) {
                if (!g.addTeamMember(organization, team, login)) {
                    throw new IllegalStateException(
                            login + " was invited to " + organization + " but is not a member yet");
                }
            }

            @Override
            public void remove(String organization, String team, String login) {
                g.removeTeamMember(organization, team, login);
            }
        };
    }
}
