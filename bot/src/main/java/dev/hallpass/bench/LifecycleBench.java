package dev.hallpass.bench;

import dev.hallpass.grant.Action;
import dev.hallpass.grant.AttemptListener;
import dev.hallpass.grant.Grant;
import dev.hallpass.grant.GrantExecutor;
import dev.hallpass.grant.GrantLedger;
import dev.hallpass.grant.InMemoryAppliedGrants;
import dev.hallpass.grant.LeaseKey;
import dev.hallpass.grant.Outcome;
import dev.hallpass.grant.Presence;
import dev.hallpass.grant.Provider;
import dev.hallpass.grant.Providers;
import dev.hallpass.grant.ReconcileReport;
import dev.hallpass.grant.RetryPolicy;
import dev.hallpass.lifecycle.ExpiryScheduler;
import dev.hallpass.lifecycle.GrantLifecycle;
import dev.hallpass.lifecycle.GrantSource;
import dev.hallpass.lifecycle.LifecycleMessages;
import dev.hallpass.request.EnvironmentName;
import dev.hallpass.request.Login;
import dev.hallpass.request.ProviderName;
import dev.hallpass.request.RequestId;
import dev.hallpass.request.RoleName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code hallpass bench lifecycle}: how late the scheduler revokes after {@code expiresAt} (real clock, real
 * threads, short expiries on an in-memory provider), and what a sweep over many live grants costs.
 */
/** Grant lifecycle figures: revocation lag in the real scheduler, and a sweep over many live grants. */
public final class LifecycleBench {
    private static final ProviderName PROVIDER = new ProviderName("bench");
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    private final int grants;

    private final int sweep;

    private LifecycleBench(int grants, int sweep) {
        this.grants = grants;
        this.sweep = sweep;
    }

    public static void run(BenchTable table, int grants, int sweep) throws InterruptedException {
        new LifecycleBench(grants, sweep).measure(table);
    }

    /** The target in memory: who holds what, and when each revoke happened. */
    static final class MemoryProvider implements Provider {
        final Set<LeaseKey> present = ConcurrentHashMap.newKeySet();
        final Map<String, Instant> revokedAt = new ConcurrentHashMap<>();
        private final Clock clock;

        MemoryProvider(Clock clock) {
            this.clock = clock;
        }

        @Override
        public ProviderName name() {
            return PROVIDER;
        }

        @Override
        public Outcome apply(Grant grant, boolean dryRun) {
            present.add(grant.key());
            return Outcome.done(Action.APPLY, "applied", "");
        }

        @Override
        public Outcome revoke(Grant grant, boolean dryRun) {
            present.remove(grant.key());
            revokedAt.putIfAbsent(grant.requestId().value(), clock.instant());
            return Outcome.done(Action.REVOKE, "revoked", "");
        }

        @Override
        public Presence verify(Login person, String target) {
            return present.contains(new LeaseKey(person, PROVIDER, target)) ? Presence.PRESENT : Presence.ABSENT;
        }
    }

    static Grant grant(int i, Instant start, Instant expires) {
        return new Grant(
                new RequestId(String.format("bench-%05d", i)),
                new Login("user-" + i),
                new RoleName("db-admin"),
                new EnvironmentName("staging"),
                PROVIDER,
                "orders_admin",
                start,
                expires,
                1,
                SHA,
                "bench");
    }

    private void measure(BenchTable table) throws InterruptedException {
        Clock clock = Clock.systemUTC();
        List<Long> lags = lag(clock);
        double p50 = lags.get(lags.size() / 2) / 1e3;
        double p99 = lags.get(Math.min(lags.size() - 1, (int) Math.ceil(lags.size() * 0.99) - 1)) / 1e3;
        table.add(
                "lifecycle",
                "revocation lag after expires_at in serve's scheduler, p50 (" + lags.size() + " grants)",
                BenchTable.ms(p50),
                "",
                null);
        table.add("lifecycle", "revocation lag, p99", BenchTable.ms(p99), "≤ 1 s", p99 <= 1000);
        sweep(clock, table);
    }

