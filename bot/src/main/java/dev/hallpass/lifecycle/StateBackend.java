package dev.hallpass.lifecycle;

import dev.hallpass.github.RepoName;
import dev.hallpass.grant.AppliedGrants;
import dev.hallpass.grant.FileAppliedGrants;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where {@code serve} keeps its state and how its replicas agree on who runs each repository's lifecycle.
 * {@link #files} is one process with a state directory; the state database ({@code dev.hallpass.state})
 * is shared by several replicas with one leader per repository.
 */
public interface StateBackend {

    AppliedGrants applied(RepoName repo);

    RepoStateStore store(RepoName repo);

    /** Starts deciding which repositories this process leads; each role hears when it starts and stops leading. */
    Election elect(Map<RepoName, Role> roles);

    /** What a replica does for one repository when it gains or loses the lead. */
    interface Role {
        void lead();

        void follow();

        /** Read git now (a merge was seen, here or on another replica). */
        void wake();
    }

    /** A running election. */
    interface Election extends AutoCloseable {
        /** Wakes the leader of {@code repo}, wherever it runs. */
        void wake(RepoName repo);

        @Override
        void close();
    }

    /**
     * Applied grants in files under {@code stateDir}, nothing else kept, and this process leading every
     * repository: for a single replica whose state directory survives restarts (a persistent volume).
     */
    static StateBackend files(Path stateDir) {
        Objects.requireNonNull(stateDir, "stateDir");
        return new StateBackend() {
            @Override
            public AppliedGrants applied(RepoName repo) {
                return new FileAppliedGrants(
                        stateDir.resolve(repo.owner() + "-" + repo.name()).resolve("applied.json"));
            }

            @Override
            public RepoStateStore store(RepoName repo) {
                return RepoStateStore.NONE;
            }

            @Override
            public Election elect(Map<RepoName, Role> roles) {
                List<Role> all = List.copyOf(roles.values());
                all.forEach(Role::lead);
                return new Election() {
                    @Override
                    public void wake(RepoName repo) {
                        Role r = roles.get(repo);
                        if (r != null) {
                            r.wake();
                        }
                    }

                    @Override
                    public void close() {
                        all.forEach(Role::follow);
                    }
                };
            }
        };
    }
}
