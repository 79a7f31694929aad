package dev.hallpass.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.github.PullRequest;
import dev.hallpass.github.WebhookEvent;
import dev.hallpass.github.standin.StandInRepository;
import dev.hallpass.grant.Grant;
import dev.hallpass.grant.Outcome;
import dev.hallpass.grant.PostgresProvider;
import dev.hallpass.grant.Presence;
import dev.hallpass.grant.Provider;
import dev.hallpass.grant.RetryPolicy;
import dev.hallpass.request.Login;
import dev.hallpass.request.ProviderName;
import dev.hallpass.testing.SecretsDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole lifecycle against the stand-in GitHub and a real PostgreSQL (one server for the class). */
class GrantLifecyclePostgresTest {
    private static final ProviderName STAGING = new ProviderName("orders-db-staging");
    private static SecretsDatabase db;

    private LifecycleWorld world;
    private PostgresProvider provider;

    @BeforeAll
    static void startPostgres() throws Exception {
        db = new SecretsDatabase("alice", "bob", "dave");
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        db.close();
    }

    @BeforeEach
    void setUp() throws SQLException {
        // Each test starts with nobody holding the role.
        try (Connection c = admin();
                Statement s = c.createStatement()) {
            for (String login : new String[] {"alice", "bob", "dave"}) {
                s.execute("REVOKE orders_admin FROM " + login);
            }
        }
        world = new LifecycleWorld();
        provider =
                new PostgresProvider(STAGING, GrantLifecyclePostgresTest::admin, PostgresProvider.Options.defaults());
    }

    @AfterEach
    void tearDown() {
        world.close();
    }

    private static Connection admin() throws SQLException {
        return db.admin();
    }

    private static Connection connectAs(String login) throws SQLException {
        return db.connectAs(login);
    }

    private static int readSecret(Connection c) throws SQLException {
        return SecretsDatabase.readSecret(c);
    }

    private static boolean canRead(String login) throws SQLException {
        return db.canRead(login);
    }

    private static RetryPolicy quick() {
        return new RetryPolicy(3, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(4));
    }

    @Test
    void runDue_whenClockPassesExpiry_revokesEndsSessionsAndMergesRevert() throws Exception {
        int request = world.requestAndMerge("alice-orders-fix", "alice", "2h");
        GrantLifecycle lifecycle = world.lifecycle(provider, quick(), true);
        // A sweep interval longer than the grant, so only the expiry itself can trigger the revoke.
        ExpiryScheduler scheduler =
                new ExpiryScheduler(lifecycle, world.clock, Duration.ofDays(1), Duration.ofSeconds(30));

        assertEquals(ExpiryScheduler.Ran.SYNC, scheduler.runDue(world.clock.instant()));
        assertTrue(canRead("alice"), "granted once merged");
        Grant g = lifecycle.grants().get(0);
        assertEquals(request, g.pullRequest());
        assertEquals(g.start().plus(Duration.ofHours(2)), g.expiresAt());
        assertEquals(g.expiresAt(), scheduler.nextDue());

        try (Connection session = connectAs("alice")) {
            assertEquals(42, readSecret(session));
            world.clock.advance(Duration.ofMinutes(119));
            assertEquals(ExpiryScheduler.Ran.NOTHING, scheduler.runDue(world.clock.instant()));
            assertTrue(canRead("alice"), "still live a minute before expiry");

            world.clock.advance(Duration.ofMinutes(1));
            assertEquals(ExpiryScheduler.Ran.ENFORCE, scheduler.runDue(world.clock.instant()));
            assertFalse(canRead("alice"), "revoked at expiry");
            assertThrows(SQLException.class, () -> readSecret(session), "the open session was terminated");
        }

        StandInRepository.PullView revert =
                world.pullByTitle("Expire access: alice-orders-fix").orElseThrow();
        assertTrue(revert.merged(), "revert merged");
        assertEquals(LifecycleWorld.BOT, revert.author());
        assertTrue(world.repo.fileAt("main", "requests/alice-orders-fix.yaml").isEmpty(), "file deleted on main");
        PullRequest pr = world.gateway.pullRequest(LifecycleWorld.REPO, revert.number());
        assertTrue(pr.body().contains("| Expires | " + g.expiresAt() + " |"), pr.body());
        assertTrue(pr.body().contains("| Revoked | "), pr.body());
        assertTrue(pr.body().endsWith("Hallpass-Expires-At: " + g.expiresAt() + "\n"), pr.body());
        String mergedMessage = world.repo
                .git()
                .parseCommit(world.repo.git().resolve(revert.mergeCommitSha()))
                .getFullMessage();
        assertTrue(mergedMessage.startsWith("Expire access: alice-orders-fix"), mergedMessage);

        // The next sweep finds nothing left to do.
        world.clock.advance(Duration.ofMinutes(5));
        GrantLifecycle.SyncReport again = lifecycle.sync();
        assertTrue(again.reconcile().results().isEmpty());
        assertTrue(again.revertsDue().isEmpty());
    }

