package dev.hallpass.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallpass.grant.AppliedGrant;
import dev.hallpass.grant.AppliedGrants;
import dev.hallpass.grant.Grant;
import dev.hallpass.grant.GrantJson;
import dev.hallpass.grant.LeaseKey;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Applied grants of one access repository in the state database: a row per lease key, written before the
 * provider is called and confirmed after, like {@link dev.hallpass.grant.FileAppliedGrants}, but shared by
 * every replica and surviving the loss of any of them. Every call is one autocommitted statement; a failure
 * throws {@link StateUnavailableException}, so no provider is called on an unrecorded apply.
 */
public final class PgAppliedGrants implements AppliedGrants {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StateDatabase db;
    private final String repo;

    public PgAppliedGrants(StateDatabase db, String repo) {
        this.db = Objects.requireNonNull(db, "db");
        this.repo = StateDatabase.repoKey(repo);
    }

    @Override
    public Map<LeaseKey, AppliedGrant> snapshot() {
        Map<LeaseKey, AppliedGrant> out = new TreeMap<>();
        try (Connection c = db.connection();
                PreparedStatement s = StateDatabase.timed(c.prepareStatement(
                        "SELECT grant_json, confirmed, pre_existing FROM applied_grants WHERE repo = ?"))) {
            s.setString(1, repo);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    AppliedGrant a = row(rs);
                    out.put(a.key(), a);
                }
            }
        } catch (SQLException e) {
            throw new StateUnavailableException("cannot read the applied grants of " + repo, e);
        }
        return out;
    }

    @Override
    public Optional<AppliedGrant> get(LeaseKey key) {
        try (Connection c = db.connection();
                PreparedStatement s = StateDatabase.timed(
                        c.prepareStatement("SELECT grant_json, confirmed, pre_existing FROM applied_grants"
                                + " WHERE repo = ? AND provider = ? AND target = ? AND person = ?"))) {
            bindKey(s, key);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StateUnavailableException("cannot read the applied grant " + key, e);
        }
    }

    @Override
    public void put(AppliedGrant entry) {
        Grant g = entry.grant();
        try (Connection c = db.connection();
                PreparedStatement s = StateDatabase.timed(c.prepareStatement(
                        "INSERT INTO applied_grants (repo, provider, target, person, request_id, expires_at, grant_json,"
                                + " confirmed, pre_existing, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, now())"
                                + " ON CONFLICT (repo, provider, target, person) DO UPDATE SET"
                                + " request_id = EXCLUDED.request_id, expires_at = EXCLUDED.expires_at,"
                                + " grant_json = EXCLUDED.grant_json, confirmed = EXCLUDED.confirmed,"
                                + " pre_existing = EXCLUDED.pre_existing, updated_at = now()"))) {
            bindKey(s, entry.key());
            s.setString(5, g.requestId().value());
            s.setTimestamp(6, Timestamp.from(g.expiresAt()));
            s.setString(7, GrantJson.toJson(g).toString());
            s.setBoolean(8, entry.confirmed());
            s.setBoolean(9, entry.preExisting());
            s.executeUpdate();
        } catch (SQLException e) {
            throw new StateUnavailableException("cannot record the applied grant " + entry.key(), e);
        }
    }

    @Override
    public void remove(LeaseKey key) {
        try (Connection c = db.connection();
                PreparedStatement s = StateDatabase.timed(c.prepareStatement("DELETE FROM applied_grants"
                        + " WHERE repo = ? AND provider = ? AND target = ? AND person = ?"))) {
            bindKey(s, key);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new StateUnavailableException("cannot remove the applied grant " + key, e);
        }
    }

    private void bindKey(PreparedStatement s, LeaseKey key) throws SQLException {
        s.setString(1, repo);
        s.setString(2, key.provider().value());
        s.setString(3, key.target());
        s.setString(4, key.person().value());
    }

    private static AppliedGrant row(ResultSet rs) throws SQLException {
        try {
            Grant g = GrantJson.fromJson(JSON.readTree(rs.getString(1)));
            return new AppliedGrant(g, rs.getBoolean(2), rs.getBoolean(3));
        } catch (IOException | IllegalArgumentException e) {
            // Starting without the row would forget a grant that must still be revoked.
            throw new SQLException("an applied_grants row cannot be read: " + e.getMessage(), e);
        }
    }
}
