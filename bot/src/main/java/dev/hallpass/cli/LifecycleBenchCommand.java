package dev.hallpass.cli;

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
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hallpass bench lifecycle}: how late the scheduler revokes after {@code expiresAt} (real clock, real
 * threads, short expiries on an in-memory provider), and what a sweep over many live grants costs.
 */
@Command(
        name = "lifecycle",
        mixinStandardHelpOptions = true,
        description = "Revocation lag of the expiry scheduler and the cost of a sweep over many live grants.")
public final class LifecycleBenchCommand implements Callable<Integer> {
    private static final ProviderName PROVIDER = new ProviderName("bench");
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    @Spec
    CommandSpec spec;

    @Option(names = "--grants", defaultValue = "50", description = "Grants expiring 1-2 s after start (default 50).")
    int grants;

    @Option(names = "--sweep", defaultValue = "10000", description = "Live grants for the sweep (default 10000).")
    int sweep;

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

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Clock clock = Clock.systemUTC();
        out.println("hallpass bench lifecycle (" + Runtime.getRuntime().availableProcessors() + " cpus, Java "
                + Runtime.version() + ")");
        out.println();
        List<Long> lags = lag(clock);
        out.println("| measure | value |");
        out.println("|---|---|");
        out.printf(
                "| revocation lag after expiresAt, %d grants, p50 | %.1f ms |%n",
                lags.size(), lags.get(lags.size() / 2) / 1e3);
        out.printf(
                "| revocation lag, p99 | %.1f ms |%n",
                lags.get(Math.min(lags.size() - 1, (int) Math.ceil(lags.size() * 0.99) - 1)) / 1e3);
        out.printf("| revocation lag, max | %.1f ms |%n", lags.get(lags.size() - 1) / 1e3);
        sweep(clock, out);
        out.flush();
        return 0;
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

    private void sweep(Clock clock, PrintWriter out) {
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

        out.printf("| ledger build, %d live grants | %.1f ms |%n", sweep, (built - t0) / 1e6);
        out.printf(
                "| first reconcile (applies %d) | %.1f ms |%n", first.results().size(), (applyAll - built) / 1e6);
        out.printf(
                "| steady sweep (ledger + reconcile, %d changes) | %.1f ms |%n",
                steady.results().size(), best / 1e6);
        out.printf("| revocationsDue over a 5 min window (%d due) | %.3f ms |%n", due.size(), dueNs / 1e6);
    }
}