    @Test
    void sync_whenLeasesOverlapAndOneIsExtended_keepsAccessUntilTheLastExpiry() throws Exception {
        world.requestAndMerge("alice-first", "alice", "1h");
        world.clock.advance(Duration.ofMinutes(30));
        world.requestAndMerge("alice-second", "alice", "1h");
        GrantLifecycle lifecycle = world.lifecycle(provider, quick(), true);
        lifecycle.sync();
        assertTrue(canRead("alice"));

        // First lease ends at +60 min; the second covers the key until +90 min.
        world.clock.advance(Duration.ofMinutes(31));
        GrantLifecycle.SyncReport r = lifecycle.sync();
        assertTrue(canRead("alice"), "the first expiry does not cut access");
        assertEquals(1, r.revertsDue().size());
        assertTrue(world.pullByTitle("Expire access: alice-first").orElseThrow().merged());

        // Extension: a merged PR modifying the duration moves the expiry, not the start.
        Instant startBefore = grant(lifecycle, "alice-second").start();
        int ext = world.openPr(
                "alice",
                "extend/alice-second",
                Map.of("requests/alice-second.yaml", LifecycleWorld.request("alice", "db-admin", "staging", "2h")),
                "Extend alice-second");
        assertTrue(world.processor
                .process(LifecycleWorld.REPO, ext)
                .merge()
                .orElseThrow()
                .isMerged());
        lifecycle.sync();
        Grant extended = grant(lifecycle, "alice-second");
        assertEquals(startBefore, extended.start());
        assertEquals(startBefore.plus(Duration.ofHours(2)), extended.expiresAt());

        world.clock.advance(Duration.ofMinutes(30)); // past the original +90 min expiry
        lifecycle.sync();
        assertTrue(canRead("alice"), "extension keeps access");
        world.clock.advance(Duration.ofMinutes(60));
        lifecycle.sync();
        assertFalse(canRead("alice"), "revoked at the extended expiry");
    }

    @Test
    void sync_whenDeletionPrMerges_revokesEarly() throws Exception {
        world.requestAndMerge("bob-check", "bob", "4h");
        GrantLifecycle lifecycle = world.lifecycle(provider, quick(), true);
        lifecycle.sync();
        assertTrue(canRead("bob"));

        int del = world.openPr("bob", "withdraw/bob-check", mapOfNull("requests/bob-check.yaml"), "Done early");
        world.repo.mergePullRequest(del, "frank");
        lifecycle.sync();
        assertFalse(canRead("bob"), "a merged deletion revokes at once");
    }

