package dev.hallpass.lifecycle;

import dev.hallpass.bot.GitHubRepoTree;
import dev.hallpass.bot.HallpassBot;
import dev.hallpass.bot.HallpassServer;
import dev.hallpass.bot.PullRequestProcessor;
import dev.hallpass.github.GitHubException;
import dev.hallpass.github.GitHubGateway;
import dev.hallpass.github.RepoName;
import dev.hallpass.grant.AppliedGrants;
import dev.hallpass.grant.AttemptListener;
import dev.hallpass.grant.GrantExecutor;
import dev.hallpass.grant.Providers;
import dev.hallpass.grant.RetryPolicy;
import dev.hallpass.grant.Sleeper;
import dev.hallpass.grant.TeamMembership;
import dev.hallpass.health.Health;
import dev.hallpass.observe.HallpassMetrics;
import dev.hallpass.request.ConfigParser;
import dev.hallpass.request.Problems;
import dev.hallpass.request.Settings;
import dev.hallpass.request.SourceFile;
import dev.hallpass.request.YamlReader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The grant lifecycle of {@code hallpass serve}: per access repository, grants rebuilt from the default
 * branch through the GitHub API, providers from its {@code hallpass.yaml}, durable applied grants, and an
 * expiry scheduler that revokes on time and opens the revert pull requests.
 *
 * <p>Where the state lives and who runs the scheduler is the {@link StateBackend}'s: with the state database
 * every replica builds the lifecycles but only the leader of a repository runs its scheduler. When GitHub
 * is down at start-up the providers are built from the last {@code hallpass.yaml} saved, and the scheduler
 * revokes from the saved schedule until git can be read again.
 */
public final class ServerLifecycles {
    private static final Logger LOG = LoggerFactory.getLogger(ServerLifecycles.class);
    /** A scheduler run longer than this is reported as stuck. */
    public static final Duration STUCK_RUN = Duration.ofMinutes(2);

    private ServerLifecycles() {}

    /** What the lifecycle needs besides GitHub: where state lives, the environment for secrets. */
    public record Options(
            String defaultBranch,
            StateBackend state,
            Map<String, String> environment,
            Path workingDir,
            boolean dryRun,
            Set<String> botLogins,
            Function<Providers, Providers> providerOverride,
            Health health) {

        /** A single process keeping its applied grants in {@code stateDir}. */
        public Options(
                String defaultBranch,
                Path stateDir,
                Map<String, String> environment,
                Path workingDir,
                boolean dryRun,
                Set<String> botLogins,
                Function<Providers, Providers> providerOverride) {
            this(
                    defaultBranch,
                    StateBackend.files(stateDir),
                    environment,
                    workingDir,
                    dryRun,
                    botLogins,
                    providerOverride,
                    new Health());
        }
    }

    /** Builds the lifecycles once the server's processor exists; pass to {@link HallpassServer}. */
    public static Function<PullRequestProcessor, HallpassServer.Extensions> extensions(
            GitHubGateway github, List<RepoName> repos, Clock clock, Options s) {
        return processor -> {
            Map<RepoName, RepoRuntime> runtimes = new LinkedHashMap<>();
            GitHubRepoTree.Cache cache = new GitHubRepoTree.Cache(10_000);
            for (RepoName repo : repos) {
                RepoRuntime rt = new RepoRuntime(github, repo, processor, clock, cache, s);
                rt.tryBuild();
                runtimes.put(repo, rt);
                s.health().register("lifecycle:" + repo, rt::lifecycleCheck);
                s.health().register("github:" + repo, rt::githubCheck);
            }
            StateBackend.Election election = s.state().elect(new LinkedHashMap<>(runtimes));
            runtimes.values().forEach(rt -> rt.election = election);
            HallpassBot.CommentHandler comments = e -> {
                RepoRuntime rt = runtimes.get(e.repo());
                GrantLifecycle l = rt == null ? null : rt.lifecycle;
                return l != null && l.handleComment(e);
            };
            HallpassBot.MergeHandler merges = (repo, number) -> {
                if (runtimes.containsKey(repo)) {
                    election.wake(repo);
                }
            };
            return new HallpassServer.Extensions(List.of(comments), merges, List.of(election));
        };
    }

