package dev.hallpass.state;

import dev.hallpass.github.RepoName;
import dev.hallpass.grant.AppliedGrants;
import dev.hallpass.lifecycle.RepoStateStore;
import dev.hallpass.lifecycle.StateBackend;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@code serve}'s state in the state database, shared by its replicas, with one leader per repository
 * chosen by advisory lock ({@link Leadership}).
 */
public final class PgStateBackend implements StateBackend {
    private final StateDatabase db;
    private final Duration poll;
    private volatile Leadership leadership;

    /** @param poll how often a follower tries to take the lead (and a leader checks its session) */
    public PgStateBackend(StateDatabase db, Duration poll) {
        this.db = Objects.requireNonNull(db, "db");
        this.poll = Objects.requireNonNull(poll, "poll");
    }

    @Override
    public AppliedGrants applied(RepoName repo) {
        return new PgAppliedGrants(db, repo.toString());
    }

    @Override
    public RepoStateStore store(RepoName repo) {
        return new PgRepoState(db, repo.toString());
    }

    @Override
    public Election elect(Map<RepoName, Role> roles) {
        Map<String, Role> byKey = new LinkedHashMap<>();
        roles.forEach((repo, role) -> byKey.put(repo.toString(), role));
        Leadership l = new Leadership(db, byKey, poll).start();
        leadership = l;
        return new Election() {
            @Override
            public void wake(RepoName repo) {
                l.wake(repo.toString());
            }

            @Override
            public void close() {
                l.close();
            }
        };
    }

    /** Whether this process holds the leadership connection (false before {@link #elect}). */
    public boolean leadershipConnected() {
        Leadership l = leadership;
        return l != null && l.connected();
    }
}
