package dev.hallpass.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.bot.GitHubRepoTree;
import dev.hallpass.github.ChangedFile;
import dev.hallpass.github.CheckReport;
import dev.hallpass.github.CommitInfo;
import dev.hallpass.github.GitHubAuth;
import dev.hallpass.github.GitHubGateway;
import dev.hallpass.github.Hub4jGitHubGateway;
import dev.hallpass.github.IssueComment;
import dev.hallpass.github.MergeResult;
import dev.hallpass.github.PullRequest;
import dev.hallpass.github.RepoName;
import dev.hallpass.github.Review;
import dev.hallpass.github.standin.GitHubStandIn;
import dev.hallpass.github.standin.StandInRepository;
import dev.hallpass.grant.Action;
import dev.hallpass.grant.AttemptListener;
import dev.hallpass.grant.FileAppliedGrants;
import dev.hallpass.grant.Grant;
import dev.hallpass.grant.GrantExecutor;
import dev.hallpass.grant.LeaseKey;
import dev.hallpass.grant.Outcome;
import dev.hallpass.grant.Presence;
import dev.hallpass.grant.Provider;
import dev.hallpass.grant.Providers;
import dev.hallpass.grant.RetryPolicy;
import dev.hallpass.request.Login;
import dev.hallpass.request.ProviderName;
import dev.hallpass.testing.MutableClock;
import dev.hallpass.testing.TemplateRepo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kills the lifecycle at random calls to providers and GitHub (before or after the call took effect), then
 * restarts it from the same applied-state file and git, as a crashed process would be. The history has
 * overlapping leases, an extension and an early revoke by deletion. After each restart settles: expired and
 * withdrawn grants are revoked, expired files reverted exactly once, live grants are held, and no provider
 * call ever cut a live lease or granted an expired one.
 */
class LifecycleFaultInjectionTest {
    private static final int RUNS = 100;
    private static final ProviderName STAGING = new ProviderName("orders-db-staging");
    private static final String BOT = "hallpass-bot";
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
    private static GitHubStandIn hub;
    private static Path template;
    private static String token;
    private static final AtomicInteger CRASHES = new AtomicInteger();
    private static final AtomicInteger RESTARTS = new AtomicInteger();
    private static final AtomicInteger COMPLETED = new AtomicInteger();
    private static final Map<String, AtomicInteger> KILLED_AT = new java.util.concurrent.ConcurrentSkipListMap<>();

    /** A simulated process death: an Error, so nothing on the way up mistakes it for a call failure. */
    static final class Crash extends Error {
        Crash() {
            super("killed", null, false, false);
        }
    }

    /**
     * Dies at the {@code at}-th call (or, with {@code writesOnly}, the {@code at}-th call that changes something:
     * provider applies and revokes, branch, pull request, merge and comment writes), before or after the call
     * takes effect.
     */
    static final class Killer {
        private final int at;
        private final boolean afterEffect;
        private final boolean writesOnly;
        private int calls;

        Killer(int at, boolean afterEffect, boolean writesOnly) {
            this.at = at;
            this.afterEffect = afterEffect;
            this.writesOnly = writesOnly;
        }

        static Killer never() {
            return new Killer(Integer.MAX_VALUE, false, false);
        }

        <T> T write(java.util.function.Supplier<T> call) {
            return count(call, true);
        }

        <T> T around(java.util.function.Supplier<T> call) {
            return count(call, false);
        }

        private <T> T count(java.util.function.Supplier<T> call, boolean isWrite) {
            if (writesOnly && !isWrite) {
                return call.get();
            }
            calls++;
            if (calls == at && !afterEffect) {
                throw crash("before");
            }
            T t = call.get();
            if (calls == at) {
                throw crash("after");
            }
            return t;
        }

        private static Crash crash(String when) {
            String where = StackWalker.getInstance()
                    .walk(s -> s.skip(3).findFirst().orElseThrow().getMethodName());
            KILLED_AT
                    .computeIfAbsent(where + " (" + when + ")", k -> new AtomicInteger())
                    .incrementAndGet();
            return new Crash();
        }
    }

    /** The target system: who holds what, checking every change against the grants that are live now. */
    static final class Target {
        final Set<LeaseKey> present = new HashSet<>();
        final List<String> violations = new ArrayList<>();
        final List<Lease> truth = new ArrayList<>(); // every request merged, as the test knows it

        boolean covered(LeaseKey key, Instant t) {
            return truth.stream().anyMatch(l -> l.key().equals(key) && l.liveAt(t));
        }

