package dev.hallpass.cli;

import dev.hallpass.git.GitCommitTree;
import dev.hallpass.github.GitHubAuth;
import dev.hallpass.github.GitHubGateway;
import dev.hallpass.github.Hub4jGitHubGateway;
import dev.hallpass.github.RepoName;
import dev.hallpass.grant.AttemptListener;
import dev.hallpass.grant.FileAppliedGrants;
import dev.hallpass.grant.GrantExecutor;
import dev.hallpass.grant.Providers;
import dev.hallpass.grant.RetryPolicy;
import dev.hallpass.grant.Sleeper;
import dev.hallpass.grant.TeamMembership;
import dev.hallpass.lifecycle.GrantLifecycle;
import dev.hallpass.lifecycle.GrantSource;
import dev.hallpass.lifecycle.LifecycleMessages;
import dev.hallpass.lifecycle.LocalGitGrantSource;
import dev.hallpass.lifecycle.ServerLifecycles;
import dev.hallpass.request.AccessRepo;
import dev.hallpass.request.AccessRepoLoader;
import dev.hallpass.request.Settings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** What {@code apply}, {@code expire} and {@code reconcile} share: the checkout, the applied state, GitHub. */
public final class LifecycleOptions {
    @Option(names = "--repo", defaultValue = ".", description = "The access repository checkout (default: .).")
    Path repo;

    @Option(
            names = "--ref",
            defaultValue = "HEAD",
            description = "The default branch's commit to act on (default: HEAD, the checkout after a push).")
    String ref;

    @Option(
            names = "--state",
            description = "Applied-grants state file; must survive between runs (default: $HALLPASS_STATE, else"
                    + " .hallpass/applied.json under --repo).")
    Path state;

    @Option(names = "--dry-run", description = "Call providers in dry-run mode and write nothing.")
    boolean dryRun;

    @Option(names = "--github-repo", description = "owner/name of the access repository on GitHub.")
    String githubRepo;

    @Option(
            names = "--github-api",
            defaultValue = Hub4jGitHubGateway.GITHUB_COM_API,
            description = "GitHub API URL (default: ${DEFAULT-VALUE}).")
    String githubApi;

    @Option(
            names = "--token-env",
            defaultValue = "GITHUB_TOKEN",
            description = "Environment variable holding the GitHub token (default: ${DEFAULT-VALUE}).")
    String tokenEnv;

    @Option(names = "--branch", defaultValue = "main", description = "The default branch on GitHub (default: main).")
    String branch;

    @Option(
            names = "--bot-login",
            split = ",",
            description = "Logins Hallpass acts as on GitHub, to recognise its own pull requests"
                    + " (default: github-actions[bot]).")
    Set<String> botLogins = Set.of("github-actions[bot]");

    /** The environment tokens, state and providers come from; the Action injects the runner's. */
    Map<String, String> env = System.getenv();

    Repository open() throws IOException {
        FileRepositoryBuilder b =
                new FileRepositoryBuilder().findGitDir(repo.toAbsolutePath().toFile());
        if (b.getGitDir() == null) {
            b = new FileRepositoryBuilder().setGitDir(repo.toAbsolutePath().toFile());
        }
        Repository r = b.build();
        if (!r.getObjectDatabase().exists()) {
            throw new IOException(repo + " is not a git repository");
        }
        return r;
    }

    Path stateFile() {
        if (state != null) {
            return state;
        }
        String fromEnv = env.get("HALLPASS_STATE");
        return fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv) : repo.resolve(".hallpass/applied.json");
    }

    Optional<GitHubGateway> gateway(Clock clock) {
        if (githubRepo == null) {
            return Optional.empty();
        }
        String token = env.get(tokenEnv);
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("environment variable " + tokenEnv + " (--token-env) is not set");
        }
        return Optional.of(new Hub4jGitHubGateway(githubApi, GitHubAuth.token(token), clock));
    }

    /** Everything a command needs, built from the checkout's hallpass.yaml and the process environment. */
    record Wiring(
            GrantSource source,
            Providers providers,
            FileAppliedGrants applied,
            GrantExecutor executor,
            GrantLifecycle lifecycle,
            AccessRepo config) {}

    Wiring wire(Repository git, Clock clock) throws IOException {
        AccessRepo config = new AccessRepoLoader().loadConfig(GitCommitTree.at(git, ref));
        Settings settings = config.settings()
                .orElseThrow(() ->
                        new IllegalArgumentException("cannot read hallpass.yaml at " + ref + ": " + config.problems()));
        Optional<GitHubGateway> gh = gateway(clock);
        TeamMembership teams = gh.map(ServerLifecycles::teams).orElse(null);
        Providers providers = Providers.fromSettings(settings, env, repo.toAbsolutePath(), teams);
        if (dryRun) {
            providers = providers.dryRun();
        }
        FileAppliedGrants applied = new FileAppliedGrants(stateFile());
        GrantExecutor executor = new GrantExecutor(
                providers, applied, RetryPolicy.defaults(), Sleeper.REAL, clock, AttemptListener.NONE);
        GrantSource source = new LocalGitGrantSource(git, ref);
        Optional<GrantLifecycle.GitHubSide> side =
                gh.map(g -> new GrantLifecycle.GitHubSide(g, RepoName.parse(githubRepo), branch, null, botLogins));
        GrantLifecycle lifecycle =
                new GrantLifecycle(source, executor, applied, clock, dryRun, side, LifecycleMessages.DEFAULT);
        LoggerFactory.getLogger(LifecycleOptions.class).debug("state file {}", stateFile());
        return new Wiring(source, providers, applied, executor, lifecycle, config);
    }
}
