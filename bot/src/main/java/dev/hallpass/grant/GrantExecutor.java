package dev.hallpass.grant;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Carries out grants through providers: single applies and revokes with bounded, backed-off retries, and
 * {@link #reconcile} which brings the applied state in line with a {@link GrantLedger}. Knows nothing of
 * GitHub or git: the caller builds the ledger and reports the results.
 *
 * <p>Every call is safe to repeat: providers are idempotent, and the applied state is written before a
 * provider is called, so a crash part-way is finished by the next reconcile rather than forgotten.
 * Not thread-safe: run reconciles one at a time (a single scheduler thread, or a lock around it).
 */
public final class GrantExecutor {
    private final Providers providers;
    private final AppliedGrants applied;
    private final RetryPolicy retry;
    private final Sleeper sleeper;
    private final Clock clock;
    private final AttemptListener listener;

    public GrantExecutor(
            Providers providers,
            AppliedGrants applied,
            RetryPolicy retry,
            Sleeper sleeper,
            Clock clock,
            AttemptListener listener) {
        this.providers = Objects.requireNonNull(providers, "providers");
        this.applied = Objects.requireNonNull(applied, "applied");
        this.retry = Objects.requireNonNull(retry, "retry");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Applies one grant now, with retries; does not touch the applied state (see {@link #reconcile}). */
    public ExecutionResult apply(Grant grant, boolean dryRun) {
        return execute(Action.APPLY, grant, dryRun);
    }

    /** Revokes one grant now, with retries; the caller has checked that no other lease covers its key. */
    public ExecutionResult revoke(Grant grant, boolean dryRun) {
        return execute(Action.REVOKE, grant, dryRun);
    }

    /**
     * Applies every lease the ledger wants now and is not applied (or was applied with another lease, as
     * after an extension), and revokes every applied key the ledger no longer covers. A dry run calls the
     * providers in dry-run mode and leaves the applied state alone.
     */
    public ReconcileReport reconcile(GrantLedger ledger, boolean dryRun) {
        Instant now = clock.instant();
        Map<LeaseKey, AppliedGrant> current = new TreeMap<>(applied.snapshot());
        Map<LeaseKey, Grant> desired = new TreeMap<>(ledger.accessAt(now));
        List<ExecutionResult> results = new ArrayList<>();
        for (var e : desired.entrySet()) {
            AppliedGrant entry = current.get(e.getKey());
            Grant grant = e.getValue();
            if (entry != null && entry.confirmed() && entry.grant().equals(grant)) {
                continue;
            }
            results.add(applyLease(grant, entry, dryRun));
        }
        for (var e : current.entrySet()) {
            if (!desired.containsKey(e.getKey())) {
                results.add(revokeLease(e.getValue(), dryRun));
            }
        }
        return new ReconcileReport(now, dryRun, results, ledger.nextChange(now));
    }

    private ExecutionResult applyLease(Grant grant, AppliedGrant entry, boolean dryRun) {
        if (entry == null) {
            // Every grant comes from a request merged on the default branch, and Hallpass revokes what such a
            // request grants, whatever the target showed before. Finding the access present says nothing of who
            // gave it: most often an earlier Hallpass process (another replica, or one whose state was lost),
            // and recording that as standing access would let it outlive its expiry. Standing access belongs
            // outside the catalog's targets; entries recorded as pre-existing by older versions are honoured.
            entry = new AppliedGrant(grant, false, false);
            if (!dryRun) {
                applied.put(entry);
            }
        }
        if (entry.preExisting()) {
            if (!dryRun) {
                applied.put(new AppliedGrant(grant, true, true));
            }
            return note(
                    Action.APPLY,
                    grant,
                    Outcome.noOp(
                            Action.APPLY,
                            grant.person() + " already had " + grant.target() + " before this grant; left as it is",
                            ""));
        }
        if (!dryRun && !entry.grant().equals(grant)) {
            applied.put(new AppliedGrant(grant, false, false));
        }
        ExecutionResult r = execute(Action.APPLY, grant, dryRun);
        if (r.ok() && !dryRun) {
            applied.put(new AppliedGrant(grant, true, false));
        }
        return r;
    }

    private ExecutionResult revokeLease(AppliedGrant entry, boolean dryRun) {
        Grant grant = entry.grant();
        if (entry.preExisting()) {
            if (!dryRun) {
                applied.remove(entry.key());
            }
            return note(
                    Action.REVOKE,
                    grant,
                    Outcome.noOp(
                            Action.REVOKE,
                            grant.person() + " had " + grant.target() + " before this grant; left as it is",
                            ""));
        }
        ExecutionResult r = execute(Action.REVOKE, grant, dryRun);
        if (r.ok() && !dryRun) {
            applied.remove(entry.key());
        }
        return r;
    }

    private ExecutionResult note(Action action, Grant grant, Outcome outcome) {
        Instant t = clock.instant();
        Attempt a = new Attempt(action, grant, 1, t, t, outcome, Optional.empty());
        tell(a);
        return new ExecutionResult(action, grant, List.of(a));
    }

    private ExecutionResult execute(Action action, Grant grant, boolean dryRun) {
        Optional<Provider> provider = providers.find(grant.provider());
        if (provider.isEmpty()) {
            // Retrying cannot help a missing provider; report it at once.
            return note(
                    action,
                    grant,
                    Outcome.failed(action, "no provider named '" + grant.provider() + "' is configured", ""));
        }
        List<Attempt> attempts = new ArrayList<>();
        for (int n = 1; ; n++) {
            Instant started = clock.instant();
            Outcome outcome = call(provider.get(), action, grant, dryRun);
            boolean again = !outcome.ok() && n < retry.maxAttempts();
            Optional<Duration> wait = again ? Optional.of(retry.backoffAfter(n)) : Optional.empty();
            Attempt a = new Attempt(action, grant, n, started, clock.instant(), outcome, wait);
            attempts.add(a);
            tell(a);
            if (!again) {
                return new ExecutionResult(action, grant, attempts);
            }
            try {
                sleeper.sleep(wait.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new ExecutionResult(action, grant, attempts);
            }
        }
    }

    /** A failing listener must not stop the work or lose the result, which the caller still gets. */
    private void tell(Attempt a) {
        try {
            listener.attempted(a);
        } catch (RuntimeException e) {
            // Deliberately ignored: the attempt is in the returned result.
        }
    }

    private static Outcome call(Provider p, Action action, Grant grant, boolean dryRun) {
        try {
            Outcome o = action == Action.APPLY ? p.apply(grant, dryRun) : p.revoke(grant, dryRun);
            return Objects.requireNonNull(o, "provider returned no outcome");
        } catch (RuntimeException e) {
            return Outcome.failed(
                    action, p.name() + " failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(), "");
        }
    }
}
