package dev.hallpass.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the lifecycle on time in {@code serve}: a full sync at start-up (so whatever expired while Hallpass was
 * down is revoked at once) and every {@code sweepInterval}, and an {@link GrantLifecycle#enforce()} at every
 * start and expiry in between, from the grants in memory, so a revoke lags its expiry by the time a provider
 * call takes. A failed sync is retried after {@code retryInterval}.
 *
 * <p>{@link #runDue} is the whole decision and takes the time as an argument, so tests drive it with a
 * manual clock; {@link #start()} runs it on a daemon thread that sleeps until the next due time.
 */
public final class ExpiryScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExpiryScheduler.class);

    /** What {@link #runDue} did. */
    public enum Ran {
        NOTHING,
        SYNC,
        ENFORCE
    }

    private final GrantLifecycle lifecycle;
    private final Clock clock;
    private final Duration sweepInterval;
    private final Duration retryInterval;
    /**
     * What the scheduler last saw, for /readyz.
     *
     * @param runningSince when the run in progress started; empty when idle
     * @param gitError why the last read of git failed; empty when it succeeded (or none was tried yet)
     * @param failedRevokes the revokes that failed in the last run, as "request: reason"
     */
    public record Status(
            Optional<Instant> runningSince,
            Optional<Instant> lastRun,
            Optional<String> gitError,
            java.util.List<String> failedRevokes) {
        public Status {
            failedRevokes = java.util.List.copyOf(failedRevokes);
        }
    }

    private final Object lock = new Object();
    private volatile Instant runningSince;
    private volatile Instant lastRun;
    private volatile String gitError;
    private volatile java.util.List<String> failedRevokes = java.util.List.of();
    private volatile boolean enforceFirst;
    private Instant nextSweep; // null: a sync is due now (start-up, or asked for)
    private Thread thread;
    private Thread revoker;
    private final Object revokerLock = new Object();
    private volatile boolean stopped;

    public ExpiryScheduler(GrantLifecycle lifecycle, Clock clock, Duration sweepInterval, Duration retryInterval) {
        this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sweepInterval = Objects.requireNonNull(sweepInterval, "sweepInterval");
        this.retryInterval = Objects.requireNonNull(retryInterval, "retryInterval");
    }

    /** Sweeps every 5 minutes, retries failures after 30 seconds. */
    public static ExpiryScheduler withDefaults(GrantLifecycle lifecycle, Clock clock) {
        return new ExpiryScheduler(lifecycle, clock, Duration.ofMinutes(5), Duration.ofSeconds(30));
    }

    /**
     * Makes the first run enforce the saved schedule before it reads git, so a replica taking over revokes what
     * is due at once rather than after its first read of GitHub.
     */
    public ExpiryScheduler enforcingSavedScheduleFirst() {
        enforceFirst = true;
        return this;
    }

    public Status status() {
        return new Status(
                Optional.ofNullable(runningSince),
                Optional.ofNullable(lastRun),
                Optional.ofNullable(gitError),
                failedRevokes);
    }

    /** Does what is due at {@code now}: a sync when a sweep is due, else an enforce when a grant starts or ends. */
    public Ran runDue(Instant now) {
        runningSince = clock.instant();
        try {
            return runDueTracked(now);
        } finally {
            lastRun = clock.instant();
            runningSince = null;
        }
    }

    private GrantLifecycle.SyncReport track(GrantLifecycle.SyncReport r) {
        track(r.reconcile());
        return r;
    }

    private void track(dev.hallpass.grant.ReconcileReport reconcile) {
        failedRevokes = reconcile.results().stream()
                .filter(x -> !x.ok() && x.action() == dev.hallpass.grant.Action.REVOKE)
                .map(x -> x.grant().requestId() + ": "
                        + x.attempts().get(x.attempts().size() - 1).outcome().summary())
                .toList();
    }

    private Ran runDueTracked(Instant now) {
        if (enforceFirst) {
            enforceFirst = false;
            try {
                track(lifecycle.enforce());
            } catch (RuntimeException e) {
                LOG.warn("enforcing the saved schedule failed: {}", e.toString());
            }
        }
        Instant sweep;
        synchronized (lock) {
            sweep = nextSweep;
        }
        if (sweep == null || !now.isBefore(sweep)) {
            GrantLifecycle.SyncReport r;
            try {
                long t0 = System.nanoTime();
                r = track(lifecycle.sync());
                gitError = null;
                if (!r.reconcile().results().isEmpty() || !r.pullRequests().isEmpty()) {
                    LOG.info(
                            "read git in {} ms: {} change(s) to the targets, {} pull request step(s)",
                            (System.nanoTime() - t0) / 1_000_000,
                            r.reconcile().results().size(),
                            r.pullRequests().size());
                }
            } catch (RuntimeException e) {
                scheduleSweep(now, false);
                gitError = e.toString();
                // Git is unreachable (GitHub down): still revoke on time from the grants last read.
                LOG.warn("sync failed, enforcing the grants last read: {}", e.toString());
                track(lifecycle.enforce());
                return Ran.ENFORCE;
            }
            scheduleSweep(now, r.ok());
            return Ran.SYNC;
        }
        Optional<Instant> change = lifecycle.nextChange();
        if (change.isPresent() && !now.isBefore(change.get())) {
            GrantLifecycle.SyncReport r = track(lifecycle.enforce());
            if (!r.ok()) {
                scheduleSweep(now, false);
            }
            return Ran.ENFORCE;
        }
        return Ran.NOTHING;
    }

    /** When {@link #runDue} next has something to do. */
    public Instant nextDue() {
        Instant sweep;
        synchronized (lock) {
            sweep = nextSweep;
        }
        if (sweep == null) {
            return clock.instant();
        }
        return lifecycle.nextChange().filter(c -> c.isBefore(sweep)).orElse(sweep);
    }

    /** Asks for a sync as soon as possible (a push to the default branch, a merged pull request). */
    public void wake() {
        synchronized (lock) {
            nextSweep = null;
            lock.notifyAll();
        }
    }

    private void scheduleSweep(Instant now, boolean ok) {
        synchronized (lock) {
            nextSweep = now.plus(ok ? sweepInterval : retryInterval);
        }
    }

    /** Starts the scheduler thread; its first run is the start-up sync. */
    public synchronized ExpiryScheduler start() {
        if (thread != null) {
            return this;
        }
        thread = new Thread(this::loop, "hallpass-expiry");
        thread.setDaemon(true);
        thread.start();
        revoker = new Thread(this::revokeLoop, "hallpass-expiry-revoke");
        revoker.setDaemon(true);
        revoker.start();
        return this;
    }

    private void loop() {
        while (!stopped) {
            try {
                runDue(clock.instant());
            } catch (RuntimeException e) {
                // The lifecycle left everything repairable; try again soon rather than stop enforcing expiry.
                LOG.error("lifecycle run failed; retrying in {}", retryInterval, e);
                scheduleSweep(clock.instant(), false);
            }
            // Computed outside the lock: it asks the lifecycle, which may be busy with a sync for a while.
            Instant due = nextDue();
            synchronized (lock) {
                long waitMs = Duration.between(clock.instant(), due).toMillis();
                // A wake() since nextDue() cleared nextSweep: run again at once instead of waiting.
                if (waitMs > 0 && nextSweep != null && !stopped) {
                    try {
                        lock.wait(waitMs);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    /**
     * The second thread: at each start and expiry it applies and revokes from the grants in memory and nothing
     * else, so a revoke never waits behind a read of git or a revert pull request on the first thread; then it
     * wakes that thread to read git and open the reverts.
     */
    private void revokeLoop() {
        while (!stopped) {
            try {
                Optional<Instant> next = lifecycle.nextChange();
                long waitMs = next.map(t -> Duration.between(clock.instant(), t).toMillis())
                        .orElse(500L);
                if (waitMs > 0) {
                    synchronized (revokerLock) {
                        // The grants change with every sync: look again at least every second.
                        revokerLock.wait(Math.min(waitMs, 1000));
                    }
                    continue;
                }
                runningSince = clock.instant();
                try {
                    lifecycle.revokeDue().ifPresent(this::track);
                } finally {
                    lastRun = clock.instant();
                    runningSince = null;
                }
                wake();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("revoking on time failed; retrying in a second", e);
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        stopped = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        Thread t;
        Thread r;
        synchronized (this) {
            t = thread;
            r = revoker;
        }
        for (Thread x : new Thread[] {t, r}) {
            if (x != null) {
                x.interrupt();
                try {
                    x.join(5000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
