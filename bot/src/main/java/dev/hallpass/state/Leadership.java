package dev.hallpass.state;

import dev.hallpass.lifecycle.StateBackend.Role;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which replica runs the grant lifecycle of each access repository: the one holding the repository's
 * session-level advisory lock ({@code pg_try_advisory_lock}) on a dedicated connection. Every replica tries
 * every {@code poll}; when the leader dies (kill -9, a lost node) PostgreSQL ends its session and frees the
 * lock — at once when the socket closes, within seconds through TCP keep-alives otherwise — and the next
 * replica to try takes over. A leader that loses its own connection steps down at once, since it can no
 * longer be sure that it holds the lock.
 *
 * <p>Also carries wake-ups between replicas ({@code NOTIFY hallpass_wake}): a merge seen by a follower asks
 * the leader to read git now.
 */
public final class Leadership implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);
    static final int NAMESPACE = 0x48504c44; // "HPLD"
    private static final String CHANNEL = "hallpass_wake";

    private final StateDatabase db;
    private final Map<String, Role> roles;
    private final Duration poll;
    private final Set<String> led = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;
    private volatile boolean connected;
    private Thread thread;
    private Connection conn;

    /** @param roles per repository key ({@code owner/name}) */
    public Leadership(StateDatabase db, Map<String, Role> roles, Duration poll) {
        this.db = Objects.requireNonNull(db, "db");
        this.roles = new LinkedHashMap<>();
        roles.forEach((k, v) -> this.roles.put(StateDatabase.repoKey(k), v));
        this.poll = Objects.requireNonNull(poll, "poll");
    }

    public synchronized Leadership start() {
        if (thread == null) {
            thread = new Thread(this::loop, "hallpass-leadership");
            thread.setDaemon(true);
            thread.start();
        }
        return this;
    }

    public boolean isLeader(String repo) {
        return led.contains(StateDatabase.repoKey(repo));
    }

    /** Whether the leadership connection is up (for /readyz). */
    public boolean connected() {
        return connected;
    }

    /** Asks the leader of {@code repo}, wherever it runs, to read git now. */
    public void wake(String repo) {
        String key = StateDatabase.repoKey(repo);
        Role local = roles.get(key);
        if (led.contains(key) && local != null) {
            local.wake();
            return;
        }
        try (Connection c = db.connection();
                PreparedStatement s = StateDatabase.timed(c.prepareStatement("SELECT pg_notify(?, ?)"))) {
            s.setString(1, CHANNEL);
            s.setString(2, key);
            s.execute();
        } catch (SQLException e) {
            LOG.warn("cannot wake the leader of {}: {}", key, StateDatabase.rootMessage(e));
        }
    }

    private void loop() {
        while (!stopped) {
            try {
                if (conn == null) {
                    conn = db.dedicatedConnection();
                    try (Statement s = conn.createStatement()) {
                        s.execute("LISTEN " + CHANNEL);
                    }
                    connected = true;
                }
                for (var e : roles.entrySet()) {
                    if (!led.contains(e.getKey()) && tryLock(e.getKey())) {
                        led.add(e.getKey());
                        LOG.info("leading the grant lifecycle of {}", e.getKey());
                        safely(e.getValue()::lead, "lead");
                    }
                }
                alive();
                PGNotification[] ns = conn.unwrap(PGConnection.class).getNotifications((int) poll.toMillis());
                if (ns != null) {
                    for (PGNotification n : ns) {
                        Role r = roles.get(n.getParameter());
                        if (r != null && led.contains(n.getParameter())) {
                            safely(r::wake, "wake");
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (stopped) {
                    break;
                }
                LOG.warn("leadership connection lost, stepping down: {}", StateDatabase.rootMessage(e));
                stepDown();
                sleep(poll);
            }
        }
        stepDown();
    }

    private boolean tryLock(String key) throws SQLException {
        try (PreparedStatement s = conn.prepareStatement("SELECT pg_try_advisory_lock(?, hashtext(?))")) {
            s.setQueryTimeout(2);
            s.setInt(1, NAMESPACE);
            s.setString(2, key);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** A leader must know promptly that its session is gone: a round trip every poll. */
    private void alive() throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.setQueryTimeout(2);
            s.execute("SELECT 1");
        }
    }

    private void stepDown() {
        connected = false;
        for (String key : Set.copyOf(led)) {
            led.remove(key);
            if (stopped) {
                LOG.info("released the leadership of {} (shutting down)", key);
            } else {
                LOG.warn("no longer leading {}", key);
            }
            safely(roles.get(key)::follow, "follow");
        }
        if (conn != null) {
            try {
                conn.close(); // the session ends, so the server frees any lock still held
            } catch (SQLException e) {
                // already gone
            }
            conn = null;
        }
    }

    private static void safely(Runnable r, String what) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.error("leadership {} failed", what, e);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopped = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