    @Test
    void revokeCommand_whenRequesterComments_revokesAndRemovesFile_andRefusesOthers() throws Exception {
        int request = world.requestAndMerge("dave-debug", "dave", "4h");
        GrantLifecycle lifecycle = world.lifecycle(provider, quick(), true);
        lifecycle.sync();
        assertTrue(canRead("dave"));

        GrantLifecycle.CommandResult refused = lifecycle.revokeCommand(request, "mallory");
        assertFalse(refused.accepted());
        assertTrue(canRead("dave"), "someone else's command changes nothing");
        assertTrue(world.repo.comments(request).stream().anyMatch(c -> c.body().contains("@mallory may not revoke")));

        long comment = world.repo.comment(request, "dave", "/hallpass revoke");
        // Identity comes from the event's sender, as GitHub signs it.
        WebhookEvent event = new WebhookEvent(
                "issue_comment",
                "created",
                LifecycleWorld.REPO,
                "dave",
                OptionalInt.of(request),
                Optional.empty(),
                OptionalLong.empty(),
                OptionalLong.of(comment),
                Optional.of("/hallpass revoke"),
                Optional.empty());
        GrantLifecycle.CommandResult ok = lifecycle.onWebhook(event).orElseThrow();
        assertTrue(ok.accepted(), ok.reply());
        assertFalse(canRead("dave"), "revoked by the requester's command");
        StandInRepository.PullView pr =
                world.pullByTitle("Revoke access: dave-debug").orElseThrow();
        assertTrue(pr.merged());
        assertTrue(world.repo.fileAt("main", "requests/dave-debug.yaml").isEmpty());
    }

    @Test
    void revokeCommand_whenApproverComments_isAccepted() throws Exception {
        int request = world.requestAndMerge("alice-approver-revoke", "alice", "4h");
        GrantLifecycle lifecycle = world.lifecycle(provider, quick(), true);
        lifecycle.sync();
        // carol is in group:dba, an approver of db-admin.
        assertTrue(lifecycle.revokeCommand(request, "carol").accepted());
        assertFalse(canRead("alice"));
    }

    @Test
    void sync_whenHallpassWasDownAtExpiry_revokesAtStartUp() throws Exception {
        world.requestAndMerge("alice-downtime", "alice", "1h");
        world.lifecycle(provider, quick(), true).sync();
        assertTrue(canRead("alice"));

        // Nothing runs for three hours; then a fresh process starts with the same applied-state file.
        world.clock.advance(Duration.ofHours(3));
        GrantLifecycle restarted = world.lifecycle(provider, quick(), true);
        ExpiryScheduler scheduler = ExpiryScheduler.withDefaults(restarted, world.clock);
        assertEquals(ExpiryScheduler.Ran.SYNC, scheduler.runDue(world.clock.instant()));
        assertFalse(canRead("alice"), "revoked by the start-up sweep");
        assertTrue(
                world.pullByTitle("Expire access: alice-downtime").orElseThrow().merged());
    }

    @Test
    void sync_whenRevertCannotMerge_keepsAccessRevokedAndExplains() throws Exception {
        world.requestAndMerge("alice-stuck", "alice", "1h");
        GrantLifecycle lifecycle = world.lifecycle(provider, quick(), true);
        lifecycle.sync();
        world.clock.advance(Duration.ofMinutes(61));
        world.hub.failNextRequests(".*/pulls/\\d+/merge", 405, 1);
        GrantLifecycle.SyncReport r = lifecycle.sync();
        assertFalse(canRead("alice"), "revoked although the revert did not merge");
        GrantLifecycle.PullRequestStep step = r.pullRequests().get(0);
        assertFalse(step.merged());

        world.repo.setMergeable(step.number(), false);
        world.clock.advance(Duration.ofMinutes(5));
        lifecycle.sync();
        StandInRepository.PullView pr = world.repo.pullRequest(step.number());
        assertTrue(pr.open() && !pr.merged(), "the revert stays open");
        long explained = world.repo.comments(step.number()).stream()
                .filter(c -> c.body().contains(GrantLifecycle.BLOCKED_MARKER)
                        && c.body().contains("is revoked already"))
                .count();
        assertEquals(1, explained, "one comment says why, however many syncs");
        assertFalse(canRead("alice"), "and access is not given back");

        world.repo.setMergeable(step.number(), true);
        lifecycle.sync();
        assertTrue(world.repo.pullRequest(step.number()).merged(), "merged once GitHub allows it");
    }

