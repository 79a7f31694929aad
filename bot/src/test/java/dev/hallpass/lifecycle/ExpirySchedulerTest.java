package dev.hallpass.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.grant.Action;
import dev.hallpass.grant.AttemptListener;
import dev.hallpass.grant.Grant;
import dev.hallpass.grant.GrantExecutor;
import dev.hallpass.grant.InMemoryAppliedGrants;
import dev.hallpass.grant.LeaseKey;
import dev.hallpass.grant.Outcome;
import dev.hallpass.grant.Presence;
import dev.hallpass.grant.Provider;
import dev.hallpass.grant.Providers;
import dev.hallpass.grant.RetryPolicy;
import dev.hallpass.health.Health;
import dev.hallpass.request.EnvironmentName;
import dev.hallpass.request.Login;
import dev.hallpass.request.ProviderName;
import dev.hallpass.request.RequestId;
import dev.hallpass.request.RoleName;
import dev.hallpass.testing.MutableClock;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The scheduler's decisions, driven by a manual clock: no thread, no sleeping. */
class ExpirySchedulerTest {
    private static final ProviderName P = new ProviderName("mem");
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
    private final Instant t0 = clock.instant();
    private final Set<LeaseKey> target = new HashSet<>();
    private final List<Grant> inGit = new ArrayList<>();
    private final InMemoryAppliedGrants applied = new InMemoryAppliedGrants();
    private boolean gitDown;
    private boolean revokeFails;

    private final Provider provider = new Provider() {
        @Override
        public ProviderName name() {
            return P;
        }

        @Override
        public Outcome apply(Grant grant, boolean dryRun) {
            target.add(grant.key());
            return Outcome.done(Action.APPLY, "applied", "");
        }

        @Override
        public Outcome revoke(Grant grant, boolean dryRun) {
            if (revokeFails) {
                return Outcome.failed(Action.REVOKE, "permission denied to revoke", "");
            }
            target.remove(grant.key());
            return Outcome.done(Action.REVOKE, "revoked", "");
        }

        @Override
        public Presence verify(Login person, String t) {
            return target.contains(new LeaseKey(person, P, t)) ? Presence.PRESENT : Presence.ABSENT;
        }
    };

    private static Grant grant(String id, String person, Instant start, Duration d) {
        return new Grant(
                new RequestId(id),
                new Login(person),
                new RoleName("db-admin"),
                new EnvironmentName("staging"),
                P,
                "orders_admin",
                start,
                start.plus(d),
                1,
                "0123456789abcdef0123456789abcdef01234567",
                "test");
    }

    private GrantLifecycle lifecycle() {
        GrantSource source = () -> {
            if (gitDown) {
                throw new UncheckedIOException(new java.io.IOException("GitHub unreachable"));
            }
            return new GrantSource.Snapshot("abc", inGit, List.of(), Optional.empty());
        };
        GrantExecutor executor = new GrantExecutor(
                Providers.of(List.of(provider)), applied, RetryPolicy.once(), d -> {}, clock, AttemptListener.NONE);
        return new GrantLifecycle(source, executor, applied, clock, false, Optional.empty(), LifecycleMessages.DEFAULT);
    }

    private ExpiryScheduler scheduler(GrantLifecycle lifecycle) {
        return new ExpiryScheduler(lifecycle, clock, Duration.ofMinutes(5), Duration.ofSeconds(30));
    }

    private boolean has(String person) {
        return target.contains(new LeaseKey(new Login(person), P, "orders_admin"));
    }

    @Test
    void runDue_whenExpiryArrives_enforcesAtTheExactInstant() {
        inGit.add(grant("alice-a", "alice", t0, Duration.ofSeconds(90)));
        ExpiryScheduler s = scheduler(lifecycle());
        assertEquals(ExpiryScheduler.Ran.SYNC, s.runDue(clock.instant()), "start-up sweep");
        assertTrue(has("alice"));
        assertEquals(t0.plusSeconds(90), s.nextDue(), "wakes at the expiry, before the next sweep");

        clock.advance(Duration.ofMillis(89_999));
        assertEquals(ExpiryScheduler.Ran.NOTHING, s.runDue(clock.instant()));
        assertTrue(has("alice"));
        clock.advance(Duration.ofMillis(1));
        assertEquals(ExpiryScheduler.Ran.ENFORCE, s.runDue(clock.instant()));
        assertFalse(has("alice"), "revoked at expiresAt, not a sweep later");
        assertEquals(t0.plus(Duration.ofMinutes(5)), s.nextDue(), "then only the periodic sweep");
    }

    @Test
    void runDue_whenSweepIsDueOrWoken_rereadsGit() {
        ExpiryScheduler s = scheduler(lifecycle());
        s.runDue(clock.instant());
        inGit.add(grant("bob-b", "bob", t0, Duration.ofHours(1))); // merged after start-up
        clock.advance(Duration.ofMinutes(1));
        assertEquals(ExpiryScheduler.Ran.NOTHING, s.runDue(clock.instant()));
        s.wake();
        assertEquals(ExpiryScheduler.Ran.SYNC, s.runDue(clock.instant()), "a webhook asks for a sync");
        assertTrue(has("bob"));

        inGit.clear(); // the request file was deleted
        clock.advance(Duration.ofMinutes(5));
        assertEquals(ExpiryScheduler.Ran.SYNC, s.runDue(clock.instant()), "periodic sweep");
        assertFalse(has("bob"), "early revoke by deletion");
    }

