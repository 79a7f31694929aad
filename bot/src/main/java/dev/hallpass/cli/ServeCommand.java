package dev.hallpass.cli;

import dev.hallpass.bot.AuditedMergeMessages;
import dev.hallpass.bot.HallpassServer;
import dev.hallpass.bot.PullRequestProcessor;
import dev.hallpass.github.GitHubAuth;
import dev.hallpass.github.Hub4jGitHubGateway;
import dev.hallpass.github.RepoName;
import dev.hallpass.health.Health;
import dev.hallpass.lifecycle.ServerLifecycles;
import dev.hallpass.lifecycle.StateBackend;
import dev.hallpass.observe.HallpassMetrics;
import dev.hallpass.policy.OpaRestEngine;
import dev.hallpass.policy.PolicySource;
import dev.hallpass.review.RetroReviews;
import dev.hallpass.state.PgDeliveryLog;
import dev.hallpass.state.PgStateBackend;
import dev.hallpass.state.StateDatabase;
import dev.hallpass.web.WebhookServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hallpass serve}: the webhook server with the grant lifecycle. Runs until stopped. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Run the webhook server: evaluate access pull requests, merge allowed emergencies, apply grants"
                + " on merge, revoke them on expiry and open the revert pull requests. Secrets come from environment"
                + " variables.")
public final class ServeCommand implements Callable<Integer> {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ServeCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    PolicyOptions policy;

    @Option(names = "--repo", required = true, split = ",", description = "Access repositories (owner/name) to serve.")
    List<String> repos;

    @Option(
            names = "--host",
            defaultValue = "0.0.0.0",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--github-api",
            defaultValue = Hub4jGitHubGateway.GITHUB_COM_API,
            description = "GitHub API URL (default: ${DEFAULT-VALUE}).")
    String githubApi;

    @Option(
            names = "--app-id",
            description = "GitHub App id (with --app-key-file); otherwise a token from --token-env.")
    String appId;

    @Option(names = "--app-key-file", description = "The GitHub App's private key (PEM).")
    Path appKeyFile;

    @Option(
            names = "--token-env",
            defaultValue = "GITHUB_TOKEN",
            description = "Environment variable with a token, when no App is configured (default: ${DEFAULT-VALUE}).")
    String tokenEnv;

    @Option(
            names = "--webhook-secret-env",
            defaultValue = "HALLPASS_WEBHOOK_SECRET",
            description = "Environment variable with the webhook secret (default: ${DEFAULT-VALUE}).")
    String secretEnv;

    @Option(names = "--bot-login", split = ",", description = "Logins Hallpass acts as (default: hallpass[bot]).")
    Set<String> botLogins = Set.of("hallpass[bot]");

    @Option(
            names = "--branch",
            defaultValue = "main",
            description = "The access repositories' default branch (default: ${DEFAULT-VALUE}).")
    String branch;

    @Option(
            names = "--state-db",
            defaultValue = "${env:HALLPASS_STATE_DB}",
            description = "JDBC URL of the PostgreSQL state database shared by every replica (or HALLPASS_STATE_DB);"
                    + " no password in it.")
    String stateDb;

    @Option(
            names = "--state-db-user-env",
            defaultValue = "HALLPASS_STATE_DB_USER",
            description = "Environment variable with the state database's user (default: ${DEFAULT-VALUE}).")
    String stateDbUserEnv;

    @Option(
            names = "--state-db-password-env",
            defaultValue = "HALLPASS_STATE_DB_PASSWORD",
            description = "Environment variable with the state database's password (default: ${DEFAULT-VALUE}).")
    String stateDbPasswordEnv;

    @Option(
            names = "--local-state",
            description = "Without a state database: one replica only, state in --state-dir, which must survive"
                    + " restarts. Never run two replicas this way.")
    boolean localState;

