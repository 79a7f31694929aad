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
import dev.hallpass.request.EnvironmentName;
import dev.hallpass.request.Login;
import dev.hallpass.request.ProviderName;
import dev.hallpass.request.RequestId;
import dev.hallpass.request.RoleName;
import dev.hallpass.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The lifecycle without GitHub: provider failures are kept for the next sync; messages carry the trailers. */
class GrantLifecycleTest {
    private static final ProviderName P = new ProviderName("mem");
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
    private final Set<LeaseKey> target = new HashSet<>();
    private int failuresLeft;

    private final Provider provider = new Provider() {
        @Override
        public ProviderName name() {
            return P;
        }

        @Override
        public Outcome apply(Grant grant, boolean dryRun) {
            if (failuresLeft > 0) {
                failuresLeft--;
                return Outcome.failed(Action.APPLY, "database unreachable", "");
            }
            target.add(grant.key());
            return Outcome.done(Action.APPLY, "applied", "");
        }

        @Override
        public Outcome revoke(Grant grant, boolean dryRun) {
            target.remove(grant.key());
            return Outcome.done(Action.REVOKE, "revoked", "");
        }

        @Override
        public Presence verify(Login person, String t) {
            return target.contains(new LeaseKey(person, P, t)) ? Presence.PRESENT : Presence.ABSENT;
        }
    };

    private Grant grant(String id, Duration d) {
        Instant start = clock.instant();
        return new Grant(
                new RequestId(id),
                new Login("alice"),
                new RoleName("db-admin"),
                new EnvironmentName("staging"),
                P,
                "orders_admin",
                start,
                start.plus(d),
                12,
                "0123456789abcdef0123456789abcdef01234567",
                "merged in #12");
    }

    @Test
    void sync_whenProviderFailsEveryRetry_keepsTheApplyForTheNextSync() {
        List<Grant> inGit = new ArrayList<>(List.of(grant("alice-a", Duration.ofHours(1))));
        InMemoryAppliedGrants applied = new InMemoryAppliedGrants();
        List<Duration> waits = new ArrayList<>();
        GrantExecutor executor = new GrantExecutor(
                Providers.of(List.of(provider)),
                applied,
                new RetryPolicy(3, Duration.ofSeconds(2), 2.0, Duration.ofSeconds(10)),
                waits::add,
                clock,
                AttemptListener.NONE);
        GrantLifecycle lifecycle = new GrantLifecycle(
                () -> new GrantSource.Snapshot("abc", inGit, List.of(), Optional.empty()),
                executor,
                applied,
                clock,
                false,
                Optional.empty(),
                LifecycleMessages.DEFAULT);

        failuresLeft = 4;
        GrantLifecycle.SyncReport first = lifecycle.sync();
        assertFalse(first.ok());
        assertEquals(3, first.reconcile().failures().get(0).attempts().size());
        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(4)), waits, "backed off between tries");
        assertTrue(target.isEmpty());
        assertFalse(applied.snapshot().values().iterator().next().confirmed(), "kept, unconfirmed");

        clock.advance(Duration.ofMinutes(5));
        GrantLifecycle.SyncReport second = lifecycle.sync();
        assertTrue(second.ok());
        assertEquals(Set.of(grant("alice-a", Duration.ofHours(1)).key()), target, "applied on the next sync");
    }

    @Test
    void expireMessages_whenWritten_endWithAuditTrailers() {
        Grant g = grant("alice-a", Duration.ofHours(2));
        Instant revoked = g.expiresAt().plusMillis(300);
        LifecycleMessages m = LifecycleMessages.DEFAULT;
        assertEquals("Expire access: alice-a", m.expirePrTitle(g));
        String commit = m.expireCommit(g, revoked);
        assertTrue(commit.startsWith("Expire access: alice-a\n\n"), commit);
        assertTrue(
                commit.endsWith("\n\nHallpass-Request: alice-a\nHallpass-Action: expire\n"
                        + "Hallpass-Expires-At: 2026-03-02T11:00:00Z\n"),
                commit);
        String body = m.expirePrBody(g, new LifecycleMessages.Timeline(g.start(), g.expiresAt(), revoked));
        assertTrue(body.contains("| Access started | 2026-03-02T09:00:00Z |"), body);
        assertTrue(body.contains("| Revoked | 2026-03-02T11:00:00.300Z |"), body);
        assertTrue(body.contains("| Granted by | #12 (merge 0123456) |"), body);
        assertTrue(m.revokeCommit(g, "carol", revoked).contains("Hallpass-Action: revoke\n"));
    }
}