    @Test
    void runDue_whenGitUnreachable_stillRevokesFromTheGrantsLastRead() {
        inGit.add(grant("carol-c", "carol", t0, Duration.ofMinutes(10)));
        ExpiryScheduler s = scheduler(lifecycle());
        s.runDue(clock.instant());
        gitDown = true;
        clock.advance(Duration.ofMinutes(10));
        // The sweep is due as well; its sync fails and falls back to enforcing what was read before.
        assertEquals(ExpiryScheduler.Ran.ENFORCE, s.runDue(clock.instant()));
        assertFalse(has("carol"));
        assertEquals(clock.instant().plusSeconds(30), s.nextDue(), "the sync is retried soon");
    }

    @Test
    void runDue_whenStartingWhileGitUnreachable_revokesExpiredAppliedGrants() {
        inGit.add(grant("dave-d", "dave", t0, Duration.ofMinutes(10)));
        inGit.add(grant("erin-e", "erin", t0, Duration.ofHours(2)));
        scheduler(lifecycle()).runDue(clock.instant());
        assertTrue(has("dave") && has("erin"));

        // Hallpass is down past dave's expiry and starts while GitHub is unreachable.
        clock.advance(Duration.ofHours(1));
        gitDown = true;
        ExpiryScheduler restarted = scheduler(lifecycle());
        assertEquals(ExpiryScheduler.Ran.ENFORCE, restarted.runDue(clock.instant()));
        assertFalse(has("dave"), "expired while down: revoked from the applied state");
        assertTrue(has("erin"), "still live: kept");
    }

    @Test
    void status_whenARevokeFails_makesReadinessFailUntilItSucceeds() {
        inGit.add(grant("frank-f", "frank", t0, Duration.ofMinutes(10)));
        ExpiryScheduler s = scheduler(lifecycle());
        s.runDue(clock.instant());
        assertTrue(ServerLifecycles.schedulerCheck(s.status(), clock.instant()).ok());

        revokeFails = true;
        clock.advance(Duration.ofMinutes(10));
        s.runDue(clock.instant());
        assertEquals(1, s.status().failedRevokes().size(), s.status().toString());
        assertFalse(ServerLifecycles.schedulerCheck(s.status(), clock.instant()).ok());

        revokeFails = false;
        clock.advance(Duration.ofMinutes(5));
        s.runDue(clock.instant());
        assertTrue(ServerLifecycles.schedulerCheck(s.status(), clock.instant()).ok());
        assertFalse(has("frank"));
    }

    @Test
    void schedulerCheck_whenARunLastsLongerThanTwoMinutes_reportsItStuck() {
        ExpiryScheduler.Status running =
                new ExpiryScheduler.Status(Optional.of(t0), Optional.empty(), Optional.empty(), List.of());
        assertTrue(ServerLifecycles.schedulerCheck(running, t0.plusSeconds(119)).ok());
        Health.Check stuck = ServerLifecycles.schedulerCheck(running, t0.plusSeconds(121));
        assertFalse(stuck.ok());
        assertTrue(stuck.detail().contains("stuck"), stuck.detail());
    }

    @Test
    void runDue_whenEnforcingTheSavedScheduleFirst_followsTheScheduleBeforeReadingGit() {
        Grant g = grant("grace-g", "grace", t0, Duration.ofMinutes(10));
        Grant h = grant("heidi-h", "heidi", t0, Duration.ofMinutes(10));
        inGit.add(g);
        inGit.add(h);
        scheduler(lifecycle()).runDue(clock.instant());
        assertTrue(has("grace") && has("heidi"));
        Grant extended = h.withExpiresAt(t0.plus(Duration.ofMinutes(30))); // merged, then the old leader died
        // Another replica took over after the expiry; git is slow to answer, the schedule is in the database.
        clock.advance(Duration.ofMinutes(11));
        gitDown = true;
        RepoStateStore saved = new RepoStateStore() {
            @Override
            public void saveSchedule(List<Grant> grants) {}

            @Override
            public Optional<List<Grant>> schedule() {
                return Optional.of(List.of(g, extended));
            }

            @Override
            public void saveSettings(String headSha, byte[] settingsYaml) {}

            @Override
            public Optional<byte[]> settings() {
                return Optional.empty();
            }
        };
        GrantExecutor executor = new GrantExecutor(
                Providers.of(List.of(provider)), applied, RetryPolicy.once(), d -> {}, clock, AttemptListener.NONE);
        GrantLifecycle next = new GrantLifecycle(
                () -> {
                    throw new UncheckedIOException(new java.io.IOException("GitHub unreachable"));
                },
                executor,
                applied,
                clock,
                false,
                Optional.empty(),
                LifecycleMessages.DEFAULT,
                saved);
        ExpiryScheduler s = scheduler(next).enforcingSavedScheduleFirst();
        s.runDue(clock.instant());
        assertFalse(has("grace"), "expired: revoked");
        assertTrue(has("heidi"), "extended in git, as the saved schedule says: kept");
        assertTrue(s.status().gitError().isPresent());
    }
}