    @Test
    void sync_whenRequestIdIsReusedAfterItsRevert_revertsTheSecondGrantFromAFreshBranch() throws Exception {
        world.requestAndMerge("alice-again", "alice", "1h");
        GrantLifecycle lifecycle = world.lifecycle(provider, quick(), true);
        lifecycle.sync();
        world.clock.advance(Duration.ofMinutes(61));
        lifecycle.sync();
        assertTrue(world.repo.fileAt("main", "requests/alice-again.yaml").isEmpty());

        world.repo.pushBranch(
                "request/alice-again-2",
                "main",
                Map.of("requests/alice-again.yaml", LifecycleWorld.request("alice", "db-admin", "staging", "1h")),
                "alice",
                "Request alice-again again");
        int second = world.repo.openPullRequest("alice", "request/alice-again-2", "main", "Again", "Please");
        assertTrue(world.processor
                .process(LifecycleWorld.REPO, second)
                .merge()
                .orElseThrow()
                .isMerged());
        lifecycle.sync();
        assertTrue(canRead("alice"), "the reused id grants again");

        world.clock.advance(Duration.ofMinutes(61));
        GrantLifecycle.SyncReport r = lifecycle.sync();
        assertFalse(canRead("alice"));
        assertTrue(r.pullRequests().get(0).merged(), r.pullRequests().toString());
        assertTrue(world.repo.fileAt("main", "requests/alice-again.yaml").isEmpty(), "removed again");
        StandInRepository.PullView fresh =
                world.repo.pullRequest(r.pullRequests().get(0).number());
        assertTrue(fresh.headRef().startsWith("hallpass/expire-alice-again_"), fresh.headRef());
    }

    @Test
    void sync_whenProviderFailsTwice_retriesAndReportsOnTheRequest() throws Exception {
        int request = world.requestAndMerge("bob-flaky", "bob", "2h");
        AtomicInteger failures = new AtomicInteger(2);
        Provider flaky = new Provider() {
            @Override
            public ProviderName name() {
                return STAGING;
            }

            @Override
            public Outcome apply(Grant grant, boolean dryRun) {
                if (failures.getAndDecrement() > 0) {
                    return Outcome.failed(dev.hallpass.grant.Action.APPLY, "connection refused", "");
                }
                return provider.apply(grant, dryRun);
            }

            @Override
            public Outcome revoke(Grant grant, boolean dryRun) {
                return provider.revoke(grant, dryRun);
            }

            @Override
            public Presence verify(Login person, String target) {
                return provider.verify(person, target);
            }
        };
        GrantLifecycle lifecycle = world.lifecycle(flaky, quick(), true);
        GrantLifecycle.SyncReport r = lifecycle.sync();
        assertTrue(r.ok());
        assertTrue(canRead("bob"));
        assertEquals(java.util.List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), world.sleeps, "backed off");
        assertTrue(
                world.repo.comments(request).stream()
                        .anyMatch(c -> c.body().contains("succeeded after 2 failed attempt(s)")
                                && c.body().contains("connection refused")),
                "failure reported on the request");
    }

    private static Grant grant(GrantLifecycle lifecycle, String id) {
        return lifecycle.grants().stream()
                .filter(g -> g.requestId().value().equals(id))
                .findFirst()
                .orElseThrow();
    }

    private static Map<String, String> mapOfNull(String path) {
        Map<String, String> m = new java.util.HashMap<>();
        m.put(path, null);
        return m;
    }
}