    @Option(
            names = "--state-dir",
            defaultValue = "${env:HALLPASS_STATE_DIR:-.hallpass}",
            description = "With --local-state: where applied-grant state lives (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(
            names = "--leader-poll",
            defaultValue = "PT0.25S",
            description = "How often a replica tries to take over a repository whose leader died, ISO-8601"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration leaderPoll;

    @Option(
            names = "--resync",
            defaultValue = "PT5M",
            description = "How often to re-evaluate every open pull request, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration resync;

    @Option(
            names = "--github-timeout",
            defaultValue = "PT10S",
            description = "Longest wait for one GitHub call's answer, ISO-8601; connecting gets at most 5 s"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration githubTimeout;

    @Option(names = "--dry-run", description = "Evaluate and log, but write nothing to GitHub and change no access.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        String secret = System.getenv(secretEnv);
        if (secret == null || secret.isBlank()) {
            throw new ParameterException(
                    spec.commandLine(),
                    "no webhook secret: set " + secretEnv + " (Hallpass never accepts unsigned webhooks)");
        }
        List<RepoName> names = repos.stream().map(RepoName::parse).toList();
        Clock clock = Clock.systemUTC();
        Hub4jGitHubGateway github = new Hub4jGitHubGateway(
                githubApi, auth(names.get(0)), clock, dev.hallpass.github.GitHubTimeouts.read(githubTimeout));
        Health health = new Health();
        StateDatabase db = null;
        StateBackend backend;
        WebhookServer.DeliveryLog deliveries;
        // Emergencies of one repository are judged and merged one at a time across every replica (the live-grant
        // cap); with a single local replica a lock in this process is enough.
        dev.hallpass.bot.RepositoryLock mergeLock = new dev.hallpass.bot.InProcessRepositoryLock();
        if (stateDb != null && !stateDb.isBlank()) {
            if (localState) {
                throw new ParameterException(spec.commandLine(), "give --state-db or --local-state, not both");
            }
            try {
                db = StateDatabase.open(stateDb, System.getenv(stateDbUserEnv), System.getenv(stateDbPasswordEnv));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            StateDatabase database = db;
            PgStateBackend pg = new PgStateBackend(db, leaderPoll);
            backend = pg;
            deliveries = new PgDeliveryLog(db, clock, Duration.ofDays(7));
            dev.hallpass.state.ClusterLocks locks = new dev.hallpass.state.ClusterLocks(db);
            mergeLock = new dev.hallpass.bot.RepositoryLock() {
                @Override
                public <T> T withLock(RepoName repo, java.util.function.Supplier<T> work) {
                    // Waiting longer than an evaluation takes means something is stuck: fail closed, no merge.
                    return locks.withLock("emergency-merge:" + repo, Duration.ofSeconds(30), work);
                }
            };
            health.register("database", () -> {
                if (!database.ping(Duration.ofSeconds(1))) {
                    return Health.Check.failing("the state database does not answer");
                }
                return pg.leadershipConnected()
                        ? Health.Check.ok("reachable")
                        : Health.Check.failing("reachable, but the leadership session is down");
            });
        } else if (localState) {
            Files.createDirectories(stateDir);
            backend = StateBackend.files(stateDir);
            deliveries = WebhookServer.DeliveryLog.inMemory(10_000);
        } else {
            throw new ParameterException(
                    spec.commandLine(),
                    "no state database: give --state-db (or HALLPASS_STATE_DB), or --local-state to keep state in"
                            + " --state-dir with a single replica");
        }
        // GitHub: reachable and not refusing calls for a rate limit (the gateway remembers what it last saw).
        health.register("github", () -> {
            dev.hallpass.github.GitHubHealth h = github.health();
            if (h.lastSuccess().isEmpty() && h.consecutiveFailures() == 0) {
                return Health.Check.ok("not called yet");
            }
            return h.healthy(clock.instant())
                    ? Health.Check.ok("reachable; rate limit remaining "
                            + (h.rateLimitRemaining().isPresent()
                                    ? String.valueOf(h.rateLimitRemaining().getAsLong())
                                    : "unknown"))
                    : Health.Check.failing(
                            h.limitedUntil()
                                            .filter(t -> t.isAfter(clock.instant()))
                                            .isPresent()
                                    ? "rate limited until " + h.limitedUntil().get()
                                    : h.consecutiveFailures() + " call(s) in a row got no answer or a 5xx");
        });
        HallpassMetrics.shared().githubRateLimitRemaining(() -> {
            java.util.OptionalLong r = github.health().rateLimitRemaining();
            return r.isPresent() ? r.getAsLong() : Double.NaN;
        });
        // OPA: asked at start (a missing bundle would deny everything) and at every readiness probe.
        Optional<OpaRestEngine> opa = policy.opa(System.getenv());
        PolicySource policies = opa.<PolicySource>map(PolicySource::fixed).orElseGet(policy::source);
        opa.ifPresent(engine -> {
            OpaRestEngine.Health h = engine.health();
            if (h.healthy()) {
                LOG.info("{}", h.detail());
            } else {
                LOG.warn("{}; decisions fail closed until it is", h.detail());
            }
            health.register("opa", () -> {
                OpaRestEngine.Health now = engine.health();
                return now.healthy() ? Health.Check.ok(now.detail()) : Health.Check.failing(now.detail());
            });
        });
        HallpassServer.Config config =
                new HallpassServer.Config(host, port, secret, names, botLogins, resync, 4, 1000, dryRun);
        RetroReviews reviews =
                new RetroReviews(github, names, branch, botLogins, clock).startOverdueChecks(Duration.ofMinutes(5));
        Function<PullRequestProcessor, HallpassServer.Extensions> lifecycles = ServerLifecycles.extensions(
                github,
                names,
                clock,
                new ServerLifecycles.Options(
                        branch, backend, System.getenv(), Path.of("."), dryRun, botLogins, p -> p, health));
        try (StateDatabase closeDb = db;
                HallpassServer server = new HallpassServer(
                                config,
                                github,
                                policies,
                                clock,
                                reviews.state(),
                                new AuditedMergeMessages(clock, id -> Optional.empty()),
                                p -> reviews.extend(lifecycles.apply(p)),
                                new HallpassServer.Services(health, deliveries, mergeLock))
                        .start()) {
            spec.commandLine()
                    .getOut()
                    .printf("hallpass serve: listening on %s:%d for %s%n", host, server.port(), names);
            spec.commandLine().getOut().flush();
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            stop.await();
        }
        return 0;
    }

    private GitHubAuth auth(RepoName installedOn) throws java.io.IOException {
        if (appId != null) {
            if (appKeyFile == null) {
                throw new ParameterException(spec.commandLine(), "--app-id needs --app-key-file");
            }
            return GitHubAuth.app(appId, Files.readString(appKeyFile), installedOn);
        }
        String token = System.getenv(tokenEnv);
        if (token == null || token.isBlank()) {
            throw new ParameterException(
                    spec.commandLine(), "no GitHub credentials: give --app-id and --app-key-file, or set " + tokenEnv);
        }
        return GitHubAuth.token(token);
    }
}