    /** Lags in microseconds, sorted. */
    private List<Long> lag(Clock clock) throws InterruptedException {
        Instant now = clock.instant();
        List<Grant> list = new ArrayList<>();
        for (int i = 0; i < grants; i++) {
            // Spread over 1-2 s so the scheduler wakes for each expiry, not once for all.
            list.add(grant(i, now, now.plusMillis(1000 + (1000L * i) / Math.max(1, grants))));
        }
        MemoryProvider provider = new MemoryProvider(clock);
        InMemoryAppliedGrants applied = new InMemoryAppliedGrants();
        GrantExecutor executor = new GrantExecutor(
                Providers.of(List.of(provider)), applied, RetryPolicy.once(), d -> {}, clock, AttemptListener.NONE);
        GrantSource source = () -> new GrantSource.Snapshot(SHA, list, List.of(), Optional.empty());
        GrantLifecycle lifecycle = new GrantLifecycle(
                source, executor, applied, clock, false, Optional.empty(), LifecycleMessages.DEFAULT);
        try (ExpiryScheduler scheduler =
                new ExpiryScheduler(lifecycle, clock, Duration.ofHours(1), Duration.ofSeconds(30)).start()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (provider.revokedAt.size() < grants && System.nanoTime() < deadline) {
                Thread.sleep(20); // a benchmark of real time: waiting is the point here
            }
        }
        List<Long> lags = new ArrayList<>();
        for (Grant g : list) {
            Instant at = provider.revokedAt.get(g.requestId().value());
            if (at == null) {
                throw new IllegalStateException(g.requestId() + " was never revoked");
            }
            lags.add(Duration.between(g.expiresAt(), at).toNanos() / 1000);
        }
        Collections.sort(lags);
        return lags;
    }

    private void sweep(Clock clock, BenchTable table) {
        Instant now = clock.instant();
        List<Grant> list = new ArrayList<>();
        for (int i = 0; i < sweep; i++) {
            list.add(
                    grant(i, now.minusSeconds(60), now.plus(Duration.ofHours(1)).plusSeconds(i)));
        }
        MemoryProvider provider = new MemoryProvider(clock);
        InMemoryAppliedGrants applied = new InMemoryAppliedGrants();
        GrantExecutor executor = new GrantExecutor(
                Providers.of(List.of(provider)), applied, RetryPolicy.once(), d -> {}, clock, AttemptListener.NONE);

        long t0 = System.nanoTime();
        GrantLedger ledger = GrantLedger.of(list, clock);
        long built = System.nanoTime();
        ReconcileReport first = executor.reconcile(ledger, false);
        long applyAll = System.nanoTime();
        // Warm steady state: what the periodic sweep costs when nothing changed.
        long best = Long.MAX_VALUE;
        ReconcileReport steady = null;
        for (int round = 0; round < 5; round++) {
            long s = System.nanoTime();
            GrantLedger again = GrantLedger.of(list, clock);
            steady = executor.reconcile(again, false);
            best = Math.min(best, System.nanoTime() - s);
        }
        long s = System.nanoTime();
        List<Grant> due = ledger.revocationsDue(now.minusSeconds(300), now);
        long dueNs = System.nanoTime() - s;

        double steadyMs = best / 1e6;
        table.add(
                "lifecycle",
                String.format(java.util.Locale.ROOT, "ledger build, %,d live grants", sweep),
                BenchTable.ms((built - t0) / 1e6),
                "",
                null);
        table.add(
                "lifecycle",
                String.format(
                        java.util.Locale.ROOT,
                        "first reconcile (applies %,d, in-memory provider)",
                        first.results().size()),
                BenchTable.ms((applyAll - built) / 1e6),
                "",
                null);
        table.add(
                "lifecycle",
                String.format(
                        java.util.Locale.ROOT,
                        "sweep over %,d live grants (ledger + reconcile, %d changes)",
                        sweep,
                        steady.results().size()),
                BenchTable.ms(steadyMs),
                "≤ 1 s",
                steadyMs <= 1000);
        table.add(
                "lifecycle",
                String.format(java.util.Locale.ROOT, "revocations due in a 5 min window (%d due)", due.size()),
                BenchTable.ms(dueNs / 1e6),
                "",
                null);
    }
}
