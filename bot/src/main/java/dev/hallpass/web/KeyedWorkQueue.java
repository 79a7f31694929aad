package dev.hallpass.web;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs work for one key (a pull request) at a time and different keys in parallel, with a bound on how
 * many keys may wait. Work is a re-evaluation of current state, so submissions for a key that is already
 * waiting coalesce, and one that arrives while its key runs makes it run once more afterwards: the last
 * event is never lost and never evaluated twice in parallel.
 */
public final class KeyedWorkQueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KeyedWorkQueue.class);

    /** What {@link #submit} did with the work. */
    public enum Admission {
        QUEUED,
        COALESCED,
        RERUN_SCHEDULED,
        REJECTED_FULL,
        REJECTED_CLOSED
    }

    private enum State {
        QUEUED,
        RUNNING,
        RUNNING_RERUN
    }

    private final ExecutorService pool;
    private final int maxKeys;
    private final Consumer<Throwable> onError;
    private final Map<String, State> states = new HashMap<>();
    private final Map<String, Runnable> work = new HashMap<>();
    private final Map<String, Long> runningSince = new HashMap<>(); // System.nanoTime() at the task's start
    private boolean closed;

    public KeyedWorkQueue(int workers, int maxKeys, Consumer<Throwable> onError) {
        if (workers < 1 || maxKeys < 1) {
            throw new IllegalArgumentException("workers and maxKeys must be positive");
        }
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "hallpass-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = Executors.newFixedThreadPool(workers, threads);
        this.maxKeys = maxKeys;
        this.onError = onError;
    }

    /** Schedules {@code task} for {@code key}; the latest task submitted for a key is the one that runs. */
    public synchronized Admission submit(String key, Runnable submitted) {
        Runnable task = withLogContext(key, submitted);
        if (closed) {
            return Admission.REJECTED_CLOSED;
        }
        State s = states.get(key);
        if (s == null) {
            if (states.size() >= maxKeys) {
                return Admission.REJECTED_FULL;
            }
            states.put(key, State.QUEUED);
            work.put(key, task);
            pool.execute(() -> run(key));
            return Admission.QUEUED;
        }
        work.put(key, task);
        if (s == State.QUEUED) {
            return Admission.COALESCED;
        }
        states.put(key, State.RUNNING_RERUN);
        return Admission.RERUN_SCHEDULED;
    }

    /**
     * The submitter's log context (the webhook's delivery id, ...) travels with the work to the worker thread,
     * with the key as {@code work}, so every log line of a pull request's evaluation names what caused it.
     */
    private static Runnable withLogContext(String key, Runnable task) {
        java.util.Map<String, String> context = org.slf4j.MDC.getCopyOfContextMap();
        return () -> {
            java.util.Map<String, String> before = org.slf4j.MDC.getCopyOfContextMap();
            if (context != null) {
                org.slf4j.MDC.setContextMap(context);
            } else {
                org.slf4j.MDC.clear();
            }
            org.slf4j.MDC.put("work", key);
            try {
                task.run();
            } finally {
                if (before != null) {
                    org.slf4j.MDC.setContextMap(before);
                } else {
                    org.slf4j.MDC.clear();
                }
            }
        };
    }

    /** Keys queued or running now. */
    public synchronized int pending() {
        return states.size();
    }

    private void run(String key) {
        while (true) {
            Runnable task;
            synchronized (this) {
                states.put(key, State.RUNNING);
                task = work.remove(key);
                runningSince.put(key, System.nanoTime());
            }
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.error("work for {} failed", key, e);
                onError.accept(e);
            }
            synchronized (this) {
                if (states.get(key) == State.RUNNING_RERUN && !closed) {
                    continue;
                }
                states.remove(key);
                work.remove(key);
                runningSince.remove(key);
                notifyAll();
                return;
            }
        }
    }

    /** How long the longest-running task has been running (zero when none runs): a stuck worker shows here. */
    public synchronized java.time.Duration longestRunning() {
        long now = System.nanoTime();
        return java.time.Duration.ofNanos(
                runningSince.values().stream().mapToLong(t -> now - t).max().orElse(0));
    }

    /** Waits until nothing is queued or running, or the timeout passes; true when idle. */
    public synchronized boolean awaitIdle(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!states.isEmpty()) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        pool.shutdown();
        try {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