    /** One repository's lifecycle in this process, and its scheduler while this process leads the repository. */
    static final class RepoRuntime implements StateBackend.Role {
        private final GitHubGateway github;
        private final RepoName repo;
        private final PullRequestProcessor processor;
        private final Clock clock;
        private final GitHubRepoTree.Cache cache;
        private final Options options;
        volatile GrantLifecycle lifecycle;
        volatile StateBackend.Election election;
        private volatile String buildError = "not built yet";
        private volatile boolean fromSavedSettings;
        private volatile boolean leading;
        private ExpiryScheduler scheduler;
        private Thread retry;

        RepoRuntime(
                GitHubGateway github,
                RepoName repo,
                PullRequestProcessor processor,
                Clock clock,
                GitHubRepoTree.Cache cache,
                Options options) {
            this.github = github;
            this.repo = repo;
            this.processor = processor;
            this.clock = clock;
            this.cache = cache;
            this.options = options;
        }

        synchronized boolean tryBuild() {
            if (lifecycle != null) {
                return true;
            }
            try {
                lifecycle = lifecycle(github, repo, processor, clock, cache, options, this);
                lifecycle.followerMode(() -> leading, () -> {
                    StateBackend.Election e = election;
                    if (e != null) {
                        e.wake(repo);
                    }
                });
                buildError = null;
                return true;
            } catch (RuntimeException e) {
                buildError = e.getMessage();
                LOG.error("cannot start the grant lifecycle of {} yet: {}", repo, e.getMessage());
                return false;
            }
        }

        @Override
        public synchronized void lead() {
            leading = true;
            if (tryBuild()) {
                startScheduler();
                return;
            }
            // No settings yet (GitHub down on the very first start): keep trying while this replica leads.
            retry = new Thread(
                    () -> {
                        while (!Thread.currentThread().isInterrupted()) {
                            try {
                                Thread.sleep(5_000);
                            } catch (InterruptedException e) {
                                return;
                            }
                            synchronized (this) {
                                if (!leading) {
                                    return;
                                }
                                if (tryBuild()) {
                                    startScheduler();
                                    return;
                                }
                            }
                        }
                    },
                    "hallpass-lifecycle-start");
            retry.setDaemon(true);
            retry.start();
        }

        private void startScheduler() {
            if (scheduler == null) {
                scheduler = ExpiryScheduler.withDefaults(lifecycle, clock)
                        .enforcingSavedScheduleFirst()
                        .start();
            }
        }

        @Override
        public synchronized void follow() {
            leading = false;
            if (retry != null) {
                retry.interrupt();
                retry = null;
            }
            if (scheduler != null) {
                scheduler.close();
                scheduler = null;
            }
        }

        @Override
        public synchronized void wake() {
            if (scheduler != null) {
                scheduler.wake();
            }
        }

        private synchronized Optional<ExpiryScheduler.Status> status() {
            return Optional.ofNullable(scheduler).map(ExpiryScheduler::status);
        }

        Health.Check lifecycleCheck() {
            if (lifecycle == null) {
                return Health.Check.failing("cannot start: " + buildError);
            }
            if (!leading) {
                return Health.Check.ok("following (another replica leads " + repo + ")");
            }
            Optional<ExpiryScheduler.Status> st = status();
            if (st.isEmpty()) {
                return Health.Check.ok("leading, starting");
            }
            return schedulerCheck(st.get(), clock.instant());
        }

        Health.Check githubCheck() {
            Optional<String> err = leading ? status().flatMap(ExpiryScheduler.Status::gitError) : Optional.empty();
            if (err.isPresent()) {
                return Health.Check.failing("cannot read git: " + err.get());
            }
            if (lifecycle == null) {
                return Health.Check.failing("cannot read hallpass.yaml: " + buildError);
            }
            if (fromSavedSettings && !leading) {
                return Health.Check.failing("started from the saved settings: GitHub was unreachable");
            }
            return Health.Check.ok(leading ? "git read" : "not leading");
        }
    }

