package dev.hallpass.grant;

import static dev.hallpass.grant.TestGrants.grant;
import static dev.hallpass.grant.TestGrants.minutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hallpass.request.RequestId;
import dev.hallpass.testing.MutableClock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GrantLedgerTest {
    private final MutableClock clock = new MutableClock(TestGrants.T0);

    private GrantLedger ledger(Grant... grants) {
        return GrantLedger.of(List.of(grants), clock);
    }

    @Test
    void of_whenTwoGrantsShareARequestId_throws() {
        assertThrows(
                IllegalArgumentException.class,
                () -> ledger(grant("req-1", "alice", 0, 60), grant("req-1", "bob", 0, 60)));
    }

    @Test
    void accessAt_whenLeasesOverlap_coversUntilTheLastEnds() {
        Grant first = grant("req-1", "alice", 0, 60);
        Grant second = grant("req-2", "alice", 30, 120);
        GrantLedger l = ledger(first, second);
        LeaseKey key = first.key();

        assertEquals(Map.of(key, first), l.accessAt(minutes(10)));
        // While both are live, the one ending last is the one to apply.
        assertEquals(Map.of(key, second), l.accessAt(minutes(45)));
        assertEquals(Map.of(key, second), l.accessAt(minutes(60)));
        assertTrue(l.accessAt(minutes(120)).isEmpty());
        assertEquals(Optional.of(minutes(120)), l.accessEndsAt(key, minutes(10)));
    }

    @Test
    void accessEndsAt_whenLeasesChain_returnsEndOfUnbrokenRun() {
        GrantLedger l = ledger(
                grant("req-1", "alice", 0, 60),
                grant("req-2", "alice", 60, 90),
                grant("req-3", "alice", 80, 150),
                grant("req-4", "alice", 200, 260));
        LeaseKey key = grant("req-9", "alice", 0, 1).key();
        assertEquals(Optional.of(minutes(150)), l.accessEndsAt(key, minutes(5)));
        assertEquals(Optional.empty(), l.accessEndsAt(key, minutes(170)));
        assertEquals(Optional.of(minutes(260)), l.accessEndsAt(key, minutes(200)));
    }

    @Test
    void revocationsDue_whenFirstLeaseEndsUnderASecond_revokesNothingUntilTheLast() {
        Grant first = grant("req-1", "alice", 0, 60);
        Grant second = grant("req-2", "alice", 30, 120);
        Grant other = grant("req-3", "bob", 0, 60);
        GrantLedger l = ledger(first, second, other);

        assertEquals(List.of(other), l.revocationsDue(minutes(0), minutes(61)));
        assertEquals(List.of(second), l.revocationsDue(minutes(61), minutes(120)));
        assertEquals(List.of(), l.revocationsDue(minutes(120), minutes(500)));
    }

    @Test
    void revocationsDue_whenTwoLeasesOfOneKeyEndInTheWindow_returnsTheLaterOnce() {
        Grant first = grant("req-1", "alice", 0, 60);
        Grant second = grant("req-2", "alice", 30, 90);
        assertEquals(List.of(second), ledger(first, second).revocationsDue(minutes(0), minutes(100)));
    }

    @Test
    void revocationsDue_whenTargetsDiffer_treatsThemSeparately() {
        Grant admin = grant("req-1", "alice", "orders-db", "orders_admin", 0, 60);
        Grant readonly = grant("req-2", "alice", "orders-db", "orders_readonly", 0, 120);
        assertEquals(List.of(admin), ledger(admin, readonly).revocationsDue(minutes(0), minutes(60)));
    }

    @Test
    void with_whenRequestExtended_movesTheExpiry() {
        Grant g = grant("req-1", "alice", 0, 60);
        GrantLedger l = ledger(g);
        GrantLedger extended = l.with(g.withExpiresAt(minutes(180)));

        assertEquals(1, extended.size());
        assertTrue(extended.covered(g.key(), minutes(90)));
        assertEquals(List.of(), extended.revocationsDue(minutes(0), minutes(90)));
        assertEquals(Optional.of(minutes(180)), extended.nextExpiry(minutes(0)));
        // The original ledger is unchanged: ledgers are values.
        assertFalse(l.covered(g.key(), minutes(90)));
    }

    @Test
    void without_whenRequestWithdrawnEarly_dropsItsCoverage() {
        Grant g = grant("req-1", "alice", 0, 600);
        GrantLedger l = ledger(g).without(new RequestId("req-1"));
        assertFalse(l.covered(g.key(), minutes(10)));
        assertEquals(0, l.size());
    }

    @Test
    void nextChange_whenStartsAndExpiriesPending_returnsTheEarliest() {
        GrantLedger l = ledger(grant("req-1", "alice", 0, 60), grant("req-2", "bob", 30, 90));
        assertEquals(Optional.of(minutes(30)), l.nextChange(minutes(0)));
        assertEquals(Optional.of(minutes(60)), l.nextChange(minutes(30)));
        assertEquals(Optional.of(minutes(90)), l.nextChange(minutes(60)));
        assertEquals(Optional.empty(), l.nextChange(minutes(90)));
        assertEquals(Optional.of(minutes(60)), l.nextExpiry(minutes(0)));
    }

    @Test
    void changes_whenNothingApplied_appliesLiveLeasesOnly() {
        Grant live = grant("req-1", "alice", 0, 60);
        Grant scheduled = grant("req-2", "bob", 120, 180);
        GrantLedger l = ledger(live, scheduled);
        clock.set(minutes(10));

        GrantLedger.Changes c = l.changesNow(Map.of());
        assertEquals(List.of(live), c.toApply());
        assertEquals(List.of(), c.toRevoke());
        assertEquals(
                List.of(scheduled),
                l.changes(Map.of(live.key(), live), minutes(120)).toApply());
    }

    @Test
    void changes_whenAppliedLeaseExpiredUnderAnother_reappliesTheLaterAndRevokesNothing() {
        Grant first = grant("req-1", "alice", 0, 60);
        Grant second = grant("req-2", "alice", 30, 120);
        GrantLedger l = ledger(first, second);

        GrantLedger.Changes c = l.changes(Map.of(first.key(), first), minutes(70));
        assertEquals(List.of(second), c.toApply());
        assertEquals(List.of(), c.toRevoke());
    }

    @Test
    void changes_whenAccessEndedOrWithdrawn_revokesTheAppliedGrant() {
        Grant g = grant("req-1", "alice", 0, 600);
        Grant h = grant("req-2", "bob", 0, 60);
        Map<LeaseKey, Grant> applied = Map.of(g.key(), g, h.key(), h);
        GrantLedger l = ledger(g, h).without(g.requestId());

        GrantLedger.Changes early = l.changes(applied, minutes(10));
        assertEquals(List.of(g), early.toRevoke());
        GrantLedger.Changes later = l.changes(applied, minutes(60));
        assertEquals(2, later.toRevoke().size());
        assertTrue(later.toApply().isEmpty());
    }

    @Test
    void changes_whenInStep_isEmpty() {
        Grant g = grant("req-1", "alice", 0, 60);
        assertTrue(ledger(g).changes(Map.of(g.key(), g), minutes(1)).isEmpty());
    }
}
