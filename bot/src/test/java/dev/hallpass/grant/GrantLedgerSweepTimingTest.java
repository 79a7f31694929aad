package dev.hallpass.grant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.hallpass.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Prints how long the ledger's sweeps take over 10 000 live grants. It measures and reports rather than
 * asserting a time, which would flake on a shared machine; the assertions check the sweeps' answers.
 */
class GrantLedgerSweepTimingTest {
    private static final int GRANTS = 10_000;
    private static final int RUNS = 41;

    @Test
    void sweeps_whenTenThousandGrantsLive_printTimings() {
        Random random = new Random(7);
        String[] targets = {"orders_admin", "orders_readonly", "billing_admin", "audit_reader"};
        List<Grant> grants = new ArrayList<>(GRANTS);
        for (int i = 0; i < GRANTS; i++) {
            long from = random.nextInt(240);
            long to = from + 15 + random.nextInt(480);
            grants.add(TestGrants.grant(
                    String.format("req-%05d", i),
                    "user-" + random.nextInt(4000),
                    "orders-db",
                    targets[random.nextInt(targets.length)],
                    from,
                    to));
        }
        MutableClock clock = new MutableClock(TestGrants.minutes(240));
        Instant now = clock.instant();

        long build = median(() -> GrantLedger.of(grants, clock));
        GrantLedger ledger = GrantLedger.of(grants, clock);
        Map<LeaseKey, Grant> appliedBefore = ledger.accessAt(now.minus(Duration.ofMinutes(1)));
        long access = median(() -> ledger.accessAt(now));
        long changes = median(() -> ledger.changes(appliedBefore, now));
        long due = median(() -> ledger.revocationsDue(now.minus(Duration.ofMinutes(1)), now));
        long next = median(() -> ledger.nextChange(now));

        // A whole reconcile through the executor, with an in-memory provider and every still-live lease
        // applied a minute ago: it revokes what ended in that minute and applies what started.
        long sweep = median(() -> {
            FakeProvider db = new FakeProvider("orders-db");
            InMemoryAppliedGrants applied = new InMemoryAppliedGrants();
            appliedBefore.values().forEach(g -> {
                applied.put(new AppliedGrant(g, true, false));
                db.present.add(g.key());
            });
            GrantExecutor executor = new GrantExecutor(
                    Providers.of(List.of(db)), applied, RetryPolicy.once(), d -> {}, clock, AttemptListener.NONE);
            return executor.reconcile(ledger, false);
        });

        System.out.printf(
                "GrantLedger over %d grants (median of %d runs): build %.3f ms, accessAt %.3f ms,"
                        + " changes (full reconcile diff) %.3f ms, revocationsDue (1-minute window) %.3f ms,"
                        + " nextChange %.4f ms, executor reconcile sweep (incl. filling the applied store) %.3f ms%n",
                GRANTS, RUNS, build / 1e6, access / 1e6, changes / 1e6, due / 1e6, next / 1e6, sweep / 1e6);

        Map<LeaseKey, Grant> desired = ledger.accessAt(now);
        assertFalse(desired.isEmpty());
        // The windowed sweep and the full diff must agree on what to revoke.
        List<Grant> fromDiff = ledger.changes(appliedBefore, now).toRevoke();
        List<Grant> fromWindow = ledger.revocationsDue(now.minus(Duration.ofMinutes(1)), now);
        assertEquals(fromDiff.size(), fromWindow.size());
        assertEquals(
                fromDiff.stream().map(Grant::key).sorted().toList(),
                fromWindow.stream().map(Grant::key).sorted().toList());
    }

    private static long median(Supplier<?> work) {
        long[] times = new long[RUNS];
        for (int i = 0; i < 20; i++) {
            work.get();
        }
        for (int i = 0; i < RUNS; i++) {
            long t = System.nanoTime();
            work.get();
            times[i] = System.nanoTime() - t;
        }
        Arrays.sort(times);
        return times[RUNS / 2];
    }
}
