package dev.hallpass.demo;

import dev.hallpass.bot.HallpassServer;
import dev.hallpass.bot.PullRequestProcessor;
import dev.hallpass.github.GitHubAuth;
import dev.hallpass.github.GitHubGateway;
import dev.hallpass.github.Hub4jGitHubGateway;
import dev.hallpass.github.RepoName;
import dev.hallpass.github.standin.GitHubStandIn;
import dev.hallpass.github.standin.StandInRepository;
import dev.hallpass.policy.EmbeddedPolicySource;
import dev.hallpass.policy.PolicyInput;
import dev.hallpass.policy.PolicySource;
import dev.hallpass.review.RetroReviews;
import dev.hallpass.util.ClasspathFiles;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Everything Hallpass needs, started locally and wired as in production: the GitHub stand-in with an
 * access repository made from the template, the Hallpass GitHub App installed on it, and {@code hallpass
 * serve} receiving its signed webhooks. The demo, the end-to-end tests and the benchmarks start this.
 */
public final class LocalStack implements AutoCloseable {
    public static final RepoName REPO = new RepoName("acme", "access");
    public static final String APP_SLUG = "hallpass";
    public static final String BOT_LOGIN = APP_SLUG + "[bot]";

    /** People of the template's catalog, plus outsiders for the refusals. */
    public static final List<String> PEOPLE =
            List.of("alice", "bob", "dave", "carol", "erin", "frank", "grace", "ivan", "heidi", "mallory");

    private final GitHubStandIn hub;
    private final StandInRepository repo;
    private final Hub4jGitHubGateway gateway;
    private final HallpassServer server;
    private final String webhookSecret;

    /** What to plug into the server; defaults give a server that evaluates and merges only. */
    public record Options(
            PolicySource policies,
            Function<RepoName, PolicyInput.State> state,
            PullRequestProcessor.MergeMessages messages,
            BiFunction<GitHubGateway, PullRequestProcessor, HallpassServer.Extensions> extensions,
            Duration resyncEvery,
            UnaryOperator<Map<String, String>> templateEdit) {

        /**
         * These options plus the retroactive review, wired as {@code serve} wires it: its commands, and the policy
         * state (live emergencies, overdue reviews) read from git through the stack's gateway.
         */
        public Options withRetroReviews(Clock clock) {
            // The reviews need the gateway, which the stack makes: hand it over by reference.
            AtomicReference<RetroReviews> reviews = new AtomicReference<>();
            return new Options(
                    policies,
                    r -> reviews.get().state().apply(r),
                    messages,
                    (github, processor) -> {
                        reviews.set(new RetroReviews(github, List.of(REPO), "main", Set.of(BOT_LOGIN), clock));
                        return reviews.get().extend(extensions.apply(github, processor));
                    },
                    resyncEvery,
                    templateEdit);
        }
    }

    public static Options defaults(PullRequestProcessor.MergeMessages messages) {
        return new Options(
                EmbeddedPolicySource.withBundledPolicies(),
                r -> PolicyInput.State.empty(),
                messages,
                (g, p) -> HallpassServer.Extensions.none(),
                Duration.ofHours(1),
                files -> files);
    }

    public LocalStack(Clock clock, Options options) {
        hub = new GitHubStandIn(clock).start();
        for (String login : PEOPLE) {
            hub.createUser(login);
            hub.addOrgMember(REPO.owner(), login);
        }
        repo = hub.createRepository(REPO, options.templateEdit().apply(template()));
        GitHubStandIn.AppCredentials app = hub.createApp(APP_SLUG, REPO.owner());
        hub.installApp(app.appId(), REPO.owner(), REPO);
        gateway = new Hub4jGitHubGateway(
                hub.baseUrl(), GitHubAuth.app(String.valueOf(app.appId()), app.privateKeyPem(), REPO), clock);
        String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        this.webhookSecret = secret;
        HallpassServer.Config config = HallpassServer.Config.defaults(secret, List.of(REPO))
                .withPort("127.0.0.1", 0)
                .withBotLogins(Set.of(BOT_LOGIN));
        config = new HallpassServer.Config(
                config.host(),
                config.port(),
                secret,
                config.repos(),
                config.botLogins(),
                options.resyncEvery(),
                2,
                1000,
                false);
        server = new HallpassServer(
                        config,
                        gateway,
                        options.policies(),
                        clock,
                        options.state(),
                        options.messages(),
                        p -> options.extensions().apply(gateway, p))
                .start();
        hub.configureWebhook(server.webhookUrl(), secret, false);
    }

    /** The template's files, as shipped in the jar. */
    public static Map<String, String> template() {
        Map<String, String> files = new LinkedHashMap<>();
        ClasspathFiles.read("access-repo-template", p -> true)
                .forEach((path, bytes) -> files.put(path, new String(bytes, StandardCharsets.UTF_8)));
        return files;
    }

    public GitHubStandIn hub() {
        return hub;
    }

    public StandInRepository repo() {
        return repo;
    }

    public Hub4jGitHubGateway gateway() {
        return gateway;
    }

    /** The secret the stand-in signs deliveries with, for tests and benchmarks that send their own. */
    public String webhookSecret() {
        return webhookSecret;
    }

    public HallpassServer server() {
        return server;
    }

    /** Waits until every delivered event has been worked off. */
    public void awaitIdle() {
        hub.awaitDeliveries();
        try {
            if (!server.bot().queue().awaitIdle(30_000)) {
                throw new IllegalStateException("Hallpass did not finish its work within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** {@code login} pushes {@code requests/<id>.yaml} on a branch and opens a pull request; returns its number. */
    public int openRequest(String login, String id, String yaml) {
        String branch = "request/" + id;
        repo.pushBranch(branch, "main", Map.of("requests/" + id + ".yaml", yaml), login, "Request access: " + id);
        return repo.openPullRequest(login, branch, "main", "Access: " + id, "Requesting access.");
    }

    @Override
    public void close() {
        server.close();
        hub.close();
    }
}
