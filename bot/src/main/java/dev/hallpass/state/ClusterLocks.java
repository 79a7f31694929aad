package dev.hallpass.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Cluster-wide mutual exclusion per key, for work that must not run on two replicas at once (the emergency
 * {@code max_live_grants} check and merge of one repository, say). Backed by PostgreSQL transaction-level
 * advisory locks ({@code pg_advisory_xact_lock}): held for exactly as long as the transaction around the
 * work, and released by the server when the holder's connection dies, so a kill -9'd replica never leaves
 * a key locked.
 */
public final class ClusterLocks {
    /** The advisory-lock namespace of these locks (the first int of the two-int form). */
    static final int NAMESPACE = 0x48504c4b; // "HPLK"

    private final StateDatabase db;

    public ClusterLocks(StateDatabase db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    /** Another replica held the key for longer than the wait. */
    public static final class LockTimeout extends RuntimeException {
        public LockTimeout(String key, Duration wait) {
            super(
                    "the cluster lock '" + key + "' is held elsewhere; waited " + wait.toMillis() + " ms",
                    null,
                    false,
                    false);
        }
    }

    /**
     * Runs {@code work} while holding {@code key} across the cluster, waiting at most {@code wait} for it.
     *
     * @throws LockTimeout when the key stays held for longer than {@code wait}
     * @throws StateUnavailableException when the database cannot be reached: the work is not run
     */
    public <T> T withLock(String key, Duration wait, Supplier<T> work) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(work, "work");
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    // The work may take longer than a statement; the transaction must stay open for it.
                    s.execute("SET LOCAL idle_in_transaction_session_timeout = 0");
                    s.execute("SET LOCAL lock_timeout = " + Math.max(1, wait.toMillis()));
                }
                try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
                    s.setQueryTimeout((int) Math.max(1, wait.toSeconds() + 2));
                    s.setInt(1, NAMESPACE);
                    s.setString(2, key);
                    s.execute();
                } catch (SQLException e) {
                    if ("55P03".equals(e.getSQLState()) || "57014".equals(e.getSQLState())) {
                        throw new LockTimeout(key, wait);
                    }
                    throw e;
                }
                return work.get();
            } finally {
                try {
                    c.rollback(); // ends the transaction, which releases the lock; nothing else was written
                } catch (SQLException e) {
                    // the connection is gone, and the server released the lock with it
                }
                try {
                    c.setAutoCommit(true);
                } catch (SQLException e) {
                    // likewise
                }
            }
        } catch (SQLException e) {
            throw new StateUnavailableException("cannot take the cluster lock '" + key + "'", e);
        }
    }

    /** Whether some session holds {@code key} now (for tests and diagnostics). */
    public boolean isHeld(String key) {
        try (Connection c = db.connection();
                PreparedStatement s = c.prepareStatement("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                        + " AND classid = ?::oid AND objid = hashtext(?)::oid AND granted")) {
            s.setInt(1, NAMESPACE);
            s.setString(2, key);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        } catch (SQLException e) {
            throw new StateUnavailableException("cannot inspect the cluster lock '" + key + "'", e);
        }
    }
}
