package dev.hallpass.grant;

import static dev.hallpass.grant.TestGrants.grant;
import static dev.hallpass.grant.TestGrants.minutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GrantExecutorTest {
    private final MutableClock clock = new MutableClock(minutes(10));
    private final FakeProvider db = new FakeProvider("orders-db");
    private final InMemoryAppliedGrants applied = new InMemoryAppliedGrants();
    private final List<Duration> slept = new ArrayList<>();
    private final List<Attempt> attempts = new ArrayList<>();
    private final RetryPolicy retry = new RetryPolicy(4, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(3));

    /** The sleeper moves the test clock instead of waiting, and remembers each back-off. */
    private final GrantExecutor executor = new GrantExecutor(
            Providers.of(List.of(db)),
            applied,
            retry,
            d -> {
                slept.add(d);
                clock.advance(d);
            },
            clock,
            attempts::add);

    private GrantLedger ledger(Grant... grants) {
        return GrantLedger.of(List.of(grants), clock);
    }

    @Test
    void apply_whenProviderFailsThenSucceeds_retriesWithBackoff() {
        db.failuresLeft = 1;
        db.throwsLeft = 1;
        Grant g = grant("req-1", "alice", 0, 60);

        ExecutionResult r = executor.apply(g, false);

        assertTrue(r.ok());
        assertEquals(3, r.attempts().size());
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), slept);
        assertEquals(3, attempts.size());
        assertTrue(attempts.get(0).outcome().summary().contains("connection reset"));
        assertEquals(Optional.of(Duration.ofSeconds(1)), attempts.get(0).retryIn());
        assertEquals(Optional.empty(), attempts.get(2).retryIn());
        assertEquals(minutes(10).plusSeconds(3), attempts.get(2).startedAt());
        assertEquals(Presence.PRESENT, db.verify(g));
    }

    @Test
    void apply_whenProviderKeepsFailing_stopsAtTheLimitAndReturnsTheFailure() {
        db.failuresLeft = 100;
        ExecutionResult r = executor.apply(grant("req-1", "alice", 0, 60), false);
        assertFalse(r.ok());
        assertEquals(4, r.attempts().size());
        // Capped at the maximum back-off.
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3)), slept);
        assertEquals("target unavailable", r.outcome().summary());
    }

    @Test
    void apply_whenProviderUnknown_failsWithoutRetrying() {
        Grant g = grant("req-1", "alice", "nowhere", "x", 0, 60);
        ExecutionResult r = executor.apply(g, false);
        assertFalse(r.ok());
        assertEquals(1, r.attempts().size());
        assertTrue(slept.isEmpty());
    }

    @Test
    void reconcile_whenApplyFailsEveryTime_keepsTheLeaseForTheNextReconcile() {
        Grant g = grant("req-1", "alice", 0, 60);
        db.failuresLeft = 4;
        ReconcileReport first = executor.reconcile(ledger(g), false);
        assertEquals(1, first.failures().size());
        assertFalse(applied.get(g.key()).orElseThrow().confirmed());

        ReconcileReport second = executor.reconcile(ledger(g), false);
        assertTrue(second.ok());
        assertTrue(applied.get(g.key()).orElseThrow().confirmed());
        assertEquals(Presence.PRESENT, db.verify(g));
    }

    @Test
    void reconcile_whenRevokeFailsEveryTime_keepsTryingOnLaterReconciles() {
        Grant g = grant("req-1", "alice", 0, 60);
        executor.reconcile(ledger(g), false);
        clock.set(minutes(60));
        db.failuresLeft = 4;

        ReconcileReport failed = executor.reconcile(ledger(g), false);
        assertEquals(1, failed.failures().size());
        assertEquals(Action.REVOKE, failed.failures().get(0).action());
        assertTrue(applied.get(g.key()).isPresent());

        ReconcileReport retried = executor.reconcile(ledger(g), false);
        assertTrue(retried.ok());
        assertEquals(Presence.ABSENT, db.verify(g));
        assertTrue(applied.snapshot().isEmpty());
    }

    @Test
    void reconcile_whenInStep_doesNothing() {
        Grant g = grant("req-1", "alice", 0, 60);
        executor.reconcile(ledger(g), false);
        db.calls.clear();
        ReconcileReport again = executor.reconcile(ledger(g), false);
        assertTrue(again.results().isEmpty());
        assertTrue(db.calls.isEmpty());
        assertEquals(Optional.of(minutes(60)), again.nextCheck());
    }

    @Test
    void reconcile_whenRequestExtended_reappliesAndRevokesOnlyAtTheNewExpiry() {
        Grant g = grant("req-1", "alice", 0, 60);
        executor.reconcile(ledger(g), false);
        GrantLedger extended = ledger(g.withExpiresAt(minutes(120)));

        ReconcileReport r = executor.reconcile(extended, false);
        assertEquals(List.of("apply req-1", "apply req-1"), db.calls);
        assertTrue(r.ok());
        assertEquals(minutes(120), applied.get(g.key()).orElseThrow().grant().expiresAt());

        clock.set(minutes(90));
        assertTrue(executor.reconcile(extended, false).results().isEmpty());
        assertEquals(Presence.PRESENT, db.verify(g));
        clock.set(minutes(120));
        executor.reconcile(extended, false);
        assertEquals(Presence.ABSENT, db.verify(g));
    }

    @Test
    void reconcile_whenLeasesOverlap_revokesOnlyAfterTheLast() {
        Grant first = grant("req-1", "alice", 0, 60);
        Grant second = grant("req-2", "alice", 30, 120);
        GrantLedger l = ledger(first, second);
        executor.reconcile(l, false);
        clock.set(minutes(60));
        ReconcileReport atFirstExpiry = executor.reconcile(l, false);
        assertTrue(atFirstExpiry.results().stream().noneMatch(r -> r.action() == Action.REVOKE));
        assertEquals(Presence.PRESENT, db.verify(first));
        clock.set(minutes(120));
        executor.reconcile(l, false);
        assertEquals(Presence.ABSENT, db.verify(first));
        assertEquals("revoke req-2", db.calls.get(db.calls.size() - 1));
    }

    @Test
    void reconcile_whenCrashedAfterApplyBeforeConfirming_finishesWithoutHarm() {
        Grant g = grant("req-1", "alice", 0, 60);
        // As if a previous run wrote its intent and applied, then died before confirming.
        applied.put(new AppliedGrant(g, false, false));
        db.present.add(g.key());

        ReconcileReport r = executor.reconcile(ledger(g), false);
        assertTrue(r.ok());
        assertTrue(r.results().get(0).outcome().noOp());
        assertTrue(applied.get(g.key()).orElseThrow().confirmed());
    }

    @Test
    void reconcile_whenCrashedBeforeConfirmingAndAccessEnded_stillRevokes() {
        Grant g = grant("req-1", "alice", 0, 60);
        applied.put(new AppliedGrant(g, false, false));
        db.present.add(g.key());
        clock.set(minutes(61));
        assertTrue(executor.reconcile(ledger(g), false).ok());
        assertEquals(Presence.ABSENT, db.verify(g));
    }

    @Test
    void reconcile_whenRecordedAsStandingAccessByAnOlderVersion_neitherAppliesNorRevokesIt() {
        Grant g = grant("req-1", "alice", 0, 60);
        db.present.add(g.key());
        applied.put(new AppliedGrant(g, true, true));
        executor.reconcile(ledger(g), false);
        clock.set(minutes(60));
        ReconcileReport r = executor.reconcile(ledger(g), false);
        assertTrue(r.results().get(0).outcome().noOp());
        assertEquals(Presence.PRESENT, db.verify(g));
        assertTrue(db.calls.isEmpty(), db.calls.toString());
        assertTrue(applied.snapshot().isEmpty());
    }

    @Test
    void reconcile_whenDryRun_changesNeitherTargetNorAppliedState() {
        Grant g = grant("req-1", "alice", 0, 60);
        ReconcileReport r = executor.reconcile(ledger(g), true);
        assertTrue(r.dryRun());
        assertTrue(r.results().get(0).outcome().dryRun());
        assertEquals(List.of("apply req-1 (dry run)"), db.calls);
        assertEquals(Presence.ABSENT, db.verify(g));
        assertTrue(applied.snapshot().isEmpty());
    }

    @Test
    void reconcile_whenRequestWithdrawnEarly_revokesAtOnce() {
        Grant g = grant("req-1", "alice", 0, 600);
        executor.reconcile(ledger(g), false);
        clock.advance(Duration.ofMinutes(5));
        ReconcileReport r = executor.reconcile(ledger(), false);
        assertEquals(Action.REVOKE, r.results().get(0).action());
        assertEquals(Presence.ABSENT, db.verify(g));
    }

    @Test
    void apply_whenListenerThrows_stillRetriesAndReturnsEveryAttempt() {
        GrantExecutor noisy = new GrantExecutor(Providers.of(List.of(db)), applied, retry, d -> {}, clock, a -> {
            throw new IllegalStateException("comment service down");
        });
        db.failuresLeft = 1;
        ExecutionResult r = noisy.apply(grant("req-1", "alice", 0, 60), false);
        assertTrue(r.ok());
        assertEquals(2, r.attempts().size());
    }

    @Test
    void backoffAfter_whenAttemptsGrow_doublesUpToTheCap() {
        RetryPolicy p = RetryPolicy.defaults();
        assertEquals(Duration.ofSeconds(2), p.backoffAfter(1));
        assertEquals(Duration.ofSeconds(16), p.backoffAfter(4));
        assertEquals(Duration.ofMinutes(1), p.backoffAfter(20));
    }

    @Test
    void reconcile_whenAccessPresentButNoRecord_takesTheGrantAsHallpassesAndRevokesItAtExpiry() {
        // An earlier process applied it and its record was lost (a new state directory, another replica).
        Grant g = grant("req-1", "alice", 0, 60);
        db.present.add(g.key());

        executor.reconcile(ledger(g), false);
        assertFalse(applied.get(g.key()).orElseThrow().preExisting());
        clock.set(minutes(60));
        ReconcileReport r = executor.reconcile(ledger(g), false);

        assertTrue(r.ok());
        assertEquals(Presence.ABSENT, db.verify(g));
        assertTrue(applied.snapshot().isEmpty());
    }
}