        void apply(Grant g) {
            if (!g.isLiveAt(CLOCK.instant())) {
                violations.add("applied expired " + g.requestId() + " at " + CLOCK.instant());
            }
            present.add(g.key());
        }

        void revoke(Grant g) {
            if (covered(g.key(), CLOCK.instant())) {
                violations.add("revoked live " + g.key() + " at " + CLOCK.instant());
            }
            present.remove(g.key());
        }
    }

    /** What the test expects of one merged request, computed independently of the lifecycle. */
    record Lease(String id, LeaseKey key, Instant start, Instant end, boolean deleted) {
        boolean liveAt(Instant t) {
            return !t.isBefore(start) && t.isBefore(end);
        }
    }

    static final class KillableProvider implements Provider {
        private final Target target;
        private final Killer killer;

        KillableProvider(Target target, Killer killer) {
            this.target = target;
            this.killer = killer;
        }

        @Override
        public ProviderName name() {
            return STAGING;
        }

        @Override
        public Outcome apply(Grant grant, boolean dryRun) {
            return killer.write(() -> {
                target.apply(grant);
                return Outcome.done(Action.APPLY, "applied", "");
            });
        }

        @Override
        public Outcome revoke(Grant grant, boolean dryRun) {
            return killer.write(() -> {
                target.revoke(grant);
                return Outcome.done(Action.REVOKE, "revoked", "");
            });
        }

        @Override
        public Presence verify(Login person, String t) {
            return killer.around(() ->
                    target.present.contains(new LeaseKey(person, STAGING, t)) ? Presence.PRESENT : Presence.ABSENT);
        }
    }

    @BeforeAll
    static void startHub() throws Exception {
        hub = new GitHubStandIn(CLOCK).start();
        for (String u : List.of("alice", "bob", "dave", "frank", BOT)) {
            hub.createUser(u);
        }
        token = hub.issueToken(BOT);
        template = Files.createTempDirectory("hallpass-fault").resolve("template");
        TemplateRepo.copyTo(template);
    }

    @AfterAll
    static void stopHub() {
        hub.close();
        System.out.printf(
                "lifecycle fault injection: %d runs completed, %d kills, %d restarts%n",
                COMPLETED.get(), CRASHES.get(), RESTARTS.get());
        System.out.println("kills by call: " + KILLED_AT);
        assertTrue(KILLED_AT.keySet().stream().anyMatch(k -> k.startsWith("revoke (after")), "killed after a revoke");
        assertTrue(
                KILLED_AT.keySet().stream().anyMatch(k -> k.startsWith("deleteFileOnNewBranch")),
                "killed around the revert");
    }

