package dev.hallpass.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hallpass.grant.Grant;
import dev.hallpass.grant.GrantJson;
import dev.hallpass.lifecycle.RepoStateStore;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The schedule and last good settings of one repository in the state database. */
public final class PgRepoState implements RepoStateStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StateDatabase db;
    private final String repo;
    private List<Grant> lastSaved; // unchanged schedules are not written again

    public PgRepoState(StateDatabase db, String repo) {
        this.db = Objects.requireNonNull(db, "db");
        this.repo = StateDatabase.repoKey(repo);
    }

    @Override
    public synchronized void saveSchedule(List<Grant> grants) {
        if (grants.equals(lastSaved)) {
            return;
        }
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement d =
                        StateDatabase.timed(c.prepareStatement("DELETE FROM grant_schedule WHERE repo = ?"))) {
                    d.setString(1, repo);
                    d.executeUpdate();
                }
                try (PreparedStatement s = StateDatabase.timed(c.prepareStatement("INSERT INTO grant_schedule"
                        + " (repo, request_id, starts_at, expires_at, grant_json) VALUES (?, ?, ?, ?, ?)"
                        + " ON CONFLICT (repo, request_id) DO UPDATE SET starts_at = EXCLUDED.starts_at,"
                        + " expires_at = EXCLUDED.expires_at, grant_json = EXCLUDED.grant_json"))) {
                    for (Grant g : grants) {
                        s.setString(1, repo);
                        s.setString(2, g.requestId().value());
                        s.setTimestamp(3, Timestamp.from(g.start()));
                        s.setTimestamp(4, Timestamp.from(g.expiresAt()));
                        s.setString(5, GrantJson.toJson(g).toString());
                        s.addBatch();
                    }
                    s.executeBatch();
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            lastSaved = List.copyOf(grants);
        } catch (SQLException e) {
            throw new StateUnavailableException("cannot save the grant schedule of " + repo, e);
        }
    }

    @Override
    public Optional<List<Grant>> schedule() {
        try (Connection c = db.connection();
                PreparedStatement s = StateDatabase.timed(c.prepareStatement(
                        "SELECT grant_json FROM grant_schedule WHERE repo = ? ORDER BY request_id"));
                PreparedStatement known =
                        StateDatabase.timed(c.prepareStatement("SELECT 1 FROM repo_config WHERE repo = ?"))) {
            known.setString(1, repo);
            try (ResultSet rs = known.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty(); // never read from git: no schedule, as opposed to an empty one
                }
            }
            s.setString(1, repo);
            List<Grant> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(GrantJson.fromJson(JSON.readTree(rs.getString(1))));
                }
            }
            return Optional.of(out);
        } catch (SQLException | IOException | IllegalArgumentException e) {
            throw new StateUnavailableException("cannot read the grant schedule of " + repo, e);
        }
    }

    @Override
    public void saveSettings(String headSha, byte[] settingsYaml) {
        try (Connection c = db.connection();
                PreparedStatement s = StateDatabase.timed(c.prepareStatement(
                        "INSERT INTO repo_config (repo, head_sha, settings_yaml, saved_at) VALUES (?, ?, ?, now())"
                                + " ON CONFLICT (repo) DO UPDATE SET head_sha = EXCLUDED.head_sha,"
                                + " settings_yaml = EXCLUDED.settings_yaml, saved_at = now()"))) {
            s.setString(1, repo);
            s.setString(2, headSha);
            s.setBytes(3, settingsYaml);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new StateUnavailableException("cannot save the settings of " + repo, e);
        }
    }

    @Override
    public Optional<byte[]> settings() {
        try (Connection c = db.connection();
                PreparedStatement s = StateDatabase.timed(
                        c.prepareStatement("SELECT settings_yaml FROM repo_config WHERE repo = ?"))) {
            s.setString(1, repo);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StateUnavailableException("cannot read the settings of " + repo, e);
        }
    }
}
