package dev.hallpass.lifecycle;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.bot.GitHubRepoTree;
import dev.hallpass.bot.PullRequestProcessor;
import dev.hallpass.evaluation.AccessEvaluator;
import dev.hallpass.github.GitHubAuth;
import dev.hallpass.github.Hub4jGitHubGateway;
import dev.hallpass.github.RepoName;
import dev.hallpass.github.standin.GitHubStandIn;
import dev.hallpass.github.standin.StandInRepository;
import dev.hallpass.grant.AppliedGrants;
import dev.hallpass.grant.AttemptListener;
import dev.hallpass.grant.FileAppliedGrants;
import dev.hallpass.grant.GrantExecutor;
import dev.hallpass.grant.Provider;
import dev.hallpass.grant.Providers;
import dev.hallpass.grant.RetryPolicy;
import dev.hallpass.policy.EmbeddedPolicySource;
import dev.hallpass.policy.PolicyInput;
import dev.hallpass.testing.MutableClock;
import dev.hallpass.testing.TemplateRepo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A stand-in GitHub with the template access repository, Hallpass's bot user, a pull-request processor with
 * the bundled policies, and lifecycles built on demand over a durable applied-grants file: shared setup.
 */
final class LifecycleWorld implements AutoCloseable {
    static final String BOT = "hallpass-bot";
    static final RepoName REPO = new RepoName("acme", "access");

    final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
    final GitHubStandIn hub = new GitHubStandIn(clock).start();
    final StandInRepository repo;
    final Hub4jGitHubGateway gateway;
    final PullRequestProcessor processor;
    final Path appliedFile;
    final List<Duration> sleeps = new ArrayList<>();
    private final Path dir;

    LifecycleWorld() {
        try {
            dir = Files.createTempDirectory("hallpass-lifecycle");
            Path template = dir.resolve("template");
            TemplateRepo.copyTo(template);
            for (String u : List.of("alice", "bob", "dave", "carol", "erin", "frank", "grace", "mallory", BOT)) {
                hub.createUser(u);
            }
            hub.allowChecksFromTokens(true);
            repo = hub.createRepository(REPO, template);
            appliedFile = dir.resolve("state/applied.json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        gateway = gateway();
        processor = new PullRequestProcessor(
                gateway,
                new AccessEvaluator(EmbeddedPolicySource.withBundledPolicies(), clock),
                new GitHubRepoTree.Cache(10_000),
                r -> PolicyInput.State.empty(),
                Set.of(BOT),
                new PullRequestProcessor.MergeMessages() {
                    @Override
                    public String title(dev.hallpass.github.PullRequest pr, dev.hallpass.evaluation.Evaluation e) {
                        return pr.title() + " (#" + pr.number() + ")";
                    }

                    @Override
                    public String body(dev.hallpass.github.PullRequest pr, dev.hallpass.evaluation.Evaluation e) {
                        return "Hallpass-Decision: " + e.decision().outcome();
                    }
                },
                false);
    }

    Hub4jGitHubGateway gateway() {
        return new Hub4jGitHubGateway(hub.baseUrl(), GitHubAuth.token(hub.issueToken(BOT)), clock);
    }

    static String request(String requester, String role, String env, String duration) {
        return "apiVersion: hallpass/v1\nkind: AccessRequest\nrequester: " + requester + "\nrole: " + role
                + "\nenvironment: " + env + "\nduration: " + duration + "\nreason: \"Fix the orders backlog\"\n";
    }

    /** {@code author} opens a pull request changing {@code files} (null deletes); returns its number. */
    int openPr(String author, String branch, Map<String, String> files, String title) {
        repo.pushBranch(branch, "main", new LinkedHashMap<>(files), author, title);
        return repo.openPullRequest(author, branch, "main", title, "Please");
    }

    /** A request for db-admin in staging (no approvals needed), merged by Hallpass's processor. */
    int requestAndMerge(String id, String requester, String duration) {
        int n = openPr(
                requester,
                "request/" + id,
                Map.of("requests/" + id + ".yaml", request(requester, "db-admin", "staging", duration)),
                "Access request " + id);
        PullRequestProcessor.Outcome o = processor.process(REPO, n);
        assertTrue(o.merge().map(m -> m.isMerged()).orElse(false), "request " + id + " merged: " + o.note());
        return n;
    }

    GrantLifecycle lifecycle(Provider provider, RetryPolicy retry, boolean withProcessor) {
        AppliedGrants applied = new FileAppliedGrants(appliedFile);
        GrantExecutor executor = new GrantExecutor(
                Providers.of(List.of(provider)), applied, retry, sleeps::add, clock, AttemptListener.NONE);
        Hub4jGitHubGateway gh = gateway();
        return new GrantLifecycle(
                new GitHubGrantSource(gh, REPO, "main", new GitHubRepoTree.Cache(10_000)),
                executor,
                applied,
                clock,
                false,
                Optional.of(
                        new GrantLifecycle.GitHubSide(gh, REPO, "main", withProcessor ? processor : null, Set.of(BOT))),
                LifecycleMessages.DEFAULT);
    }

    Optional<StandInRepository.PullView> pullByTitle(String title) {
        for (int n = 1; n < 200; n++) {
            try {
                StandInRepository.PullView v = repo.pullRequest(n);
                if (v.title().equals(title)) {
                    return Optional.of(v);
                }
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        hub.close();
    }
}