    static Stream<Integer> seeds() {
        return IntStream.range(0, RUNS).boxed();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void sync_whenKilledAtRandomCallsAndRestarted_keepsInvariants(int seed) throws Exception {
        Random random = new Random(seed);
        RepoName name = new RepoName("acme", "fault-" + seed);
        StandInRepository repo = hub.createRepository(name, template);
        Path applied = Files.createTempDirectory("hallpass-fault-state").resolve("applied.json");
        GitHubRepoTree.Cache cache = new GitHubRepoTree.Cache(10_000);
        Target target = new Target();
        Instant t0 = CLOCK.instant();

        merge(repo, "r-alice-one", "alice", "db-admin", Duration.ofHours(1), target);
        CLOCK.advance(Duration.ofMinutes(10));
        merge(repo, "r-alice-two", "alice", "db-admin", Duration.ofHours(1), target); // overlaps the first
        merge(repo, "r-bob-read", "bob", "db-readonly", Duration.ofMinutes(30), target);
        merge(repo, "r-dave-long", "dave", "db-admin", Duration.ofHours(3), target);

        // Phases: all live; then dave withdraws and bob extends to 90 min; alice's first lease expired (alice
        // still covered by her second); alice's second expired; bob's extended lease expired.
        for (Duration at : List.of(
                Duration.ofMinutes(15), Duration.ofMinutes(65), Duration.ofMinutes(75), Duration.ofMinutes(105))) {
            CLOCK.advance(Duration.between(CLOCK.instant(), t0.plus(at)));
            settle(random, name, applied, cache, target);
            assertInvariants(repo, target);
            if (at.toMinutes() == 15) {
                CLOCK.advance(Duration.ofMinutes(5));
                withdraw(repo, "r-dave-long", "dave", target);
                extend(repo, "r-bob-read", "bob", "db-readonly", Duration.ofMinutes(90), target);
            }
        }
        assertEquals(List.of(), target.violations, "seed " + seed);
        COMPLETED.incrementAndGet();
    }

    private void merge(StandInRepository repo, String id, String who, String role, Duration d, Target target) {
        repo.pushBranch(
                "request/" + id,
                "main",
                Map.of("requests/" + id + ".yaml", LifecycleWorld.request(who, role, "staging", d.toMinutes() + "m")),
                who,
                "Request " + id);
        int n = repo.openPullRequest(who, "request/" + id, "main", "Access request " + id, "Please");
        repo.mergePullRequest(n, "frank");
        String t = role.equals("db-admin") ? "orders_admin" : "orders_readonly";
        Instant start = CLOCK.instant();
        target.truth.add(new Lease(id, new LeaseKey(new Login(who), STAGING, t), start, start.plus(d), false));
    }

    /** A merged pull request changing the duration: the expiry moves, the start stays. */
    private void extend(StandInRepository repo, String id, String who, String role, Duration d, Target target) {
        String branch = "extend/" + id;
        repo.pushBranch(
                branch,
                "main",
                Map.of("requests/" + id + ".yaml", LifecycleWorld.request(who, role, "staging", d.toMinutes() + "m")),
                who,
                "Extend " + id);
        repo.mergePullRequest(repo.openPullRequest(who, branch, "main", "Extend " + id, "More time"), "frank");
        target.truth.replaceAll(l ->
                l.id().equals(id) ? new Lease(id, l.key(), l.start(), l.start().plus(d), false) : l);
    }

    /** A merged pull request deleting the request: an early revoke. */
    private void withdraw(StandInRepository repo, String id, String who, Target target) {
        Map<String, String> delete = new HashMap<>();
        delete.put("requests/" + id + ".yaml", null);
        repo.pushBranch("withdraw/" + id, "main", delete, who, "Withdraw " + id);
        repo.mergePullRequest(repo.openPullRequest(who, "withdraw/" + id, "main", "Withdraw " + id, "Done"), "frank");
        Instant now = CLOCK.instant();
        target.truth.replaceAll(l -> l.id().equals(id) ? new Lease(id, l.key(), l.start(), now, true) : l);
    }

    /** Runs syncs, each in a fresh "process" that may be killed, until one completes. */
    private void settle(Random random, RepoName name, Path applied, GitHubRepoTree.Cache cache, Target target) {
        for (int attempt = 0; ; attempt++) {
            boolean arm = attempt < 4 && random.nextInt(10) < 8;
            boolean writesOnly = random.nextInt(4) > 0;
            Killer killer = !arm
                    ? Killer.never()
                    : new Killer(1 + random.nextInt(writesOnly ? 6 : 40), random.nextBoolean(), writesOnly);
            GrantLifecycle lifecycle = lifecycle(name, applied, cache, target, killer);
            try {
                lifecycle.sync();
                return;
            } catch (Crash c) {
                CRASHES.incrementAndGet();
                RESTARTS.incrementAndGet();
            }
        }
    }

    private GrantLifecycle lifecycle(
            RepoName name, Path applied, GitHubRepoTree.Cache cache, Target target, Killer killer) {
        GitHubGateway gh =
                new KillableGateway(new Hub4jGitHubGateway(hub.baseUrl(), GitHubAuth.token(token), CLOCK), killer);
        FileAppliedGrants store = new FileAppliedGrants(applied);
        GrantExecutor executor = new GrantExecutor(
                Providers.of(List.of(new KillableProvider(target, killer))),
                store,
                RetryPolicy.once(),
                d -> {},
                CLOCK,
                AttemptListener.NONE);
        return new GrantLifecycle(
                new GitHubGrantSource(gh, name, "main", cache),
                executor,
                store,
                CLOCK,
                false,
                Optional.of(new GrantLifecycle.GitHubSide(gh, name, "main", null, Set.of(BOT))),
                LifecycleMessages.DEFAULT);
    }

    private static void assertInvariants(StandInRepository repo, Target target) {
        Instant now = CLOCK.instant();
        Set<LeaseKey> expected = new HashSet<>();
        for (Lease l : target.truth) {
            boolean live = l.liveAt(now);
            if (live) {
                expected.add(l.key());
            }
            boolean fileThere =
                    repo.fileAt("main", "requests/" + l.id() + ".yaml").isPresent();
            assertEquals(live, fileThere, l.id() + ": file on main exactly while live, at " + now);
            int reverts = 0;
            for (int n = 1; n < 100; n++) {
                StandInRepository.PullView v;
                try {
                    v = repo.pullRequest(n);
                } catch (RuntimeException e) {
                    break;
                }
                if (v.title().equals("Expire access: " + l.id())) {
                    reverts++;
                    assertTrue(v.merged(), l.id() + ": revert merged");
                }
            }
            assertEquals(live || l.deleted() ? 0 : 1, reverts, l.id() + ": one revert per expired request");
        }
        assertEquals(expected, target.present, "the target holds exactly the live leases at " + now);
    }

    /** Delegates to a real gateway, dying where the killer says. */
    static final class KillableGateway implements GitHubGateway {
        private final GitHubGateway d;
        private final Killer k;

        KillableGateway(GitHubGateway d, Killer k) {
            this.d = d;
            this.k = k;
        }

        @Override
        public PullRequest pullRequest(RepoName repo, int number) {
            return k.around(() -> d.pullRequest(repo, number));
        }

        @Override
        public List<ChangedFile> files(RepoName repo, int number) {
            return k.around(() -> d.files(repo, number));
        }

        @Override
        public List<ChangedFile> compareFiles(RepoName repo, String baseSha, String headSha) {
            return k.around(() -> d.compareFiles(repo, baseSha, headSha));
        }

        @Override
        public List<Review> reviews(RepoName repo, int number) {
            return k.around(() -> d.reviews(repo, number));
        }

        @Override
        public List<IssueComment> comments(RepoName repo, int number) {
            return k.around(() -> d.comments(repo, number));
        }

        @Override
        public Optional<byte[]> fileAt(RepoName repo, String path, String ref) {
            return k.around(() -> d.fileAt(repo, path, ref));
        }

        @Override
        public List<String> directory(RepoName repo, String dir, String ref) {
            return k.around(() -> d.directory(repo, dir, ref));
        }

        @Override
        public String branchSha(RepoName repo, String branch) {
            return k.around(() -> d.branchSha(repo, branch));
        }

        @Override
        public List<CommitInfo> commits(RepoName repo, String path, String ref) {
            return k.around(() -> d.commits(repo, path, ref));
        }

        @Override
        public List<PullRequest> pullRequestsWithCommit(RepoName repo, String sha) {
            return k.around(() -> d.pullRequestsWithCommit(repo, sha));
        }

        @Override
        public String putFile(RepoName repo, String branch, String path, byte[] content, String message) {
            return k.write(() -> d.putFile(repo, branch, path, content, message));
        }

        @Override
        public List<PullRequest> openPullRequests(RepoName repo) {
            return k.around(() -> d.openPullRequests(repo));
        }

        @Override
        public void publishCheck(RepoName repo, String headSha, CheckReport report) {
            k.write(() -> {
                d.publishCheck(repo, headSha, report);
                return null;
            });
        }

        @Override
        public void upsertStickyComment(RepoName repo, int number, String body) {
            k.write(() -> {
                d.upsertStickyComment(repo, number, body);
                return null;
            });
        }

        @Override
        public void comment(RepoName repo, int number, String body) {
            k.write(() -> {
                d.comment(repo, number, body);
                return null;
            });
        }

        @Override
        public void addLabels(RepoName repo, int number, Set<String> labels) {
            k.write(() -> {
                d.addLabels(repo, number, labels);
                return null;
            });
        }

        @Override
        public void removeLabel(RepoName repo, int number, String label) {
            k.write(() -> {
                d.removeLabel(repo, number, label);
                return null;
            });
        }

        @Override
        public MergeResult merge(RepoName repo, int number, String sha, String title, String message) {
            return k.write(() -> d.merge(repo, number, sha, title, message));
        }

        @Override
        public PullRequest openPullRequest(RepoName repo, String title, String body, String head, String base) {
            return k.write(() -> d.openPullRequest(repo, title, body, head, base));
        }

        @Override
        public String deleteFileOnNewBranch(RepoName repo, String base, String branch, String path, String message) {
            return k.write(() -> d.deleteFileOnNewBranch(repo, base, branch, path, message));
        }

        @Override
        public boolean isTeamMember(String org, String teamSlug, String login) {
            return k.around(() -> d.isTeamMember(org, teamSlug, login));
        }

        @Override
        public boolean addTeamMember(String org, String teamSlug, String login) {
            return k.write(() -> d.addTeamMember(org, teamSlug, login));
        }

        @Override
        public void removeTeamMember(String org, String teamSlug, String login) {
            k.write(() -> {
                d.removeTeamMember(org, teamSlug, login);
                return null;
            });
        }

        @Override
        public long apiCalls() {
            return d.apiCalls();
        }
    }
}