    /** Ready unless the scheduler is stuck in one run or its last run left a revoke failed. */
    static Health.Check schedulerCheck(ExpiryScheduler.Status x, Instant now) {
        if (x.runningSince().isPresent()
                && Duration.between(x.runningSince().get(), now).compareTo(STUCK_RUN) > 0) {
            return Health.Check.failing("the expiry scheduler has been running for "
                    + Duration.between(x.runningSince().get(), now).toSeconds() + " s (stuck)");
        }
        if (!x.failedRevokes().isEmpty()) {
            return Health.Check.failing("revoke failed: " + String.join("; ", x.failedRevokes()));
        }
        return Health.Check.ok(
                "leading; last run " + x.lastRun().map(Object::toString).orElse("pending"));
    }

    static GrantLifecycle lifecycle(
            GitHubGateway github,
            RepoName repo,
            PullRequestProcessor processor,
            Clock clock,
            GitHubRepoTree.Cache cache,
            Options s,
            RepoRuntime runtime) {
        RepoStateStore store = s.state().store(repo);
        Settings settings = settings(github, repo, cache, s.defaultBranch(), store, runtime);
        Providers providers = s.providerOverride()
                .apply(Providers.fromSettings(settings, s.environment(), s.workingDir(), teams(github)));
        if (s.dryRun()) {
            providers = providers.dryRun();
        }
        AppliedGrants applied = s.state().applied(repo);
        // Read at each scrape; a state database that cannot answer shows as NaN rather than a stale count.
        HallpassMetrics.shared().grantsLive(repo.toString(), () -> {
            try {
                return applied.snapshot().size();
            } catch (RuntimeException e) {
                return Double.NaN;
            }
        });
        GrantExecutor executor = new GrantExecutor(
                providers, applied, RetryPolicy.defaults(), Sleeper.REAL, clock, AttemptListener.NONE);
        return new GrantLifecycle(
                new GitHubGrantSource(github, repo, s.defaultBranch(), cache),
                executor,
                applied,
                clock,
                s.dryRun(),
                Optional.of(new GrantLifecycle.GitHubSide(github, repo, s.defaultBranch(), processor, s.botLogins())),
                LifecycleMessages.DEFAULT,
                store);
    }

    /**
     * The settings at the default branch's head, saved for the next start; when GitHub cannot be read, the
     * last ones saved.
     */
    private static Settings settings(
            GitHubGateway github,
            RepoName repo,
            GitHubRepoTree.Cache cache,
            String branch,
            RepoStateStore store,
            RepoRuntime runtime) {
        String head;
        byte[] bytes;
        try {
            head = github.branchSha(repo, branch);
            bytes = new GitHubRepoTree(github, repo, head, cache)
                    .read(Settings.FILE, YamlReader.CONFIG_MAX_BYTES)
                    .orElseThrow(() -> new IllegalStateException(repo + " has no " + Settings.FILE));
        } catch (GitHubException | java.io.UncheckedIOException e) {
            Optional<byte[]> saved = store.settings();
            if (saved.isEmpty()) {
                throw new IllegalStateException(
                        "GitHub is unreachable (" + e.getMessage() + ") and no settings of " + repo + " were saved", e);
            }
            LOG.warn("GitHub is unreachable ({}); building the providers of {} from the saved settings", e, repo);
            if (runtime != null) {
                runtime.fromSavedSettings = true;
            }
            return parse(repo, "saved", saved.get());
        }
        Settings settings = parse(repo, head.substring(0, 7), bytes);
        try {
            store.saveSettings(head, bytes);
        } catch (RuntimeException e) {
            LOG.warn("cannot save the settings of {}: {}", repo, e.getMessage());
        }
        return settings;
    }

    private static Settings parse(RepoName repo, String at, byte[] bytes) {
        Problems problems = new Problems();
        return new ConfigParser()
                .settings(new SourceFile(Settings.FILE, bytes), problems)
                .orElseThrow(() -> new IllegalStateException(
                        "cannot read hallpass.yaml of " + repo + " at " + at + ": " + problems.sorted()));
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
