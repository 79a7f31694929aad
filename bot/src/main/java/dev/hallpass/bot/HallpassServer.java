package dev.hallpass.bot;

import dev.hallpass.evaluation.AccessEvaluator;
import dev.hallpass.github.GitHubGateway;
import dev.hallpass.github.RepoName;
import dev.hallpass.health.Health;
import dev.hallpass.policy.PolicyInput;
import dev.hallpass.policy.PolicySource;
import dev.hallpass.web.KeyedWorkQueue;
import dev.hallpass.web.WebhookServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The composition root of {@code hallpass serve}: the webhook server, the work queue, the pull-request
 * processor and the periodic resync, wired from one {@link Config}. The demo and the end-to-end tests
 * start exactly this.
 */
public final class HallpassServer implements AutoCloseable {

    /**
     * @param repos the access repositories to resync
     * @param botLogins logins Hallpass acts as (its own events are ignored; its pull requests are expiries)
     */
    public record Config(
            String host,
            int port,
            String webhookSecret,
            List<RepoName> repos,
            Set<String> botLogins,
            Duration resyncEvery,
            int workers,
            int maxQueuedPullRequests,
            boolean dryRun) {
        public Config {
            Objects.requireNonNull(host, "host");
            repos = List.copyOf(repos);
            botLogins = Set.copyOf(botLogins);
            Objects.requireNonNull(resyncEvery, "resyncEvery");
        }

        public static Config defaults(String webhookSecret, List<RepoName> repos) {
            return new Config(
                    "0.0.0.0",
                    8080,
                    webhookSecret,
                    repos,
                    Set.of("hallpass[bot]"),
                    Duration.ofMinutes(5),
                    4,
                    1000,
                    false);
        }

        public Config withPort(String host, int port) {
            return new Config(
                    host, port, webhookSecret, repos, botLogins, resyncEvery, workers, maxQueuedPullRequests, dryRun);
        }

        public Config withBotLogins(Set<String> logins) {
            return new Config(
                    host, port, webhookSecret, repos, logins, resyncEvery, workers, maxQueuedPullRequests, dryRun);
        }
    }

    /**
     * What plugs into the server once its processor exists: command handlers, what to do after a merge, and
     * resources (schedulers) to start and close with it.
     */
    public record Extensions(
            List<HallpassBot.CommentHandler> comments, HallpassBot.MergeHandler merges, List<AutoCloseable> resources) {
        public Extensions {
            comments = List.copyOf(comments);
            Objects.requireNonNull(merges, "merges");
            resources = List.copyOf(resources);
        }

        public static Extensions none() {
            return new Extensions(List.of(), (repo, number) -> {}, List.of());
        }

        /** These extensions plus more comment handlers and resources. */
        public Extensions plus(List<HallpassBot.CommentHandler> moreComments, List<AutoCloseable> moreResources) {
            List<HallpassBot.CommentHandler> c = new ArrayList<>(comments);
            c.addAll(moreComments);
            List<AutoCloseable> r = new ArrayList<>(resources);
            r.addAll(moreResources);
            return new Extensions(c, merges, r);
        }
    }

    /**
     * What several replicas share or an operator watches: the readiness checks (the server adds its queue's)
     * and the log of webhook deliveries seen.
     */
    public record Services(Health health, WebhookServer.DeliveryLog deliveries, RepositoryLock mergeLock) {
        public Services {
            Objects.requireNonNull(health, "health");
            Objects.requireNonNull(deliveries, "deliveries");
            Objects.requireNonNull(mergeLock, "mergeLock");
        }

        /** One replica's checks and deliveries; emergencies are serialised within this process only. */
        public Services(Health health, WebhookServer.DeliveryLog deliveries) {
            this(health, deliveries, new InProcessRepositoryLock());
        }

        /** One process on its own: its own checks, deliveries remembered in memory. */
        public static Services local() {
            return new Services(new Health(), WebhookServer.DeliveryLog.inMemory(10_000));
        }
    }

    /** A pull request's evaluation running longer than this is reported as a stuck worker. */
    public static final Duration STUCK_WORKER = Duration.ofMinutes(5);

    private final Config config;
    private final PullRequestProcessor processor;
    private final Extensions extensions;
    private final HallpassBot bot;
    private final WebhookServer server;
    private final Health health;

    public HallpassServer(
            Config config,
            GitHubGateway github,
            PolicySource policies,
            Clock clock,
            Function<RepoName, PolicyInput.State> state,
            PullRequestProcessor.MergeMessages messages,
            Function<PullRequestProcessor, Extensions> extensions) {
        this(config, github, policies, clock, state, messages, extensions, Services.local());
    }

    public HallpassServer(
            Config config,
            GitHubGateway github,
            PolicySource policies,
            Clock clock,
            Function<RepoName, PolicyInput.State> state,
            PullRequestProcessor.MergeMessages messages,
            Function<PullRequestProcessor, Extensions> extensions,
            Services services) {
        this.config = config;
        this.health = services.health();
        AccessEvaluator evaluator = new AccessEvaluator(policies, clock);
        this.processor = new PullRequestProcessor(
                github,
                evaluator,
                new GitHubRepoTree.Cache(10_000),
                state,
                config.botLogins(),
                messages,
                config.dryRun(),
                services.mergeLock());
        KeyedWorkQueue queue = new KeyedWorkQueue(config.workers(), config.maxQueuedPullRequests(), e -> {});
        this.extensions = extensions.apply(processor);
        this.bot = new HallpassBot(
                github,
                config.repos(),
                processor,
                queue,
                new ArrayList<>(this.extensions.comments()),
                this.extensions.merges());
        health.register("queue", queueCheck(queue, config.maxQueuedPullRequests(), STUCK_WORKER));
        this.server = new WebhookServer(config.webhookSecret(), bot, health, services.deliveries());
    }

    /** Ready while the queue takes work and no worker has been busy with one pull request for longer than stuckAfter. */
    public static Supplier<Health.Check> queueCheck(KeyedWorkQueue queue, int maxQueued, Duration stuckAfter) {
        return () -> {
            Duration longest = queue.longestRunning();
            if (longest.compareTo(stuckAfter) > 0) {
                return Health.Check.failing("a worker has been busy for " + longest.toSeconds() + " s (stuck)");
            }
            if (queue.pending() >= maxQueued) {
                return Health.Check.failing("the work queue is full (" + queue.pending() + ")");
            }
            return Health.Check.ok(queue.pending() + " pull request(s) queued or running");
        };
    }

    public HallpassServer start() {
        server.start(config.host(), config.port());
        bot.resync(config.repos());
        bot.startResync(config.repos(), config.resyncEvery());
        return this;
    }

    public int port() {
        return server.port();
    }

    public String webhookUrl() {
        return "http://127.0.0.1:" + port() + "/webhook";
    }

    public PullRequestProcessor processor() {
        return processor;
    }

    public HallpassBot bot() {
        return bot;
    }

    public Health health() {
        return health;
    }

    public WebhookServer.Stats stats() {
        return server.stats();
    }

    @Override
    public void close() {
        server.close();
        bot.close();
        for (AutoCloseable r : extensions.resources()) {
            try {
                r.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(HallpassServer.class).warn("closing {} failed", r, e);
            }
        }
    }
}
